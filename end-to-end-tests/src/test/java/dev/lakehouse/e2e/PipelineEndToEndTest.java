package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalResources;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's spine, end to end on one machine: files dropped in the landing bucket of the local
 * S3-compatible server, the ingest state machine (the same ASL file CDK deploys) run by the local
 * runner, the Lambda handlers in-process, the Glue jobs on Spark, tables on S3 through S3FileIO.
 */
class PipelineEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(7, 60, 40, 400, LocalDate.parse("2026-11-01"), 0.0);

  @TempDir Path dir;

  @Test
  void droppedFilesFlowToGoldThatAnIndependentComputationReproducesAndRedropsCountOnce()
      throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(dir.resolve("home"))).build()) {
      for (Path file : List.of(data.customers(), data.products(), data.orders())) {
        Execution execution =
            stack.ingest(stack.upload(file, file.getFileName().toString().replace(".jsonl", "")));
        assertThat(execution.status())
            .as(execution.historyTable())
            .isEqualTo(ExecutionStatus.SUCCEEDED);
        String entity = file.getFileName().toString().replace(".jsonl", "");
        List<String> silver = new java.util.ArrayList<>();
        for (String each : List.of("Customers", "Products", "Orders")) {
          silver.add(each + "Changed");
          if (entity.equalsIgnoreCase(each)) {
            silver.add("Silver" + each);
          }
        }
        List<String> expected =
            new java.util.ArrayList<>(
                List.of(
                    "ClaimBatch",
                    "BatchReady",
                    "AnyRejected",
                    "AnyAccepted",
                    "Bronze",
                    "MoreQueued"));
        expected.addAll(silver);
        expected.addAll(List.of("Gold", "RecordBatch", "AckBatch", "Loaded"));
        assertThat(statesEntered(execution)).containsExactlyElementsOf(expected);
      }
      SparkSession spark = stack.lakehouse().spark();
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(400);
      // Tables live on the S3 server, written through S3FileIO.
      assertThat(
              stack
                  .s3()
                  .listObjectsV2(
                      b ->
                          b.bucket(LocalResources.WAREHOUSE_BUCKET)
                              .prefix("aggregated/agg_daily_metrics/data/"))
                  .keyCount())
          .isPositive();

      // The same object dropped twice more (a console rerun, a duplicate event): counted once.
      LocalStack.Landed again = stack.upload(data.orders(), "orders");
      for (int i = 0; i < 2; i++) {
        Execution rerun = stack.ingest(again);
        assertThat(rerun.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(statesEntered(rerun))
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
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(400);
      assertThat(
              spark
                  .sql("SELECT count(*) FROM ecommerce_lakehouse.raw_orders.snapshots")
                  .first()
                  .getLong(0))
          .isEqualTo(1);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
      List<PipelineRun> skipped =
          new RunLog(stack.lakehouse().catalog())
              .all().stream()
                  .filter(r -> r.status() == RunStatus.SKIPPED && r.step().equals("pipeline"))
                  .toList();
      assertThat(skipped).hasSize(2);
      assertThat(skipped.get(0).message())
          .startsWith(
              "already ingested by arn:aws:states:local:000000000000:execution:ingest-pipeline:");

      // Any legal S3 key loads: spaces, unicode, '+' and '%' (five orders re-landed unchanged: gold
      // stays the same).
      Path oddName =
          Files.write(
              dir.resolve("orders c13 spaces ünïcødé 订单 +%.jsonl"),
              Files.readAllLines(data.orders()).subList(0, 5));
      Execution odd = stack.ingest(stack.upload(oddName, "orders"));
      assertThat(odd.status()).as(odd.historyTable()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(405);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
      try (var staged = Files.walk(stack.home().root().resolve("staging"))) {
        assertThat(staged.filter(Files::isRegularFile))
            .as("staging is emptied after each bronze run")
            .isEmpty();
      }
    }
  }

  @Test
  void aFailingJobFailsTheExecutionThereLeavesTablesUntouchedAndARedriveCompletesLikeACleanRun()
      throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    AtomicBoolean silverBroken = new AtomicBoolean(false);
    try (LocalStack stack =
        LocalStack.builder(LakehouseHome.open(dir.resolve("home")))
            .failJob(LocalResources.SILVER_ORDERS_JOB, "worker lost", silverBroken::get)
            .build()) {
      stack.ingest(stack.upload(data.customers(), "customers"));
      stack.ingest(stack.upload(data.products(), "products"));
      SparkSession spark = stack.lakehouse().spark();
      long ordersSnapshots =
          spark
              .sql("SELECT count(*) FROM ecommerce_lakehouse.curated_orders.snapshots")
              .first()
              .getLong(0);

      silverBroken.set(true);
      Execution failed = stack.ingest(stack.upload(data.orders(), "orders"));

      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(failed.error()).isEqualTo("States.TaskFailed");
      assertThat(failed.cause())
          .contains(
              "\"JobName\":\"lakehouse-silver-orders\"",
              "\"JobRunState\":\"FAILED\"",
              "\"ErrorMessage\":\"IllegalStateException: worker lost\"");
      assertThat(statesEntered(failed))
          .endsWith(
              "Bronze",
              "MoreQueued",
              "CustomersChanged",
              "ProductsChanged",
              "OrdersChanged",
              "SilverOrders");
      assertThat(
              spark
                  .sql("SELECT count(*) FROM ecommerce_lakehouse.curated_orders.snapshots")
                  .first()
                  .getLong(0))
          .as("silver untouched")
          .isEqualTo(ordersSnapshots);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isZero();
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count())
          .as("bronze had succeeded")
          .isEqualTo(400);
      PipelineRun recorded =
          new RunLog(stack.lakehouse().catalog())
              .forExecution(failed.id()).stream()
                  .filter(r -> r.step().equals("pipeline"))
                  .findFirst()
                  .orElseThrow();
      assertThat(recorded.status()).isEqualTo(RunStatus.FAILED);
      assertThat(stack.outbox().messages()).hasSize(1);
      assertThat(stack.outbox().messages().get(0).get("Message").asText())
          .startsWith("Execution " + failed.id() + " FAILED: States.TaskFailed: ");

      silverBroken.set(false);
      Execution redriven = stack.redrive(failed.id());

      assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(redriven.redriveCount()).isEqualTo(1);
      assertThat(
              redriven.history().stream()
                  .filter(
                      e -> e.type() == EventType.StateEntered && "Bronze".equals(e.stateName())))
          .as("bronze is not run again")
          .hasSize(1);
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(400);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
    }
  }

  @Test
  void objectsUnderAnUnknownPrefixOrEmptyAreMovedToRejectedWithTheReason() throws Exception {
    Path invoices = Files.writeString(dir.resolve("invoices.jsonl"), "{\"invoice_id\":\"I1\"}\n");
    Path empty = Files.writeString(dir.resolve("orders-empty.jsonl"), "");
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(dir.resolve("home"))).build()) {
      Execution unknown = stack.ingest(stack.upload(invoices, "invoices"));
      assertThat(unknown.status())
          .as("a rejected object does not fail its batch")
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(statesEntered(unknown))
          .containsExactly(
              "ClaimBatch",
              "BatchReady",
              "AnyRejected",
              "NotifyRejections",
              "AnyAccepted",
              "MoreQueued",
              "RecordBatch",
              "AckBatch",
              "Loaded");
      var tags =
          stack
              .s3()
              .getObjectTagging(
                  b -> b.bucket("landing").key("rejected/landing/invoices/invoices.jsonl"))
              .tagSet();
      assertThat(tags)
          .anySatisfy(
              t -> {
                assertThat(t.key()).isEqualTo("reject-reason");
                assertThat(t.value()).isEqualTo("UnknownTable");
              });
      assertThat(
              stack
                  .s3()
                  .listObjectsV2(b -> b.bucket("landing").prefix("landing/invoices/"))
                  .keyCount())
          .isZero();

      Execution emptyFile = stack.ingest(stack.upload(empty, "orders"));
      assertThat(emptyFile.status()).isEqualTo(ExecutionStatus.SUCCEEDED);

      List<PipelineRun> rejections =
          new RunLog(stack.lakehouse().catalog())
              .all().stream()
                  .filter(r -> r.step().equals("route"))
                  .sorted(java.util.Comparator.comparing(PipelineRun::startedAt))
                  .toList();
      assertThat(rejections).extracting(PipelineRun::status).containsOnly(RunStatus.FAILED);
      assertThat(rejections)
          .extracting(r -> r.executionId() + " " + r.sourceFile() + " " + r.message().split(":")[0])
          .containsExactly(
              unknown.id()
                  + " s3://landing/landing/invoices/invoices.jsonl dev.lakehouse.core.ingest.UnknownTable",
              emptyFile.id()
                  + " s3://landing/landing/orders/orders-empty.jsonl dev.lakehouse.core.ingest.EmptyObject");
      assertThat(stack.outbox().messages())
          .extracting(m -> m.get("Subject").asText())
          .containsExactly(
              "Lakehouse: landed objects rejected", "Lakehouse: landed objects rejected");
      assertThat(stack.outbox().messages().get(0).get("Message").asText())
          .startsWith(
              "Batch "
                  + unknown.name()
                  + " rejected 1 landed object(s), moved under rejected/ with the reason as tags:\ns3://landing/landing/invoices/"
                  + "invoices.jsonl: UnknownTable: ");
      assertThat(stack.ingestQueue().leasedCount()).as("every message acknowledged").isZero();
    }
  }

  /**
   * Customers and products of generated data, one successful execution each: what order tests start
   * from.
   */
  static void ingestDimensions(LocalStack stack, SampleDataGenerator.Result data) {
    for (Path file : List.of(data.customers(), data.products())) {
      Execution execution =
          stack.ingest(stack.upload(file, file.getFileName().toString().replace(".jsonl", "")));
      assertThat(execution.status())
          .as(execution.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
    }
  }

  /**
   * The orders file dealt round-robin into {@code parts} disjoint files {@code
   * orders-part<n>.jsonl} under dir.
   */
  static List<Path> splitOrders(Path orders, int parts, Path dir) throws java.io.IOException {
    List<String> lines = Files.readAllLines(orders);
    List<Path> files = new java.util.ArrayList<>();
    for (int p = 0; p < parts; p++) {
      List<String> part = new java.util.ArrayList<>();
      for (int i = p; i < lines.size(); i += parts) {
        part.add(lines.get(i));
      }
      files.add(Files.write(dir.resolve("orders-part" + p + ".jsonl"), part));
    }
    return files;
  }

  static List<String> statesEntered(Execution execution) {
    return execution.history().stream()
        .filter(e -> e.type() == EventType.StateEntered)
        .map(HistoryEvent::stateName)
        .toList();
  }

  static List<String> gold(SparkSession spark) {
    return spark
        .sql(
            "SELECT metric_date, metric_type, dimension_value, metric_value, metric_count"
                + " FROM ecommerce_lakehouse.agg_daily_metrics ORDER BY metric_date, metric_type, dimension_value")
        .collectAsList()
        .stream()
        .map(
            r ->
                r.get(0)
                    + "|"
                    + r.getString(1)
                    + "|"
                    + r.getString(2)
                    + "|"
                    + r.getDecimal(3).toPlainString()
                    + "|"
                    + r.getLong(4))
        .toList();
  }
}
