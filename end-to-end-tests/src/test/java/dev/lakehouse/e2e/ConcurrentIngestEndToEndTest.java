package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.PipelineEndToEndTest.gold;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several `lakehouse ingest` processes at once on one home, each with its own orders file: one S3
 * server for all, one silver/gold run at a time, conflicts planned again — every order exactly
 * once, gold equal to the files.
 *
 * <p>CI runs it once; the full proof recorded in docs/reliability.md repeats it on fresh homes:
 * {@code -Dreliability.repeats=5}.
 */
class ConcurrentIngestEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(17, 40, 20, 600, LocalDate.parse("2026-11-01"), 0.0);
  static final int PROCESSES = 4;
  static final int REPEATS = Integer.getInteger("reliability.repeats", 1);

  @TempDir Path dir;

  @Test
  void concurrentIngestProcessesLoadEveryOrderOnce() throws Exception {
    for (int repeat = 1; repeat <= REPEATS; repeat++) {
      loadConcurrently(dir.resolve("repeat-" + repeat));
    }
  }

  private void loadConcurrently(Path dir) throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    Path home = dir.resolve("home");
    List<Path> parts = PipelineEndToEndTest.splitOrders(data.orders(), PROCESSES, dir);

    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build()) {
      PipelineEndToEndTest.ingestDimensions(stack, data);

      List<Process> clis = new ArrayList<>();
      for (int p = 0; p < PROCESSES; p++) {
        clis.add(
            CliProcess.start(
                home,
                dir.resolve("cli-" + p + ".log"),
                "1500m",
                "ingest",
                parts.get(p).toString()));
      }
      for (int p = 0; p < PROCESSES; p++) {
        assertThat(clis.get(p).waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(clis.get(p).exitValue())
            .as(Files.readString(dir.resolve("cli-" + p + ".log")))
            .isZero();
      }

      SparkSession spark = stack.lakehouse().spark();
      assertThat(
              spark
                  .sql(
                      "SELECT count(*), count(DISTINCT order_id) FROM ecommerce_lakehouse.raw_orders")
                  .first()
                  .toString())
          .isEqualTo("[600,600]");
      assertThat(
              spark
                  .sql(
                      "SELECT count(*), count(DISTINCT order_id) FROM ecommerce_lakehouse.curated_orders")
                  .first()
                  .toString())
          .isEqualTo("[600,600]");
      assertThat(
              spark
                  .sql(
                      "SELECT count(*) FROM (SELECT order_id, line_number FROM ecommerce_lakehouse.curated_order_items"
                          + " GROUP BY order_id, line_number HAVING count(*) > 1)")
                  .first()
                  .getLong(0))
          .as("no order line twice")
          .isZero();
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(data.products(), data.orders()));
      assertThat(stack.runner().list())
          .extracting(e -> e.status())
          .containsOnly(ExecutionStatus.SUCCEEDED);
    }
  }
}
