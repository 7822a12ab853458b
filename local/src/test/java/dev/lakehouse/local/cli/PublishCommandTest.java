package dev.lakehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.stack.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakehouse publish} against the home's real Kafka broker: each run starts the broker and
 * stops it when it exits, and the topic's events outlive it in the home.
 */
class PublishCommandTest {
  @TempDir Path dir;

  @Test
  void publishesOneEventPerLineAndTheTopicOutlivesTheBroker() throws Exception {
    Path home = dir.resolve("home");
    Path file =
        Files.write(
            dir.resolve("orders.jsonl"),
            List.of("{\"order_id\":\"ORD-1\"}", "", "{\"order_id\":\"ORD-2\"}", "{not json"));

    LakehouseCliTest.Outcome first =
        LakehouseCliTest.run(
            "--home",
            home.toString(),
            "publish",
            file.toString(),
            "--topic",
            "orders",
            "--partitions",
            "1");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .matches(
            "published 3 event\\(s\\) to orders on 127\\.0\\.0\\.1:\\d+\\R"
                + "  partition 0: offsets 0-2\\R");
    assertThat(home.resolve("kafka.server"))
        .as("the broker stops with its last user")
        .doesNotExist();

    LakehouseCliTest.Outcome second =
        LakehouseCliTest.run("--home", home.toString(), "publish", file.toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).endsWith("  partition 0: offsets 3-5" + System.lineSeparator());

    try (LocalKafka kafka = LocalKafka.open(LakehouseHome.open(home))) {
      assertThat(consume(kafka.bootstrapServers(), "orders", 6))
          .containsExactly(
              "ORD-1|{\"order_id\":\"ORD-1\"}",
              "ORD-2|{\"order_id\":\"ORD-2\"}",
              "null|{not json",
              "ORD-1|{\"order_id\":\"ORD-1\"}",
              "ORD-2|{\"order_id\":\"ORD-2\"}",
              "null|{not json");
    }
  }

  @Test
  void aMissingFileIsBadInputAndStartsNoBroker() {
    Path home = dir.resolve("home");
    LakehouseCliTest.Outcome outcome =
        LakehouseCliTest.run(
            "--home", home.toString(), "publish", dir.resolve("nope.jsonl").toString());
    assertThat(outcome.exitCode()).isEqualTo(LakehouseCli.EXIT_USAGE);
    assertThat(outcome.err())
        .isEqualTo(
            "lakehouse: no such file: " + dir.resolve("nope.jsonl") + System.lineSeparator());
    assertThat(home.resolve("kafka")).doesNotExist();
  }

  private static List<String> consume(String bootstrap, String topic, int count) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.key() + "|" + r.value());
        }
      }
    }
    return values;
  }
}
