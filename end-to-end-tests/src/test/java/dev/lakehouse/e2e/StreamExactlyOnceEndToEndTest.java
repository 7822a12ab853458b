package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.cli.LakehouseCli;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.KafkaEvents;
import dev.lakehouse.local.stack.KafkaEvents.Published;
import dev.lakehouse.local.stack.LocalKafka;
import dev.lakehouse.local.stack.LocalStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job SIGKILLed after the Iceberg commit of a micro-batch and before Spark's
 * checkpoint recorded it, then restarted with {@code lakehouse stream --available-now}: Spark
 * replays the batch, the table's Kafka position says it is loaded, and every event ends up in
 * bronze (or quarantine) exactly once.
 */
class StreamExactlyOnceEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(29, 5, 5, 12, LocalDate.parse("2026-11-01"), 0.0);
  static final String EVENTS_PER_BATCH = "3";
  static final long HOLD_AT_BATCH = 1;

  @TempDir Path dir;

  @Test
  void aStreamKilledBetweenItsCommitAndItsCheckpointLoadsEveryEventOnceAfterRestart()
      throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    List<String> orders = Files.readAllLines(data.orders());
    List<String> lines = new ArrayList<>(orders);
    lines.add(4, StreamEndToEndTest.MALFORMED.get(0));
    Path events = Files.write(dir.resolve("events.jsonl"), lines);
    Path home = dir.resolve("home");
    Path checkpoint = LocalKafka.checkpoint(LakehouseHome.open(home), StreamEndToEndTest.TOPIC);
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build();
        LocalKafka kafka = LocalKafka.open(stack.home())) {
      List<Published> published =
          KafkaEvents.publish(
              kafka.bootstrapServers(), StreamEndToEndTest.TOPIC, 2, events, "order_id");

      Path marker = dir.resolve("held.marker");
      Path log = dir.resolve("held.log");
      Process held =
          CliProcess.java(
              log,
              "1200m",
              HeldStream.class.getName(),
              List.of(
                  home.toString(),
                  kafka.bootstrapServers(),
                  checkpoint.toString(),
                  Long.toString(HOLD_AT_BATCH),
                  marker.toString(),
                  EVENTS_PER_BATCH));
      CrashRecoveryEndToEndTest.awaitFile(marker, held, log);
      held.destroyForcibly().waitFor(); // SIGKILL
      // Killed between the two commits: the batch is in the offset log, not in the commit log, yet
      // in the table.
      assertThat(checkpoint.resolve("offsets").resolve(Long.toString(HOLD_AT_BATCH))).exists();
      assertThat(checkpoint.resolve("commits").resolve(Long.toString(HOLD_AT_BATCH)))
          .doesNotExist();
      SparkSession spark = stack.lakehouse().spark();
      spark.sql("REFRESH TABLE ecommerce_lakehouse.raw_orders");
      List<String> heldSources = List.of(Files.readString(marker).split(","));
      assertThat(
              StreamEndToEndTest.rows(
                  spark, "SELECT DISTINCT _source_file FROM ecommerce_lakehouse.raw_orders"))
          .containsAll(heldSources.stream().filter(s -> !s.isEmpty()).toList());
      long loadedBeforeKill = spark.table("ecommerce_lakehouse.raw_orders").count();
      assertThat(loadedBeforeKill).isPositive().isLessThan(orders.size());

      StringWriter out = new StringWriter();
      int exit =
          LakehouseCli.run(
              new String[] {
                "--home",
                home.toString(),
                "stream",
                "--available-now",
                "--max-offsets-per-trigger",
                EVENTS_PER_BATCH
              },
              new PrintWriter(out),
              new PrintWriter(System.err, true));
      assertThat(exit).as(out.toString()).isZero();
      assertThat(out.toString()).contains("batch " + HOLD_AT_BATCH + ": already loaded");

      // Every event exactly once: each good one in bronze at its own offset, the malformed one in
      // quarantine.
      List<String> expectedBronze = new ArrayList<>();
      List<String> expectedQuarantine = new ArrayList<>();
      for (Published p : published) {
        String at = p.partition() + "|" + p.offset();
        (lines.get((int) p.line() - 1).equals(StreamEndToEndTest.MALFORMED.get(0))
                ? expectedQuarantine
                : expectedBronze)
            .add(at);
      }
      spark.sql("REFRESH TABLE ecommerce_lakehouse.raw_orders");
      assertThat(
              StreamEndToEndTest.rows(
                  spark,
                  "SELECT split(_source_file, '/')[3], _source_line"
                      + " FROM ecommerce_lakehouse.raw_orders"))
          .containsExactlyInAnyOrderElementsOf(expectedBronze);
      assertThat(
              StreamEndToEndTest.rows(
                  spark,
                  "SELECT count(*), count(DISTINCT _source_file, _source_line)"
                      + " FROM ecommerce_lakehouse.raw_orders"))
          .containsExactly(orders.size() + "|" + orders.size());
      assertThat(
              StreamEndToEndTest.rows(
                  spark,
                  "SELECT split(source_file, '/')[3], source_line"
                      + " FROM ecommerce_lakehouse.quarantine"))
          .containsExactlyElementsOf(expectedQuarantine);
    }
  }
}
