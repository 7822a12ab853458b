package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.PipelineEndToEndTest.gold;
import static dev.lakehouse.e2e.PipelineEndToEndTest.statesEntered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.asl.Execution;
import dev.lakehouse.local.asl.ExecutionStatus;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A `lakehouse ingest` process SIGKILLed once bronze has committed and silver has started: the execution is not
 * left RUNNING forever, the failure is alerted, and both ways back (redrive, or dropping the object again) load
 * every order exactly once.
 */
class CrashRecoveryEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(13, 40, 20, 300, LocalDate.parse("2026-11-01"), 0.0);

  @TempDir Path dir;

  @Test
  void aProcessKilledDuringSilverLeavesAFailedExecutionThatIsRecoveredExactlyOnce() throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    Path home = dir.resolve("home");
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build()) {
      PipelineEndToEndTest.ingestDimensions(stack, data);

      // Another process ingests the orders and is killed as soon as its execution enters the orders silver job.
      Process cli = CliProcess.start(home, dir.resolve("cli.log"), "2g", "ingest", data.orders().toString());
      Path executionFile = awaitExecutionEntering(home.resolve("executions"), "SilverOrders", cli, Duration.ofMinutes(4));
      cli.destroyForcibly().waitFor();
      assertThat(Files.readString(executionFile)).contains("\"status\" : \"RUNNING\"");
    }

    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build()) {
      SparkSession spark = stack.lakehouse().spark();
      Execution killed = stack.runner().list().stream()
          .filter(e -> e.history().stream().anyMatch(h -> "SilverOrders".equals(h.stateName()))).findFirst().orElseThrow();
      assertThat(killed.status()).as("ended when the next stack started").isEqualTo(ExecutionStatus.FAILED);
      assertThat(killed.error()).isEqualTo(Execution.PROCESS_DIED);
      assertThat(killed.redrivePoint().stateName()).isEqualTo("SilverOrders");
      assertThat(stack.outbox().messages()).extracting(m -> m.get("Subject").asText())
          .containsExactly("Lakehouse: execution FAILED");
      assertThat(new RunLog(stack.lakehouse().catalog()).forExecution(killed.id()))
          .extracting(PipelineRun::step, PipelineRun::status)
          .contains(org.assertj.core.groups.Tuple.tuple("bronze", RunStatus.SUCCEEDED),
              org.assertj.core.groups.Tuple.tuple("pipeline", RunStatus.FAILED));
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).as("bronze had committed").isEqualTo(300);

      // Dropping the object again does not claim "already ingested": bronze recognises it, silver and gold run.
      Execution again = stack.ingest(stack.upload(data.orders(), "orders"));
      assertThat(again.status()).as(again.historyTable()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(statesEntered(again)).contains("Bronze", "SilverOrders", "Gold", "RecordRun");
      // The operator's redrive of the killed execution then finds nothing left to do, and changes nothing.
      Execution redriven = stack.redrive(killed.id());
      assertThat(redriven.status()).as(redriven.historyTable()).isEqualTo(ExecutionStatus.SUCCEEDED);

      assertThat(spark.table("ecommerce_lakehouse.raw_orders").count()).isEqualTo(300);
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count()).isEqualTo(300);
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
      Execution third = stack.ingest(stack.upload(data.orders(), "orders"));
      assertThat(statesEntered(third)).containsExactly("Route", "AlreadyIngested", "RecordSkipped", "AlreadyLoaded");

      // Files the killed process wrote but never committed are orphans: removal (its age guard passed by moving the
      // clock) deletes those and nothing any snapshot references, so every table reads the same afterwards.
      List<String> before = contents(spark);
      var maintenance = new dev.lakehouse.core.maintenance.TableMaintenance(stack.lakehouse().catalog(),
          java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(4)));
      for (String table : List.of("raw_orders", "curated_orders", "curated_order_items", "curated_customers",
          "quarantine", "agg_daily_metrics")) {
        maintenance.removeOrphanFiles(table).execute();
      }
      assertThat(contents(spark)).isEqualTo(before);
    }
  }

  private static List<String> contents(SparkSession spark) {
    List<String> all = new java.util.ArrayList<>();
    for (String table : List.of("raw_orders", "curated_orders", "curated_order_items", "curated_customers",
        "agg_daily_metrics")) {
      all.add(table + ":" + spark.sql("SELECT * FROM ecommerce_lakehouse." + table).collectAsList().stream()
          .map(Object::toString).sorted().toList().hashCode() + ":" + spark.table("ecommerce_lakehouse." + table).count());
    }
    return all;
  }

  private static Path awaitExecutionEntering(Path executions, String state, Process cli, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(cli.isAlive()).as("the CLI ended before reaching " + state).isTrue();
      if (Files.isDirectory(executions)) {
        try (Stream<Path> files = Files.list(executions)) {
          for (Path file : files.filter(f -> f.getFileName().toString().startsWith("ingest-pipeline__")).toList()) {
            String json = Files.readString(file);
            if (json.contains("\"stateName\" : \"" + state + "\"") && json.contains("\"status\" : \"RUNNING\"")) {
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
