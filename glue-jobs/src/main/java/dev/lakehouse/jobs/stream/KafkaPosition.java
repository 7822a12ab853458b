package dev.lakehouse.jobs.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.tables.CommitSummary;
import java.io.Serializable;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * How far a table has loaded a Kafka topic: for each topic partition, the next offset to load.
 * Stored in the summary of every stream commit ({@link CommitSummary#KAFKA_OFFSETS}) and carried
 * forward, so the data and the position move in one Iceberg commit: a micro-batch replayed after a
 * crash (Spark's checkpoint had not yet recorded it) finds its offsets below the position and loads
 * nothing twice.
 */
public final class KafkaPosition implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, TreeMap<Integer, Long>>> SHAPE =
      new TypeReference<>() {};

  private final TreeMap<String, TreeMap<Integer, Long>> next;

  private KafkaPosition(TreeMap<String, TreeMap<Integer, Long>> next) {
    this.next = next;
  }

  public static KafkaPosition none() {
    return new KafkaPosition(new TreeMap<>());
  }

  /** Reads the summary value, e.g. {@code {"orders":{"0":42,"1":17}}}. */
  public static KafkaPosition parse(String json) {
    try {
      return new KafkaPosition(JSON.readValue(json, SHAPE));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable " + CommitSummary.KAFKA_OFFSETS + " in a snapshot summary: " + json);
    }
  }

  /**
   * The position of the table's newest stream commit along its current lineage; none before the
   * first.
   */
  public static KafkaPosition of(Table table) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return none();
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
      String value = snapshot.summary().get(CommitSummary.KAFKA_OFFSETS);
      if (value != null) {
        return parse(value);
      }
    }
    return none();
  }

  /** Whether the record at this offset is loaded already. */
  public boolean covers(String topic, int partition, long offset) {
    return offset
        < Optional.ofNullable(next.get(topic)).map(p -> p.get(partition)).orElse(Long.MIN_VALUE);
  }

  /** This position moved past {@code lastOffset} of a partition (never backwards). */
  public KafkaPosition after(String topic, int partition, long lastOffset) {
    TreeMap<String, TreeMap<Integer, Long>> copy = new TreeMap<>();
    next.forEach((t, partitions) -> copy.put(t, new TreeMap<>(partitions)));
    copy.computeIfAbsent(topic, t -> new TreeMap<>()).merge(partition, lastOffset + 1, Math::max);
    return new KafkaPosition(copy);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(next);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The lineage name of the offsets a micro-batch loaded from one partition: {@code
   * kafka://orders/0/17-41}.
   */
  public static String sourceFile(String topic, int partition, long firstOffset, long lastOffset) {
    return "kafka://" + topic + "/" + partition + "/" + firstOffset + "-" + lastOffset;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaPosition p && p.next.equals(next);
  }

  @Override
  public int hashCode() {
    return next.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
