package dev.lakehouse.jobs;

import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.core.tables.SourceEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bronze from a Kafka topic: a Spark Structured Streaming query whose micro-batches append the
 * topic's events to the entity's {@code raw_*} table ({@link StreamBatch}), with lineage {@code
 * _source_file} = {@code kafka://topic/partition/first-last} and {@code _source_line} = the offset;
 * malformed events go to quarantine with their offset. Exactly once across restarts: Spark's
 * checkpoint replays an unfinished batch with the same offsets, and the Kafka position in the
 * table's own commits skips whatever that batch already loaded. Runs until stopped, or with {@code
 * --available-now} loads what the topic holds and returns.
 */
@Command(
    name = KafkaStreamJob.STEP,
    description = "Stream events from a Kafka topic into a bronze table.")
public final class KafkaStreamJob extends BaseSparkJob {
  public static final String STEP = "stream";

  @Option(
      names = "--bootstrap-servers",
      required = true,
      description = "Kafka brokers, host:port[,host:port].")
  private String bootstrapServers;

  @Option(
      names = "--topic",
      defaultValue = "orders",
      description = "Topic to read (default: orders).")
  private String topic;

  @Option(
      names = "--entity",
      defaultValue = "orders",
      description =
          "customers | products | orders: the bronze table the events go to (default: orders).")
  private String entity;

  @Option(
      names = "--checkpoint",
      required = true,
      description =
          "Spark checkpoint location of the query (s3://... on AWS, a directory locally).")
  private String checkpoint;

  @Option(
      names = "--trigger-seconds",
      defaultValue = "60",
      description = "Seconds between micro-batches.")
  private long triggerSeconds;

  // arity 0..1: Glue passes every argument as a pair (--available-now true), the CLI as a flag.
  @Option(
      names = "--available-now",
      arity = "0..1",
      fallbackValue = "true",
      description = "Load what the topic holds now, in batches, then stop.")
  private boolean availableNow;

  @Option(
      names = "--max-offsets-per-trigger",
      description = "At most this many events per micro-batch.")
  private Long maxOffsetsPerTrigger;

  @Option(
      names = "--starting-offsets",
      defaultValue = "earliest",
      description =
          "Where a new query starts: earliest (default) or latest; a checkpoint's position wins.")
  private String startingOffsets;

  @Option(
      names = "--kafka-option",
      paramLabel = "KEY=VALUE",
      description = "A Kafka consumer setting, e.g. security.protocol=SSL (repeatable).")
  private Map<String, String> kafkaOptions = new LinkedHashMap<>();

  private BatchListener listener = batch -> {};

  /**
   * Told after a micro-batch's Iceberg commit, before Spark records the batch in its checkpoint.
   */
  @FunctionalInterface
  public interface BatchListener {
    void committed(BatchCommitted batch);
  }

  /**
   * A micro-batch as committed: its id, partition ranges (empty: it was loaded before), counts,
   * snapshot.
   */
  public record BatchCommitted(
      long batchId,
      List<String> sources,
      long rowsIn,
      long rowsWritten,
      long rowsRejected,
      Long snapshotId) {}

  public static void main(String[] args) {
    JobMain.run(new KafkaStreamJob(), args);
  }

  public KafkaStreamJob onBatchCommitted(BatchListener value) {
    this.listener = value;
    return this;
  }

  boolean availableNow() {
    return availableNow;
  }

  Map<String, String> kafkaOptions() {
    return Map.copyOf(kafkaOptions);
  }

  @Override
  public String source() {
    return "kafka://" + topic;
  }

  @Override
  public JobResult execute(SparkSession spark) {
    Instant started = Instant.now();
    String executionId = common.executionIdOrNew();
    SourceEntity target =
        SourceEntity.find(entity)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown entity '" + entity + "': expected customers, products or orders"));
    if (triggerSeconds < 1) {
      throw new IllegalArgumentException(
          "--trigger-seconds must be at least 1, was " + triggerSeconds);
    }
    RunLog runLog = new RunLog(LakehouseSpark.icebergCatalog(spark));
    AtomicLong rowsIn = new AtomicLong();
    AtomicLong rowsWritten = new AtomicLong();
    AtomicLong rowsRejected = new AtomicLong();
    AtomicLong batches = new AtomicLong();

    VoidFunction2<Dataset<Row>, Long> perBatch =
        (batch, batchId) -> {
          Instant batchStarted = Instant.now();
          StreamBatch.Result result = StreamBatch.write(spark, batch, batchId, target, executionId);
          rowsIn.addAndGet(result.rowsIn());
          rowsWritten.addAndGet(result.rowsWritten());
          rowsRejected.addAndGet(result.rowsRejected());
          batches.incrementAndGet();
          if (!result.alreadyLoaded()) {
            runLog.record(
                PipelineRun.builder(executionId, STEP)
                    .table(target.bronze().name())
                    .source(String.join(",", result.sources()), null)
                    .counts(result.rowsIn(), result.rowsWritten(), result.rowsRejected())
                    .snapshotId(result.snapshotId())
                    .status(RunStatus.SUCCEEDED)
                    .message("micro-batch " + batchId)
                    .started(batchStarted)
                    .finished(Instant.now())
                    .build());
          }
          listener.committed(
              new BatchCommitted(
                  batchId,
                  result.sources(),
                  result.rowsIn(),
                  result.rowsWritten(),
                  result.rowsRejected(),
                  result.snapshotId()));
        };

    DataStreamReader reader =
        spark
            .readStream()
            .format("kafka")
            .option("kafka.bootstrap.servers", bootstrapServers)
            .option("subscribe", topic)
            .option("startingOffsets", startingOffsets);
    if (maxOffsetsPerTrigger != null) {
      reader = reader.option("maxOffsetsPerTrigger", maxOffsetsPerTrigger);
    }
    for (Map.Entry<String, String> option : kafkaOptions.entrySet()) {
      reader = reader.option("kafka." + option.getKey(), option.getValue());
    }
    DataStreamWriter<Row> writer =
        reader
            .load()
            .writeStream()
            .queryName("lakehouse-" + STEP + "-" + topic)
            .option("checkpointLocation", checkpoint)
            .trigger(
                availableNow
                    ? Trigger.AvailableNow()
                    : Trigger.ProcessingTime(triggerSeconds * 1000))
            .foreachBatch(perBatch);
    try {
      StreamingQuery query = writer.start();
      query.awaitTermination();
    } catch (TimeoutException e) {
      throw new IllegalStateException("the stream did not start: " + e.getMessage(), e);
    } catch (StreamingQueryException e) {
      Throwable cause = e.cause() != null ? e.cause() : e;
      throw cause instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(cause.getMessage(), cause);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("topic", topic);
    details.put("batches", batches.get());
    return JobResult.succeeded(STEP, target.bronze().name(), started)
        .withCounts(rowsIn.get(), rowsWritten.get(), rowsRejected.get())
        .withDetails(details);
  }

  /** Picocli entry used by the CLI and tests: parse Glue-style args into a job. */
  public static KafkaStreamJob fromArgs(String... args) {
    return JobMain.parse(new KafkaStreamJob(), args);
  }
}
