package dev.lakehouse.jobs;

import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.CommitSummary;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.bronze.BronzeRecords;
import dev.lakehouse.jobs.bronze.SourceRecord;
import dev.lakehouse.jobs.stream.KafkaPosition;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * One micro-batch of the Kafka stream into its bronze table, exactly once: the records the table's
 * {@link KafkaPosition} already covers are dropped (a batch Spark replays after a crash between our
 * commit and its checkpoint leaves nothing to load), the rest are parsed like a landed file's
 * lines, rejects replace this batch's earlier rejects in quarantine, and the rows are appended in
 * one commit whose summary carries the new position.
 */
final class StreamBatch {
  private StreamBatch() {}

  /**
   * What a micro-batch did; {@code sources} are its partition ranges, {@code
   * kafka://topic/p/first-last}.
   */
  record Result(
      long batchId,
      List<String> sources,
      long rowsIn,
      long rowsWritten,
      long rowsRejected,
      Long snapshotId) {
    boolean alreadyLoaded() {
      return sources.isEmpty();
    }
  }

  /** One Kafka record: where it sits in the topic and its value as text. */
  record Event(String topic, int partition, long offset, String value) implements Serializable {
    String partitionKey() {
      return topic + "/" + partition;
    }
  }

  static Result write(
      SparkSession spark,
      Dataset<Row> batch,
      long batchId,
      SourceEntity entity,
      String executionId) {
    TableDefinition bronze = entity.bronze();
    Table table = LakehouseSpark.icebergCatalog(spark).loadTable(bronze.identifier());
    KafkaPosition loaded = KafkaPosition.of(table);
    JavaRDD<Event> events =
        batch
            .select(
                functions.col("topic"),
                functions.col("partition"),
                functions.col("offset"),
                functions.col("value").cast("string"))
            .javaRDD()
            .map(
                r ->
                    new Event(
                        r.getString(0),
                        r.getInt(1),
                        r.getLong(2),
                        r.isNullAt(3) ? "" : r.getString(3)))
            .filter(e -> !loaded.covers(e.topic(), e.partition(), e.offset()))
            .cache();
    try {
      return load(spark, table, bronze, entity, events, loaded, batchId, executionId);
    } finally {
      events.unpersist();
    }
  }

  private static Result load(
      SparkSession spark,
      Table table,
      TableDefinition bronze,
      SourceEntity entity,
      JavaRDD<Event> events,
      KafkaPosition loaded,
      long batchId,
      String executionId) {
    // First and last offset per partition: the batch's lineage names and the position after it.
    Map<String, Tuple2<Long, Long>> bounds =
        new TreeMap<>(
            events
                .mapToPair(
                    e -> new Tuple2<>(e.partitionKey(), new Tuple2<>(e.offset(), e.offset())))
                .reduceByKey(
                    (a, b) -> new Tuple2<>(Math.min(a._1(), b._1()), Math.max(a._2(), b._2())))
                .collectAsMap());
    if (bounds.isEmpty()) {
      return new Result(batchId, List.of(), 0, 0, 0, null);
    }
    HashMap<String, String> sourceFiles = new HashMap<>();
    KafkaPosition after = loaded;
    for (Map.Entry<String, Tuple2<Long, Long>> bound : bounds.entrySet()) {
      int slash = bound.getKey().lastIndexOf('/');
      String topic = bound.getKey().substring(0, slash);
      int partition = Integer.parseInt(bound.getKey().substring(slash + 1));
      sourceFiles.put(
          bound.getKey(),
          KafkaPosition.sourceFile(topic, partition, bound.getValue()._1(), bound.getValue()._2()));
      after = after.after(topic, partition, bound.getValue()._2());
    }
    List<String> sources = sourceFiles.values().stream().sorted().toList();

    // Fields the producers started sending are added, as for a landed file; the tally of that pass
    // gives the counts.
    String idColumn = entity.idColumn();
    String tableName = bronze.name();
    Timestamp now = Timestamp.from(Instant.now());
    BronzeRecords parsedRecords =
        BronzeRecords.parse(
            spark,
            table,
            bronze.qualifiedName(),
            events.map(
                e -> SourceRecord.of(sourceFiles.get(e.partitionKey()), e.offset(), e.value())),
            idColumn);
    StructType schema = parsedRecords.schema();
    JavaRDD<Row> good = parsedRecords.rows(now, executionId);
    JavaRDD<Row> bad = parsedRecords.rejects(tableName, now, executionId);
    long rowsIn = parsedRecords.tally().records();
    long rowsRejected =
        Quarantine.replace(
            spark,
            RunLog.STEP_BRONZE,
            sources,
            Quarantine.frame(spark, bad),
            parsedRecords.tally().rejected());
    String position = after.toJson();
    Map<String, String> summary =
        Map.of(
            CommitSummary.KAFKA_OFFSETS,
            position,
            CommitSummary.STREAM_BATCH,
            Long.toString(batchId),
            CommitSummary.SOURCE_FILE,
            String.join(",", sources),
            CommitSummary.EXECUTION_ID,
            executionId);
    if (rowsIn == rowsRejected) {
      // Nothing to append, but the position must still move past the rejects: an empty commit
      // carries it.
      var append = table.newAppend();
      summary.forEach(append::set);
      append.commit();
    } else {
      Dataset<Row> rows = spark.createDataFrame(good, schema);
      var writer = rows.writeTo(bronze.qualifiedName());
      for (Map.Entry<String, String> property : summary.entrySet()) {
        writer = writer.option("snapshot-property." + property.getKey(), property.getValue());
      }
      var append = writer;
      LakehouseSpark.write(append::append);
    }
    table.refresh();
    return new Result(
        batchId, sources, rowsIn, rowsIn - rowsRejected, rowsRejected, snapshotAt(table, position));
  }

  /**
   * The snapshot that committed this position (other writers, e.g. file ingests, may have committed
   * since).
   */
  private static Long snapshotAt(Table table, String position) {
    for (Snapshot snapshot : table.snapshots()) {
      if (position.equals(snapshot.summary().get(CommitSummary.KAFKA_OFFSETS))) {
        return snapshot.snapshotId();
      }
    }
    return null;
  }
}
