package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.jobs.GoldJob;
import dev.lakehouse.jobs.JobMain;
import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.KafkaStreamJob;
import dev.lakehouse.jobs.SilverJob;
import dev.lakehouse.jobs.stream.KafkaPosition;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.KafkaEvents;
import dev.lakehouse.local.stack.KafkaEvents.Published;
import dev.lakehouse.local.stack.LocalKafka;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order events through a real Kafka broker (the home's, KRaft) into bronze with the streaming job,
 * then through silver and gold like landed files: lineage names each event's partition range and
 * offset, malformed events are quarantined with theirs, and gold equals the business rules computed
 * independently over the same orders.
 */
class StreamEndToEndTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(23, 20, 10, 30, LocalDate.parse("2026-11-01"), 0.0);
  static final String TOPIC = "orders";

  /** Not JSON, and JSON whose amount is not a number: both must reach quarantine, nothing else. */
  static final List<String> MALFORMED =
      List.of(
          "{\"order_id\": \"BROKEN-1\", \"items\": [",
          "{\"order_id\": \"BROKEN-2\", \"customer_id\": \"C1\", \"total_amount\": \"lots\"}");

  @TempDir Path dir;

  @Test
  void streamedOrdersLandInBronzeWithExactLineageAndReachGold() throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    List<String> orders = Files.readAllLines(data.orders());
    Path events = withMalformed(orders, dir.resolve("events.jsonl"));
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(dir.resolve("home"))).build();
        LocalKafka kafka = LocalKafka.open(stack.home())) {
      PipelineEndToEndTest.ingestDimensions(stack, data);
      List<Published> published =
          KafkaEvents.publish(kafka.bootstrapServers(), TOPIC, 2, events, "order_id");
      assertThat(published).hasSize(orders.size() + 2);
      assertThat(published.stream().map(Published::partition).distinct()).hasSize(2);

      SparkSession spark = stack.lakehouse().spark();
      JobResult result =
          JobMain.execute(
              KafkaStreamJob.fromArgs(
                  "--bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--topic",
                  TOPIC,
                  "--checkpoint",
                  dir.resolve("checkpoint").toString(),
                  "--available-now"),
              spark);
      assertThat(List.of(result.rowsIn(), result.rowsWritten(), result.rowsRejected()))
          .containsExactly((long) orders.size() + 2, (long) orders.size(), 2L);

      // One micro-batch: each partition's range is its first to last offset.
      Map<Integer, String> range = ranges(published);
      List<String> lines = Files.readAllLines(events);
      List<String> expectedBronze = new ArrayList<>();
      List<String> expectedQuarantine = new ArrayList<>();
      for (Published p : published) {
        String line = lines.get((int) p.line() - 1);
        String lineage = range.get(p.partition()) + "|" + p.offset();
        if (MALFORMED.contains(line)) {
          expectedQuarantine.add(lineage + "|bronze");
        } else {
          expectedBronze.add(lineage);
        }
      }
      assertThat(
              rows(spark, "SELECT _source_file, _source_line FROM ecommerce_lakehouse.raw_orders"))
          .containsExactlyInAnyOrderElementsOf(expectedBronze);
      assertThat(
              rows(
                  spark,
                  "SELECT source_file, source_line, stage FROM ecommerce_lakehouse.quarantine"
                      + " WHERE source_file LIKE 'kafka://%'"))
          .containsExactlyInAnyOrderElementsOf(expectedQuarantine);

      // Silver and gold pick the streamed rows up like any other bronze rows.
      JobMain.execute(SilverJob.fromArgs("--entity", "orders"), spark);
      JobMain.execute(GoldJob.fromArgs(), spark);
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      long distinctOrders =
          orders.stream()
              .map(
                  o -> {
                    try {
                      return json.readTree(o).get("order_id").asText();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .distinct()
              .count();
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").count())
          .isEqualTo(distinctOrders);
      assertThat(PipelineEndToEndTest.gold(spark))
          .containsExactlyElementsOf(ExpectedGold.from(data.products(), data.orders()));
    }
  }

  /** The orders with the malformed events among them (after the 5th and the 15th order). */
  static Path withMalformed(List<String> orders, Path file) throws java.io.IOException {
    List<String> lines = new ArrayList<>(orders);
    lines.add(15, MALFORMED.get(1));
    lines.add(5, MALFORMED.get(0));
    return Files.write(file, lines);
  }

  /**
   * Each partition's offsets as a single micro-batch names them: {@code
   * kafka://orders/p/first-last}.
   */
  static Map<Integer, String> ranges(List<Published> published) {
    Map<Integer, List<Long>> offsets =
        published.stream()
            .collect(
                Collectors.groupingBy(
                    Published::partition,
                    TreeMap::new,
                    Collectors.mapping(Published::offset, Collectors.toList())));
    Map<Integer, String> names = new TreeMap<>();
    offsets.forEach(
        (p, o) ->
            names.put(
                p,
                KafkaPosition.sourceFile(
                    TOPIC,
                    p,
                    o.stream().min(Long::compare).get(),
                    o.stream().max(Long::compare).get())));
    return names;
  }

  static List<String> rows(SparkSession spark, String sql) {
    return spark.sql(sql).collectAsList().stream()
        .map(
            r ->
                java.util.stream.IntStream.range(0, r.size())
                    .mapToObj(i -> String.valueOf(r.get(i)))
                    .collect(Collectors.joining("|")))
        .toList();
  }
}
