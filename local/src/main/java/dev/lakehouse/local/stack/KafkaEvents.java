package dev.lakehouse.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a JSON Lines file to a topic, one event per line, the way a producing service would:
 * keyed by the record's id (so one order's events stay in order on one partition), acknowledged by
 * the broker, idempotent. A line that is not a JSON object is published as it is, unkeyed: the
 * stream job's quarantine is for such events.
 */
public final class KafkaEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 60;

  private KafkaEvents() {}

  /**
   * Where one published line landed: its line number in the file (1-based), partition and offset.
   */
  public record Published(long line, int partition, long offset) {}

  /**
   * Publishes every non-blank line of {@code file}; creates the topic with {@code partitions}
   * partitions if it does not exist yet.
   *
   * @param keyField the field whose value keys an event (e.g. {@code order_id})
   */
  public static List<Published> publish(
      String bootstrapServers, String topic, int partitions, Path file, String keyField) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    createTopic(bootstrapServers, topic, partitions);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    List<Long> lines = new ArrayList<>();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < text.size(); i++) {
        String line = text.get(i);
        if (line.isBlank()) {
          continue;
        }
        lines.add(i + 1L);
        sent.add(producer.send(new ProducerRecord<>(topic, key(line, keyField), line)));
      }
      producer.flush();
      List<Published> published = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        RecordMetadata metadata = sent.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        published.add(new Published(lines.get(i), metadata.partition(), metadata.offset()));
      }
      return published;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("publishing to " + topic + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates the topic unless it exists (then its partitions stay as they are). */
  public static void createTopic(String bootstrapServers, String topic, int partitions) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      if (!admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic)) {
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
            .all()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String key(String line, String keyField) {
    try {
      JsonNode node = JSON.readTree(line);
      return node != null && node.isObject() && node.path(keyField).isTextual()
          ? node.get(keyField).asText()
          : null;
    } catch (IOException malformed) {
      return null;
    }
  }
}
