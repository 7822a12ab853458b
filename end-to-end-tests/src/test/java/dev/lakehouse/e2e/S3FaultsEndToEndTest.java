package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.PipelineEndToEndTest.gold;
import static dev.lakehouse.e2e.PipelineEndToEndTest.statesEntered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
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
 * S3 misbehaving between the lakehouse and its storage (a fault-injecting proxy): 503 Slow Down,
 * reset connections and latency are retried and the load completes; an outage while bronze runs
 * fails the execution cleanly, alerts, leaves the tables at their last good snapshot, and a redrive
 * once S3 is back loads every order once.
 */
class S3FaultsEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(19, 40, 20, 400, LocalDate.parse("2026-11-01"), 0.0);

  @TempDir Path dir;

  @Test
  void transientFaultsAreRetriedAndAnOutageFailsCleanlyThenARedriveLoadsOnce() throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    List<String> orders = Files.readAllLines(data.orders());
    Path firstHalf = Files.write(dir.resolve("orders-1.jsonl"), orders.subList(0, 200));
    Path secondHalf = Files.write(dir.resolve("orders-2.jsonl"), orders.subList(200, 400));
    AtomicBoolean outageAtBronze = new AtomicBoolean();
    try (FaultyS3Proxy proxy = new FaultyS3Proxy();
        LocalStack stack =
            LocalStack.builder(LakehouseHome.open(dir.resolve("home")))
                .s3Route(proxy::route)
                .onJobStart(LocalResources.BRONZE_JOB, () -> proxy.down(outageAtBronze.get()))
                .build()) {
      PipelineEndToEndTest.ingestDimensions(stack, data);
      SparkSession spark = stack.lakehouse().spark();

      proxy.slowDowns(3);
      proxy.internalErrors(3);
      proxy.resets(3);
      proxy.latency(150);
      Execution bumpy = stack.ingest(stack.upload(firstHalf, "orders"));
      proxy.latency(0);
      assertThat(bumpy.status()).as(bumpy.historyTable()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(proxy.slowDownsInjected.get()).as("503 Slow Down answers retried").isPositive();
      assertThat(proxy.internalErrorsInjected.get())
          .as("500 Internal Error answers retried")
          .isPositive();
      assertThat(proxy.resetsInjected.get()).as("reset connections retried").isPositive();
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isEqualTo(200);
      long rawSnapshots =
          spark
              .sql("SELECT count(*) FROM ecommerce_lakehouse.raw_orders.snapshots")
              .first()
              .getLong(0);

      outageAtBronze.set(true);
      Execution failed = stack.ingest(stack.upload(secondHalf, "orders"));
      proxy.down(false);
      outageAtBronze.set(false);

      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(statesEntered(failed))
          .endsWith("ClaimBatch", "BatchReady", "AnyRejected", "AnyAccepted", "Bronze");
      assertThat(proxy.refusedWhileDown.get()).isPositive();
      assertThat(stack.outbox().messages())
          .extracting(m -> m.get("Message").asText())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("Execution " + failed.id() + " FAILED: States.TaskFailed: "));
      assertThat(
              spark
                  .sql("SELECT count(*) FROM ecommerce_lakehouse.raw_orders.snapshots")
                  .first()
                  .getLong(0))
          .as("bronze at its last good snapshot")
          .isEqualTo(rawSnapshots);
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(200);

      Execution redriven = stack.redrive(failed.id());

      assertThat(redriven.status())
          .as(redriven.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(400);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isEqualTo(400);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
    }
  }
}
