package dev.lakehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.CatalogType;
import dev.lakehouse.core.maintenance.TableMaintenance;
import dev.lakehouse.core.tables.LakehouseTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class MaintenanceHandlerTest {
  @TempDir Path home;

  // ------------------------------------------------------------------------------------
  // file-system warehouse

  @Test
  void expireKeepsTheLastKAndDeletesUnreachableFiles() {
    Catalog catalog = embedded();
    Table t = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    DataFile first = Tables.write(t, List.of(Tables.product(t, "p0", "1.00")));
    t.newAppend().appendFile(first).commit();
    long[] ids = new long[7];
    ids[0] = t.currentSnapshot().snapshotId();
    // Iceberg cleans up incrementally: a file goes when the snapshot that deleted it expires.
    t.newDelete().deleteFile(first).commit();
    ids[1] = t.currentSnapshot().snapshotId();
    for (int i = 2; i < 7; i++) {
      ids[i] = Tables.append(t, Tables.product(t, "p" + i, i + ".00"));
    }
    MaintenanceHandler handler =
        new MaintenanceHandler(new TableMaintenance(catalog, Clock.systemUTC()));
    Path firstFile = Path.of(java.net.URI.create(first.location()));
    assertThat(firstFile).exists();

    Map<String, Object> dry =
        handler.handleRequest(
            Map.of(
                "operation",
                "expireSnapshots",
                "table",
                "curated_products",
                "olderThanDays",
                0,
                "retainLast",
                3,
                "dryRun",
                true),
            new TestContext());
    assertThat(dry)
        .contains(
            entry("dryRun", true),
            entry("expiredSnapshots", 4),
            entry("expiredSnapshotIds", List.of(ids[0], ids[1], ids[2], ids[3])),
            entry("snapshotsBefore", 7),
            entry("snapshotsAfter", 3),
            entry("deletedDataFiles", null));
    t.refresh();
    assertThat(t.snapshots()).hasSize(7);

    Map<String, Object> done =
        handler.handleRequest(
            Map.of(
                "operation",
                "expireSnapshots",
                "table",
                "curated_products",
                "olderThanDays",
                0,
                "retainLast",
                3),
            new TestContext());
    assertThat(done)
        .contains(
            entry("dryRun", false),
            entry("expiredSnapshots", 4),
            entry("snapshotsAfter", 3),
            entry("deletedDataFiles", 1L),
            entry("deletedManifestLists", 4L));
    assertThat((Long) done.get("deletedBytes")).isPositive();
    t.refresh();
    List<Long> kept = new java.util.ArrayList<>();
    t.snapshots().forEach(s -> kept.add(s.snapshotId()));
    assertThat(kept).containsExactly(ids[4], ids[5], ids[6]);
    assertThat(firstFile).doesNotExist();
    assertThat(count(t)).isEqualTo(5);

    // Table defaults (7 days, keep 5): nothing is that old.
    assertThat(
            handler.handleRequest(
                Map.of("operation", "expireSnapshots", "table", "curated_products"), null))
        .contains(entry("expiredSnapshots", 0), entry("retainLast", 5));
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    Map.of(
                        "operation",
                        "expireSnapshots",
                        "table",
                        "curated_products",
                        "retainLast",
                        0),
                    null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("retainLast must be at least 1");
  }

  @Test
  void orphanRemovalDeletesOnlyOldUnreferencedFilesUnderTheTable() throws IOException {
    Catalog catalog = embedded();
    Table t = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    Tables.append(t, Tables.product(t, "p1", "1.00"));
    Tables.append(t, Tables.product(t, "p2", "2.00"));
    Path location = Path.of(java.net.URI.create(t.location()));
    Path old = location.resolve("data/orphan-old.parquet");
    Path young = location.resolve("data/orphan-young.parquet");
    Path outside = location.getParent().resolve("curated_products_backup/old.parquet");
    Files.writeString(old, "orphan");
    Files.writeString(young, "still being written");
    Files.createDirectories(outside.getParent());
    Files.writeString(outside, "not this table's");
    // Every file of the table is old: only references protect the live ones.
    FileTime fiveDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(5)));
    try (Stream<Path> files = Files.walk(location)) {
      files.filter(Files::isRegularFile).forEach(p -> touch(p, fiveDaysAgo));
    }
    touch(outside, fiveDaysAgo);
    touch(young, FileTime.from(Instant.now()));
    Set<Path> before = files(location);
    MaintenanceHandler handler =
        new MaintenanceHandler(new TableMaintenance(catalog, Clock.systemUTC()));

    Map<String, Object> dry =
        handler.handleRequest(
            Map.of("operation", "removeOrphanFiles", "table", "curated_products", "dryRun", true),
            new TestContext());
    assertThat(dry)
        .contains(
            entry("dryRun", true),
            entry("orphanFiles", 1L),
            entry("youngFiles", 1L),
            entry("deletedFiles", 0L),
            entry("orphanBytes", 6L),
            entry("listedFiles", (long) before.size()));
    assertThat((List<?>) dry.get("orphanSample"))
        .singleElement()
        .asString()
        .endsWith("/data/orphan-old.parquet");
    assertThat(files(location)).isEqualTo(before);

    // One file per window on a file system (listed in full, skipped to the window): the same single
    // orphan.
    long windows = 0;
    long orphansSeen = 0;
    String startAfter = "";
    do {
      Map<String, Object> window =
          handler.handleRequest(
              Map.of(
                  "operation",
                  "removeOrphanFiles",
                  "table",
                  "curated_products",
                  "dryRun",
                  true,
                  "maxListedFiles",
                  1,
                  "startAfter",
                  startAfter),
              new TestContext());
      windows++;
      orphansSeen += (Long) window.get("orphanFiles");
      startAfter = (String) window.get("continueAfter");
    } while (!startAfter.isEmpty());
    assertThat(windows).isEqualTo(before.size());
    assertThat(orphansSeen).isEqualTo(1);

    Map<String, Object> done =
        handler.handleRequest(
            Map.of("operation", "removeOrphanFiles", "table", "curated_products"),
            new TestContext());
    assertThat(done).contains(entry("orphanFiles", 1L), entry("deletedFiles", 1L));
    Set<Path> expected = new TreeSet<>(before);
    expected.remove(old);
    assertThat(files(location)).isEqualTo(expected);
    assertThat(young).exists();
    assertThat(outside).exists();
    assertThat(count(catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier())))
        .isEqualTo(2);

    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    Map.of(
                        "operation",
                        "removeOrphanFiles",
                        "table",
                        "curated_products",
                        "olderThanHours",
                        1),
                    null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("at least 24 hours");
    assertThatThrownBy(() -> handler.handleRequest(Map.of("operation", "vacuum"), null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("unknown or missing operation 'vacuum'");
  }

  @Test
  void rewritesManifestsAndRunsEverythingForEveryTable() {
    Catalog catalog = embedded();
    Table t = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    for (int i = 0; i < 4; i++) {
      Tables.append(t, Tables.product(t, "p" + i, "1.00"));
    }
    MaintenanceHandler handler =
        new MaintenanceHandler(new TableMaintenance(catalog, Clock.systemUTC()));

    assertThat(
            handler.handleRequest(
                Map.of("operation", "rewriteManifests", "table", "curated_products"), null))
        .contains(
            entry("rewritten", true), entry("manifestsBefore", 4), entry("manifestsAfter", 1));
    assertThat(count(catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier())))
        .isEqualTo(4);

    Map<String, Object> all =
        handler.handleRequest(Map.of("operation", "all", "dryRun", true), new TestContext());
    assertThat((List<?>) all.get("results")).hasSize(10);
  }

  // ------------------------------------------------------------------------------------ s3://
  // warehouse on S3Mock

  @Test
  void expireAndOrphanRemovalReallyDeleteFromS3() {
    S3MockServer server = S3MockServer.get();
    server.bucket("warehouse");
    String prefix = "run-" + System.nanoTime() + "/";
    CatalogSettings settings =
        CatalogSettings.builder(CatalogType.JDBC)
            .uri("jdbc:sqlite:" + home.resolve("catalog.db"))
            .warehouse("s3://warehouse/" + prefix)
            .s3Endpoint(server.endpoint())
            .s3PathStyle(true)
            .s3Credentials(S3MockServer.ACCESS_KEY, S3MockServer.SECRET_KEY)
            .region("us-east-1")
            .build();
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision(List.of(LakehouseTables.CURATED_PRODUCTS));
    Table t = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    DataFile a = Tables.write(t, List.of(Tables.product(t, "p1", "1.00")));
    t.newAppend().appendFile(a).commit();
    Tables.append(t, Tables.product(t, "p2", "2.00"));
    DataFile c = Tables.write(t, List.of(Tables.product(t, "p1", "1.50")));
    t.newOverwrite().deleteFile(a).addFile(c).commit();
    Tables.append(t, Tables.product(t, "p3", "3.00"));
    S3Client s3 = server.client();
    String tablePrefix = prefix + "curated/curated_products/";
    String aKey = a.location().substring("s3://warehouse/".length());
    assertThat(keys(s3, tablePrefix)).contains(aKey);

    Map<String, Object> expired =
        new MaintenanceHandler(new TableMaintenance(catalog, Clock.systemUTC()))
            .handleRequest(
                Map.of(
                    "operation",
                    "expireSnapshots",
                    "table",
                    "curated_products",
                    "olderThanDays",
                    0,
                    "retainLast",
                    1),
                new TestContext());
    assertThat(expired)
        .contains(
            entry("expiredSnapshots", 3),
            entry("deletedDataFiles", 1L),
            entry("deletedManifestLists", 3L));
    Set<String> afterExpire = keys(s3, tablePrefix);
    assertThat(afterExpire)
        .doesNotContain(aKey)
        .contains(c.location().substring("s3://warehouse/".length()));
    assertThat(afterExpire.stream().filter(k -> k.contains("/metadata/snap-"))).hasSize(1);

    String orphan = tablePrefix + "data/orphan.parquet";
    String sibling = prefix + "curated/curated_products_backup/old.parquet";
    s3.putObject(b -> b.bucket("warehouse").key(orphan), RequestBody.fromString("orphan"));
    s3.putObject(b -> b.bucket("warehouse").key(sibling), RequestBody.fromString("sibling"));

    Map<String, Object> young =
        new MaintenanceHandler(new TableMaintenance(catalog, Clock.systemUTC()))
            .handleRequest(
                Map.of("operation", "removeOrphanFiles", "table", "curated_products"),
                new TestContext());
    assertThat(young).contains(entry("orphanFiles", 0L), entry("deletedFiles", 0L));
    assertThat((Long) young.get("youngFiles")).isPositive();

    // Four days later every file is older than the 3-day default: only the unreferenced one goes.
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(4));
    Set<String> before = keys(s3, tablePrefix);
    Map<String, Object> removed =
        new MaintenanceHandler(new TableMaintenance(catalog, later))
            .handleRequest(
                Map.of("operation", "removeOrphanFiles", "table", "curated_products"),
                new TestContext());
    assertThat(removed)
        .contains(
            entry("orphanFiles", 1L),
            entry("deletedFiles", 1L),
            entry("orphanBytes", 6L),
            entry("orphanSample", List.of("s3://warehouse/" + orphan)));
    Set<String> expected = new TreeSet<>(before);
    expected.remove(orphan);
    assertThat(keys(s3, tablePrefix)).isEqualTo(expected);
    assertThat(keys(s3, prefix + "curated/curated_products_backup/")).containsExactly(sibling);
    assertThat(count(catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier())))
        .isEqualTo(3);

    // Bounded: windows of at most 2 listed files, each call going on where the previous stopped (S3
    // StartAfter),
    // remove exactly what one unbounded call would.
    List<String> orphans =
        List.of(
            tablePrefix + "data/a-orphan.parquet",
            tablePrefix + "metadata/m-orphan.avro",
            tablePrefix + "zz-orphan.txt");
    orphans.forEach(
        k -> s3.putObject(b -> b.bucket("warehouse").key(k), RequestBody.fromString("orphan")));
    Set<String> listedBefore = keys(s3, tablePrefix);
    MaintenanceHandler bounded = new MaintenanceHandler(new TableMaintenance(catalog, later));
    List<Map<String, Object>> windows = new ArrayList<>();
    String startAfter = "";
    do {
      Map<String, Object> window =
          bounded.handleRequest(
              Map.of(
                  "operation",
                  "removeOrphanFiles",
                  "table",
                  "curated_products",
                  "maxListedFiles",
                  2,
                  "startAfter",
                  startAfter),
              new TestContext());
      windows.add(window);
      startAfter = (String) window.get("continueAfter");
    } while (!startAfter.isEmpty());
    assertThat(windows)
        .hasSize((listedBefore.size() + 1) / 2)
        .allSatisfy(w -> assertThat((Long) w.get("listedFiles")).isBetween(1L, 2L));
    assertThat(windows.stream().mapToLong(w -> (Long) w.get("listedFiles")).sum())
        .isEqualTo(listedBefore.size());
    assertThat(windows.stream().mapToLong(w -> (Long) w.get("deletedFiles")).sum()).isEqualTo(3);
    Set<String> remaining = new TreeSet<>(listedBefore);
    orphans.forEach(remaining::remove);
    assertThat(keys(s3, tablePrefix)).isEqualTo(remaining);
    assertThat(count(catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier())))
        .isEqualTo(3);
  }

  // ------------------------------------------------------------------------------------------------------------

  private Catalog embedded() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision();
    return catalog;
  }

  private static long count(Table table) {
    long n = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record ignored : rows) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static Set<String> keys(S3Client s3, String prefix) {
    Set<String> keys = new TreeSet<>();
    s3.listObjectsV2Paginator(b -> b.bucket("warehouse").prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .forEach(keys::add);
    return keys;
  }

  private static Set<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static void touch(Path p, FileTime time) {
    try {
      Files.setLastModifiedTime(p, time);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
