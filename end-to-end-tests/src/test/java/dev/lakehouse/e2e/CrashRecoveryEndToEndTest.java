package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.PipelineEndToEndTest.gold;
import static dev.lakehouse.e2e.PipelineEndToEndTest.statesEntered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.core.maintenance.TableMaintenance;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes SIGKILLed at exact points of an execution — during bronze's data write, between
 * bronze's data write and its commit, at the silver orders MERGE's commit — and the home's S3
 * server killed under a running `lakehouse ingest`. Every table stays at its last good snapshot,
 * every execution shows as failed and is alerted, redrive or a re-drop completes exactly once, and
 * orphan removal finds the files the killed processes wrote and only those.
 *
 * <p>The kill points are exact because the killed processes' S3 traffic goes through a proxy that
 * holds the first request of the point (see {@link HeldIngest}); the test kills the process while
 * that request waits.
 */
class CrashRecoveryEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(13, 40, 20, 400, LocalDate.parse("2026-11-01"), 0.0);
  static final int PARTS = 5;
  // Request lines of the kill points. Iceberg writes a table's data files, then its manifests, then
  // the metadata
  // file whose registration in the catalog is the commit.
  static final String BRONZE_DATA_WRITE = "^PUT /warehouse/[^ ]*/raw_orders/data/";
  static final String BRONZE_COMMIT =
      "^PUT /warehouse/[^ ]*/raw_orders/metadata/[^ ]*metadata\\.json";
  static final String SILVER_ORDERS_COMMIT =
      "^PUT /warehouse/[^ ]*/curated_orders/metadata/[^ ]*metadata\\.json";

  @TempDir Path dir;

  @Test
  void processesKilledAtEachPointLeaveTablesAtTheirLastGoodSnapshotAndAreRecoveredExactlyOnce()
      throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    List<String> orders = Files.readAllLines(data.orders());
    List<Path> parts = PipelineEndToEndTest.splitOrders(data.orders(), PARTS, dir);
    int partSize = orders.size() / PARTS;
    Path home = dir.resolve("home");
    Map<String, Long> lastGood;
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build()) {
      PipelineEndToEndTest.ingestDimensions(stack, data);
      assertThat(stack.ingest(stack.upload(parts.get(0), "orders")).status())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      lastGood = snapshots(stack.lakehouse().catalog());
    }

    // Three processes, each held at its kill point, then SIGKILLed there. One after the other: a
    // batch takes every queued object, so processes started at once would share one batch.
    List<String> points = List.of(BRONZE_DATA_WRITE, BRONZE_COMMIT, SILVER_ORDERS_COMMIT);
    for (int k = 0; k < points.size(); k++) {
      Process process =
          CliProcess.java(
              dir.resolve("held-" + k + ".log"),
              "1500m",
              HeldIngest.class.getName(),
              List.of(
                  home.toString(),
                  parts.get(k + 1).toString(),
                  "orders",
                  points.get(k),
                  dir.resolve("held-" + k + ".marker").toString(),
                  dir.resolve("held-" + k + ".writes").toString()));
      awaitFile(dir.resolve("held-" + k + ".marker"), process, dir.resolve("held-" + k + ".log"));
      process.destroyForcibly().waitFor(); // SIGKILL
    }

    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build()) {
      SparkSession spark = stack.lakehouse().spark();
      Catalog catalog = stack.lakehouse().catalog();
      List<Execution> killed = new ArrayList<>();
      for (int k = 1; k <= points.size(); k++) {
        killed.add(executionOf(stack, parts.get(k)));
      }
      assertThat(killed)
          .as("ended when the next stack started")
          .extracting(Execution::status, Execution::error)
          .containsOnly(
              org.assertj.core.groups.Tuple.tuple(ExecutionStatus.FAILED, Execution.PROCESS_DIED));
      assertThat(killed)
          .extracting(e -> e.redrivePoint().stateName())
          .containsExactly("Bronze", "Bronze", "SilverOrders");
      assertThat(stack.outbox().messages())
          .extracting(m -> m.get("Subject").asText())
          .containsExactly(
              "Lakehouse: execution FAILED",
              "Lakehouse: execution FAILED",
              "Lakehouse: execution FAILED");

      // Last good snapshots: bronze holds part 0 and the part whose bronze committed before its
      // silver was killed;
      // curated_orders and gold never saw the commit that was cut.
      Map<String, Long> now = snapshots(catalog);
      assertThat(now.get("curated_orders")).isEqualTo(lastGood.get("curated_orders"));
      assertThat(now.get("agg_daily_metrics")).isEqualTo(lastGood.get("agg_daily_metrics"));
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(2L * partSize);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isEqualTo(partSize);

      // Orphans: what the killed processes wrote and never committed, found and removed (the age
      // guard passed by
      // moving the clock), nothing a snapshot references.
      List<String> contentsBefore = contents(spark);
      var maintenance =
          new TableMaintenance(catalog, Clock.offset(Clock.systemUTC(), Duration.ofDays(4)));
      Set<String> bronzeOrphans = orphans(maintenance.removeOrphanFiles("raw_orders").execute());
      Set<String> silverOrphans =
          orphans(maintenance.removeOrphanFiles("curated_orders").execute());
      String rawLocation = location(catalog, LakehouseTables.RAW_ORDERS);
      assertThat(bronzeOrphans)
          .as("held before its first data file: nothing written")
          .doesNotContainAnyElementsOf(writes(dir.resolve("held-0.writes")));
      assertThat(bronzeOrphans)
          .as("data files and manifests written, metadata never: exactly those are orphans")
          .isNotEmpty()
          .isEqualTo(under(writes(dir.resolve("held-1.writes")), rawLocation));
      assertThat(silverOrphans)
          .as("the cut MERGE's data files")
          .isNotEmpty()
          .isSubsetOf(
              under(
                  writes(dir.resolve("held-2.writes")),
                  location(catalog, LakehouseTables.CURATED_ORDERS)));
      assertThat(contents(spark)).isEqualTo(contentsBefore);

      // Back: the two bronze kills are redriven; the silver kill's object is dropped again, which
      // is not "already
      // ingested" (bronze recognises it, silver and gold run), and its redrive then finds nothing
      // left to do.
      for (Execution bronzeKill : killed.subList(0, 2)) {
        Execution redriven = stack.redrive(bronzeKill.id());
        assertThat(redriven.status())
            .as(redriven.historyTable())
            .isEqualTo(ExecutionStatus.SUCCEEDED);
      }
      Execution again = stack.ingest(stack.upload(parts.get(3), "orders"));
      assertThat(again.status()).as(again.historyTable()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(statesEntered(again)).contains("Bronze", "SilverOrders", "Gold", "RecordBatch");
      Execution redriven = stack.redrive(killed.get(2).id());
      assertThat(redriven.status())
          .as(redriven.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(4L * partSize);
      Execution third = stack.ingest(stack.upload(parts.get(3), "orders"));
      assertThat(statesEntered(third))
          .containsExactly(
              "ClaimBatch",
              "BatchReady",
              "AnyRejected",
              "AnyAccepted",
              "MoreQueued",
              "RecordBatch",
              "AckBatch",
              "Loaded");
    }

    // The home's S3 server killed under a running `lakehouse ingest`: the CLI says so in one line
    // and the alert goes
    // out at once; the next command starts a server again and the redrive loads the file once.
    Process cli =
        CliProcess.start(home, dir.resolve("cli.log"), "1500m", "ingest", parts.get(4).toString());
    awaitExecutionEntering(home.resolve("executions"), "Bronze", cli, Duration.ofMinutes(4));
    s3ServerOf(home).destroyForcibly();
    assertThat(cli.waitFor(4, TimeUnit.MINUTES)).isTrue();
    List<String> output = Files.readAllLines(dir.resolve("cli.log"));
    assertThat(cli.exitValue()).as(String.join("\n", output)).isEqualTo(1);
    assertThat(output)
        .anySatisfy(
            line -> assertThat(line).matches("  error: at Bronze: States\\.TaskFailed: .+"));
    assertThat(output.get(output.size() - 1))
        .matches(
            "lakehouse: 1 of 1 batch\\(es\\) failed: the home's S3 server at "
                + "http://127\\.0\\.0\\.1:\\d+ does not answer \\(stopped or killed\\); the next 'lakehouse' command starts it "
                + "again; then 'lakehouse redrive arn:aws:states:local:000000000000:execution:ingest-pipeline:[^']+'");

    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build()) {
      SparkSession spark = stack.lakehouse().spark();
      Execution failed = executionOf(stack, parts.get(4));
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(stack.outbox().messages())
          .last()
          .satisfies(
              m ->
                  assertThat(m.get("Message").asText())
                      .startsWith("Execution " + failed.id() + " FAILED: States.TaskFailed: ")
                      .contains(
                          "(not recorded in pipeline_runs: the home's S3 server at http://127.0.0.1:"));
      Execution redriven = stack.redrive(failed.id());
      assertThat(redriven.status())
          .as(redriven.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);

      assertThat(
              spark
                  .sql(
                      "SELECT count(*), count(DISTINCT order_id) FROM ecommerce_lakehouse.raw_orders")
                  .first()
                  .toString())
          .isEqualTo("[" + orders.size() + "," + orders.size() + "]");
      assertThat(
              spark
                  .sql(
                      "SELECT count(*), count(DISTINCT order_id) FROM ecommerce_lakehouse.curated_orders")
                  .first()
                  .toString())
          .isEqualTo("[" + orders.size() + "," + orders.size() + "]");
      assertThat(
              spark
                  .sql(
                      "SELECT count(*) FROM (SELECT order_id, line_number FROM ecommerce_lakehouse"
                          + ".curated_order_items GROUP BY order_id, line_number HAVING count(*) > 1)")
                  .first()
                  .getLong(0))
          .as("no order line twice")
          .isZero();
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
    }
  }

  private static Map<String, Long> snapshots(Catalog catalog) {
    Map<String, Long> ids = new java.util.TreeMap<>();
    for (TableDefinition table :
        List.of(
            LakehouseTables.RAW_ORDERS,
            LakehouseTables.CURATED_ORDERS,
            LakehouseTables.AGG_DAILY_METRICS)) {
      ids.put(table.name(), catalog.loadTable(table.identifier()).currentSnapshot().snapshotId());
    }
    return ids;
  }

  private static String location(Catalog catalog, TableDefinition table) {
    return catalog.loadTable(table.identifier()).location();
  }

  private static Set<String> orphans(
      dev.lakehouse.core.maintenance.RemoveOrphanFiles.Result result) {
    assertThat(result.orphanSample()).as("every orphan listed").hasSize((int) result.orphanFiles());
    assertThat(result.deletedFiles()).isEqualTo(result.orphanFiles());
    return new HashSet<>(result.orphanSample());
  }

  private static Set<String> writes(Path log) throws java.io.IOException {
    return Files.exists(log) ? new HashSet<>(Files.readAllLines(log)) : Set.of();
  }

  private static Set<String> under(Set<String> files, String location) {
    Set<String> inside = new HashSet<>();
    files.stream().filter(f -> f.startsWith(location + "/")).forEach(inside::add);
    return inside;
  }

  /** The first ingest execution whose batch held this file. */
  private static Execution executionOf(LocalStack stack, Path file) {
    String sourceFile = "s3://landing/landing/orders/" + file.getFileName();
    return stack.runner().list().stream()
        .filter(e -> e.stateMachineName().equals(LocalStack.INGEST_PIPELINE))
        .filter(
            e ->
                stack.batchOf(e).stream()
                    .flatMap(batch -> batch.objects().stream())
                    .anyMatch(o -> sourceFile.equals(o.sourceFile())))
        .min(java.util.Comparator.comparing(Execution::startTime))
        .orElseThrow();
  }

  private static ProcessHandle s3ServerOf(Path home) {
    String store = "store.root=" + home.resolve("s3");
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains(store + " ") || c.endsWith(store))
                    .orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no S3 server runs for " + home));
  }

  private static List<String> contents(SparkSession spark) {
    List<String> all = new ArrayList<>();
    for (String table :
        List.of(
            "raw_orders",
            "curated_orders",
            "curated_order_items",
            "curated_customers",
            "agg_daily_metrics")) {
      all.add(
          table
              + ":"
              + spark.sql("SELECT * FROM ecommerce_lakehouse." + table).collectAsList().stream()
                  .map(Object::toString)
                  .sorted()
                  .toList()
                  .hashCode()
              + ":"
              + spark.table("ecommerce_lakehouse." + table).count());
    }
    return all;
  }

  static void awaitFile(Path marker, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!Files.exists(marker)) {
      assertThat(process.isAlive())
          .as("ended before its kill point:\n" + Files.readString(log))
          .isTrue();
      assertThat(System.nanoTime()).as("kill point not reached in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static Path awaitExecutionEntering(
      Path executions, String state, Process cli, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(cli.isAlive()).as("the CLI ended before reaching " + state).isTrue();
      if (Files.isDirectory(executions)) {
        try (Stream<Path> files = Files.list(executions)) {
          for (Path file :
              files
                  .filter(f -> f.getFileName().toString().startsWith("ingest-pipeline__"))
                  .toList()) {
            String json = Files.readString(file);
            if (json.contains("\"stateName\" : \"" + state + "\"")
                && json.contains("\"status\" : \"RUNNING\"")) {
              return file;
            }
          }
        } catch (java.io.IOException replacedWhileListing) {
          // the store replaces files atomically; look again
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(state + " not reached within " + timeout);
  }
}
