package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.PipelineEndToEndTest.gold;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.core.ingest.BatchSettings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched ingestion through the local stack: a burst of small files is drained by one execution (a
 * bronze run per batch of N objects, then one silver run per entity and one gold run), a file
 * landing while silver runs waits for the next execution, a re-dropped object loads once, and a
 * batch failing in silver or in a later bronze pass is redriven to exactly-once.
 */
class BatchedIngestEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(11, 40, 20, 400, LocalDate.parse("2026-11-01"), 0.0);
  static final int BATCH = 10;

  @TempDir Path dir;

  @Test
  void aBurstOfFortyFilesLoadsInOneExecutionOfFourBronzePassesAndALateFileWaitsForTheNext()
      throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    List<Path> orderFiles = PipelineEndToEndTest.splitOrders(data.orders(), 40, dir);
    Path late =
        Files.writeString(dir.resolve("orders-late.jsonl"), Files.readString(orderFiles.get(0)));
    AtomicReference<LocalStack> stackRef = new AtomicReference<>();
    AtomicBoolean lateDropped = new AtomicBoolean(false);
    try (LocalStack stack =
        LocalStack.builder(LakehouseHome.open(dir.resolve("home")))
            .batches(BatchSettings.defaults().withWindowSeconds(0).withMaxObjects(BATCH))
            // While the burst's silver runs, one more file lands (with the content of an earlier
            // one).
            .onJobStart(
                LocalResources.SILVER_ORDERS_JOB,
                () -> {
                  LocalStack s = stackRef.get();
                  if (s.ingestQueue().leasedCount() == 40
                      && lateDropped.compareAndSet(false, true)) {
                    s.enqueue(s.upload(late, "orders"));
                  }
                })
            .build()) {
      stackRef.set(stack);
      List<Execution> dimensions =
          stack.ingestAll(
              List.of(
                  stack.upload(data.customers(), "customers"),
                  stack.upload(data.products(), "products")));
      assertThat(dimensions).hasSize(1);
      // A name the caller cannot place fails the drop before anything is uploaded.
      Path unplaced = orderFiles.get(7);
      assertThatThrownBy(
              () ->
                  stack.uploadAll(
                      orderFiles,
                      f -> {
                        if (f.equals(unplaced)) {
                          throw new IllegalArgumentException("cannot place " + f.getFileName());
                        }
                        return "orders";
                      }))
          .hasMessage("cannot place " + unplaced.getFileName());
      assertThat(
              stack
                  .s3()
                  .listObjectsV2(
                      b -> b.bucket(LocalResources.LANDING_BUCKET).prefix("landing/orders/"))
                  .keyCount())
          .isZero();
      // Ten uploads at a time, answered in the files' order with each file's own ETag.
      List<LocalStack.Landed> burst = stack.uploadAll(orderFiles, f -> "orders");
      assertThat(burst)
          .extracting(LocalStack.Landed::key)
          .containsExactlyElementsOf(
              orderFiles.stream().map(f -> "landing/orders/" + f.getFileName()).toList());
      for (int i = 0; i < orderFiles.size(); i++) {
        assertThat(burst.get(i).etag()).isEqualTo(md5(orderFiles.get(i)));
      }

      List<Execution> batches = stack.ingestAll(burst);

      assertThat(lateDropped).isTrue();
      assertThat(batches).extracting(Execution::status).containsOnly(ExecutionStatus.SUCCEEDED);
      assertThat(batches)
          .as("40 files drained by one execution, then the late file alone")
          .hasSize(2);
      assertThat(entered(batches.get(0), "Bronze")).as("a bronze pass per 10 files").isEqualTo(4);
      assertThat(entered(batches.get(0), "ClaimMore")).isEqualTo(3);
      assertThat(entered(batches.get(0), "SilverOrders")).isEqualTo(1);
      assertThat(entered(batches.get(0), "Gold")).isEqualTo(1);
      assertThat(stack.batchOf(batches.get(0)).orElseThrow().passes()).isEqualTo(4);
      SparkSession spark = stack.lakehouse().spark();
      RunLog runLog = new RunLog(stack.lakehouse().catalog());
      List<PipelineRun> loaded =
          runLog.all().stream()
              .filter(
                  r ->
                      r.step().equals("pipeline")
                          && r.status() == RunStatus.SUCCEEDED
                          && r.tableName().equals("raw_orders"))
              .toList();
      assertThat(loaded).hasSize(41);
      assertThat(
              loaded.stream()
                  .filter(r -> r.sourceFile().endsWith("orders-late.jsonl"))
                  .map(PipelineRun::executionId))
          .containsExactly(batches.get(1).id());
      String burstId = batches.get(0).id();
      assertThat(loaded.stream().filter(r -> r.executionId().equals(burstId))).hasSize(40);
      assertThat(runLog.forExecution(burstId))
          .extracting(PipelineRun::step)
          .as("one bronze row per object, one silver and one gold row for the whole burst")
          .containsOnly("bronze", "silver", "gold", "pipeline")
          .filteredOn(s -> s.equals("silver"))
          .hasSize(1);
      // Every order once in bronze (the late file repeats 10 orders: bronze keeps both copies with
      // their lineage, silver keeps one), one append per bronze pass.
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(410);
      assertThat(scalar(spark, "SELECT count(*) FROM ecommerce_lakehouse.raw_orders.snapshots"))
          .isEqualTo(5);
      assertThat(
              scalar(
                  spark, "SELECT count(DISTINCT _source_file) FROM ecommerce_lakehouse.raw_orders"))
          .isEqualTo(41);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isEqualTo(400);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));

      // The same object dropped again lands in a later batch and is loaded once.
      Execution again = stack.ingest(burst.get(3));
      assertThat(again.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(410);
      assertThat(stack.ingestQueue().leasedCount() + stack.ingestQueue().approximateSize())
          .isZero();
    }
  }

  @Test
  void aBatchFailingInSilverKeepsItsObjectsLeasedAndARedriveLoadsEveryRowOnce() throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    AtomicBoolean silverBroken = new AtomicBoolean(false);
    try (LocalStack stack =
        LocalStack.builder(LakehouseHome.open(dir.resolve("home")))
            .batches(BatchSettings.defaults().withWindowSeconds(0).withMaxObjects(BATCH))
            .failJob(LocalResources.SILVER_ORDERS_JOB, "worker lost", silverBroken::get)
            .build()) {
      stack.ingestAll(
          List.of(
              stack.upload(data.customers(), "customers"),
              stack.upload(data.products(), "products")));
      SparkSession spark = stack.lakehouse().spark();
      long curatedSnapshots =
          scalar(spark, "SELECT count(*) FROM ecommerce_lakehouse.curated_orders.snapshots");
      List<LocalStack.Landed> files = new ArrayList<>();
      for (Path file : PipelineEndToEndTest.splitOrders(data.orders(), 5, dir)) {
        files.add(stack.upload(file, "orders"));
      }

      silverBroken.set(true);
      List<Execution> batches = stack.ingestAll(files);

      assertThat(batches).hasSize(1);
      Execution failed = batches.get(0);
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(scalar(spark, "SELECT count(*) FROM ecommerce_lakehouse.curated_orders.snapshots"))
          .as("silver at its last good snapshot")
          .isEqualTo(curatedSnapshots);
      assertThat(stack.ingestQueue().leasedCount())
          .as("the batch's messages wait for the redrive")
          .isEqualTo(5);
      assertThat(stack.drain()).as("nothing else to run meanwhile").isEmpty();

      silverBroken.set(false);
      Execution redriven = stack.redrive(failed.id());

      assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(stack.ingestQueue().leasedCount()).isZero();
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(400);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isEqualTo(400);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
      assertThat(loadedBy(stack, failed.id())).hasSize(5);
    }
  }

  @Test
  void aBatchFailingInItsSecondBronzePassIsRedrivenFromThatPassAndLoadsEveryRowOnce()
      throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    AtomicBoolean armed = new AtomicBoolean(false);
    java.util.concurrent.atomic.AtomicInteger bronzeRuns =
        new java.util.concurrent.atomic.AtomicInteger();
    try (LocalStack stack =
        LocalStack.builder(LakehouseHome.open(dir.resolve("home")))
            .batches(BatchSettings.defaults().withWindowSeconds(0).withMaxObjects(BATCH))
            .failJob(
                LocalResources.BRONZE_JOB,
                "worker lost",
                () -> armed.get() && bronzeRuns.incrementAndGet() == 2)
            .build()) {
      stack.ingestAll(
          List.of(
              stack.upload(data.customers(), "customers"),
              stack.upload(data.products(), "products")));
      SparkSession spark = stack.lakehouse().spark();
      List<Path> files = PipelineEndToEndTest.splitOrders(data.orders(), 15, dir);
      List<LocalStack.Landed> landed = stack.uploadAll(files, f -> "orders");

      armed.set(true);
      List<Execution> batches = stack.ingestAll(landed);

      assertThat(batches).hasSize(1);
      Execution failed = batches.get(0);
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(failed.redrivePoint().stateName()).isEqualTo("Bronze");
      assertThat(failed.redrivePoint().input().path("batch").path("pass").asInt()).isEqualTo(2);
      assertThat(
              scalar(
                  spark, "SELECT count(DISTINCT _source_file) FROM ecommerce_lakehouse.raw_orders"))
          .as("the first pass's ten objects are in bronze")
          .isEqualTo(BATCH);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isZero();
      assertThat(stack.ingestQueue().leasedCount()).isEqualTo(15);

      Execution redriven = stack.redrive(failed.id());

      assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(entered(redriven, "Bronze")).as("pass 1, pass 2 failed, pass 2").isEqualTo(3);
      assertThat(stack.ingestQueue().leasedCount() + stack.ingestQueue().approximateSize())
          .isZero();
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(400);
      assertThat(scalar(spark, "SELECT count(*) FROM ecommerce_lakehouse.raw_orders.snapshots"))
          .as("one append per pass")
          .isEqualTo(2);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isEqualTo(400);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
      assertThat(loadedBy(stack, failed.id())).hasSize(15);
    }
  }

  private static long scalar(SparkSession spark, String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  /** The objects an execution loaded all the way (its pipeline SUCCEEDED rows). */
  private static java.util.stream.Stream<PipelineRun> loadedBy(
      LocalStack stack, String executionId) {
    return new RunLog(stack.lakehouse().catalog())
        .forExecution(executionId).stream()
            .filter(r -> r.step().equals("pipeline") && r.status() == RunStatus.SUCCEEDED);
  }

  private static long entered(Execution execution, String state) {
    return execution.history().stream()
        .filter(
            e ->
                e.type() == dev.lakehouse.asl.history.EventType.StateEntered
                    && state.equals(e.stateName()))
        .count();
  }

  private static String md5(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
  }
}
