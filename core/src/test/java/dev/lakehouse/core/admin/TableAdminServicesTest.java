package dev.lakehouse.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.Watermarks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin services on a real embedded catalog, where the handler tests do not already pin them.
 */
class TableAdminServicesTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  static final OffsetDateTime T = OffsetDateTime.parse("2026-11-01T10:00:00Z");

  @TempDir Path home;
  Catalog catalog;
  TableAdmin admin;
  Table products;
  DataFile firstFile;
  long s1;

  @BeforeEach
  void setUp() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    catalog = CatalogFactory.create(settings);
    admin = new TableAdmin(catalog, settings, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(admin.createTables().namespace()).isEqualTo("ecommerce_lakehouse");
    products = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    firstFile =
        write(List.of(product("p1", "10.00"), product("p2", "20.00"), product("p3", "30.00")));
    products.newAppend().appendFile(firstFile).commit();
    s1 = products.currentSnapshot().snapshotId();
  }

  @Test
  void timeTravelCountsLiveRowsFromTheSummaryMinusPositionDeletes() {
    // Merge-on-read, as Spark writes it: p2 (position 1 of the first file) deleted by position.
    PositionDeleteWriter<Record> writer =
        factory().newPositionDeleteWriter(newFile(), products.spec(), null);
    try (writer) {
      writer.write(PositionDelete.<Record>create().set(firstFile.location(), 1L));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    products.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
    long s2 = products.currentSnapshot().snapshotId();

    SnapshotRows now = admin.timeTravel("curated_products").limit(5).execute();

    assertThat(now.snapshotId()).isEqualTo(s2);
    assertThat(now.operation()).isEqualTo("delete");
    assertThat(now.rowCount()).isEqualTo(2L);
    assertThat(now.rowCountUnknown()).isNull();
    assertThat(now.rows())
        .extracting(r -> r.get("product_id"))
        .containsExactlyInAnyOrder("p1", "p3");
    SnapshotRows before = admin.timeTravel("curated_products").snapshot(s1).limit(0).execute();
    assertThat(before.rowCount()).isEqualTo(3L);
    assertThat(before.rows()).isEmpty();
    assertThat(before.committedAt())
        .isEqualTo(Instant.ofEpochMilli(products.snapshot(s1).timestampMillis()));
  }

  @Test
  void timeTravelSaysWhyItCannotCountWithEqualityDeletes() {
    var schema = products.schema().select("product_id");
    GenericFileWriterFactory eqFactory =
        new GenericFileWriterFactory.Builder(products)
            .deleteFileFormat(FileFormat.PARQUET)
            .equalityFieldIds(new int[] {schema.findField("product_id").fieldId()})
            .equalityDeleteRowSchema(schema)
            .build();
    EqualityDeleteWriter<Record> writer =
        eqFactory.newEqualityDeleteWriter(newFile(), products.spec(), null);
    try (writer) {
      GenericRecord key = GenericRecord.create(schema);
      key.setField("product_id", "p2");
      writer.write(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DeleteFile deletes = writer.toDeleteFile();
    products.newRowDelta().addDeletes(deletes).commit();
    long s2 = products.currentSnapshot().snapshotId();

    SnapshotRows rows = admin.timeTravel("curated_products").snapshot(s2).execute();

    assertThat(rows.rowCount()).isNull();
    assertThat(rows.rowCountUnknown())
        .isEqualTo(
            "the snapshot has 1 equality deletes, which can each remove any "
                + "number of rows; count with a query engine (Athena: SELECT count(*) ... FOR VERSION AS OF "
                + s2
                + ")");
    assertThat(rows.rows())
        .extracting(r -> r.get("product_id"))
        .containsExactlyInAnyOrder("p1", "p3");
  }

  @Test
  void diffReadsFluentlyAndMatchesByBusinessKey() {
    DataFile replaced =
        write(List.of(product("p1", "10.00"), product("p2", "25.00"), product("p4", "40.00")));
    products.newOverwrite().deleteFile(firstFile).addFile(replaced).commit();
    long s2 = products.currentSnapshot().snapshotId();

    Diff diff = admin.diff("curated_products").from(s1).to(s2).sample(1).execute();

    assertThat(diff)
        .isEqualTo(
            new Diff(
                "curated_products",
                List.of("product_id"),
                s1,
                s2,
                3,
                3,
                1,
                1,
                1,
                1,
                new Diff.Samples(
                    List.of(Map.of("product_id", "p4")),
                    List.of(Map.of("product_id", "p3")),
                    List.of(
                        new Diff.Change(
                            Map.of("product_id", "p2"),
                            List.of("price"),
                            Map.of("price", "20.00"),
                            Map.of("price", "25.00"))))));
    assertThatThrownBy(() -> admin.diff("curated_products").from(s1).sample(101).execute())
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("limit must be between 0 and 100, was 101");
    assertThatThrownBy(
            () -> admin.diff("curated_products").from(s1).fromAsOf("2026-11-01").execute())
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("diff: give either snapshotId or asOf, not both");
  }

  @Test
  void rollbackToTheCurrentSnapshotChangesNothingButIsRecorded() {
    RolledBack r =
        admin
            .rollback("curated_products")
            .toSnapshot(s1)
            .by("bob")
            .because("check")
            .executionId("e-1")
            .execute();

    assertThat(r)
        .isEqualTo(new RolledBack("curated_products", s1, s1, false, "bob", "check", "e-1", NOW));
    products.refresh();
    assertThat(products.properties()).doesNotContainKey(Rollback.PROPERTY_PREFIX + "by");
    assertThat(new RunLog(catalog).forExecution("e-1"))
        .singleElement()
        .satisfies(
            run -> assertThat(run.message()).isEqualTo("already at " + s1 + " by bob: check"));
    assertThatThrownBy(
            () -> admin.rollback("curated_products").by("bob").because("check").execute())
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("rollback needs snapshotId or asOf");
  }

  @Test
  void inspectsTablesAsRecords() {
    assertThat(admin.inspect().listTables().tables())
        .first()
        .isEqualTo(new TableList.Entry("raw_customers", "bronze"));
    assertThat(admin.inspect().snapshots("curated_products"))
        .isEqualTo(
            new SnapshotList(
                "curated_products",
                s1,
                List.of(
                    new SnapshotList.Entry(
                        s1,
                        null,
                        1,
                        Instant.ofEpochMilli(products.currentSnapshot().timestampMillis()),
                        "append",
                        new java.util.TreeMap<>(products.currentSnapshot().summary()),
                        true))));
    TableDescription orders = admin.inspect().describe("curated_orders");
    assertThat(orders.currentSnapshotId()).isNull();
    assertThat(orders.snapshotCount()).isZero();
    assertThat(orders.totalRecords()).isZero();
    assertThat(orders.partitionFields())
        .containsExactly(new SpecField("order_date_month", "month", "order_date"));
  }

  @Test
  void evolutionFailuresKeepTheirMessages() {
    assertThatThrownBy(() -> admin.partitioning("curated_orders").removeField("sku"))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage(
            "curated_orders has no partition field sku; partition "
                + "fields: [{name=order_date_month, transform=month, sourceColumn=order_date}]");
    assertThatThrownBy(() -> admin.schema("curated_products").widenColumn("attributes", "string"))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("attributes is a map<string, string>; only primitive columns can be widened");
    assertThatThrownBy(
            () -> admin.partitioning("curated_products").addField("bucket(0, product_id)", null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("bucket count must be positive, was 0");
  }

  @Test
  void aSilverRollbackThatWouldOrphanGoldsInputIsRefusedUnlessGoldRecomputes() {
    products.newAppend().appendFile(write(List.of(product("p4", "40.00")))).commit();
    long s2 = products.currentSnapshot().snapshotId();
    // Gold last computed from s2 (its commit's watermark), as GoldJob records it.
    Table gold = catalog.loadTable(LakehouseTables.AGG_DAILY_METRICS.identifier());
    gold.newAppend()
        .set(Watermarks.goldKey(LakehouseTables.CURATED_PRODUCTS), Long.toString(s2))
        .commit();

    assertThatThrownBy(
            () ->
                admin
                    .rollback("curated_products")
                    .toSnapshot(s1)
                    .by("alice")
                    .because("bad file")
                    .execute())
        .isInstanceOf(InvalidArgument.class)
        .hasMessage(
            "rolling back curated_products to "
                + s1
                + " would leave agg_daily_metrics computed from its snapshot "
                + s2
                + ", which the rollback takes out of the "
                + "current history; to roll back anyway and have the next gold run recompute every date, pass recomputeGold "
                + "(CLI: --recompute-gold)");
    assertThat(
            catalog
                .loadTable(LakehouseTables.CURATED_PRODUCTS.identifier())
                .currentSnapshot()
                .snapshotId())
        .as("untouched")
        .isEqualTo(s2);

    RolledBack done =
        admin
            .rollback("curated_products")
            .toSnapshot(s1)
            .by("alice")
            .because("bad file")
            .recomputeGold(true)
            .execute();
    assertThat(done.changed()).isTrue();
    assertThat(done.toSnapshotId()).isEqualTo(s1);
  }

  @Test
  void aTaggedSnapshotOutlivesExpiryAndANameIsTakenOnce() {
    products.newAppend().appendFile(write(List.of(product("p4", "40.00")))).commit();
    products.newAppend().appendFile(write(List.of(product("p5", "50.00")))).commit();

    SnapshotTag.Tagged tagged =
        admin
            .tag("curated_products")
            .named("month-end-2026-10")
            .snapshot(s1)
            .retainDays(400)
            .execute();
    assertThat(tagged)
        .isEqualTo(new SnapshotTag.Tagged("curated_products", "month-end-2026-10", s1, 400));

    Table table = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    table
        .expireSnapshots()
        .expireOlderThan(System.currentTimeMillis() + 3_600_000)
        .retainLast(1)
        .commit();
    table.refresh();
    assertThat(table.snapshot(s1)).as("kept by its tag").isNotNull();
    assertThat(table.snapshots()).hasSize(2);
    assertThat(table.refs().get("month-end-2026-10").maxRefAgeMs()).isEqualTo(400L * 86_400_000L);

    assertThatThrownBy(() -> admin.tag("curated_products").named("month-end-2026-10").execute())
        .isInstanceOf(InvalidArgument.class)
        .hasMessage(
            "curated_products already has a tag named 'month-end-2026-10' (on snapshot "
                + s1
                + ")");
    assertThatThrownBy(() -> admin.tag("curated_products").named("month end").execute())
        .isInstanceOf(InvalidArgument.class)
        .hasMessage(
            "a tag name starts with a letter or digit and holds only "
                + "letters, digits, '.', '_' and '-', was 'month end'");
  }

  private Record product(String id, String price) {
    GenericRecord r = GenericRecord.create(products.schema());
    r.setField("product_id", id);
    r.setField("category", "books");
    r.setField("price", new BigDecimal(price));
    r.setField("_source_file", "s3://landing/landing/products/p.jsonl");
    r.setField("_updated_at", T);
    return r;
  }

  private GenericFileWriterFactory factory() {
    return new GenericFileWriterFactory.Builder(products)
        .dataFileFormat(FileFormat.PARQUET)
        .deleteFileFormat(FileFormat.PARQUET)
        .build();
  }

  private EncryptedOutputFile newFile() {
    String path =
        products.locationProvider().newDataLocation("test-" + UUID.randomUUID() + ".parquet");
    return products.encryption().encrypt(products.io().newOutputFile(path));
  }

  private DataFile write(List<Record> rows) {
    DataWriter<Record> writer = factory().newDataWriter(newFile(), products.spec(), null);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }
}
