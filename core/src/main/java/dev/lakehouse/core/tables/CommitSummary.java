package dev.lakehouse.core.tables;

/**
 * The properties the pipeline writes into its Iceberg commits' snapshot summaries: lineage an
 * operator reads in a table's history (which execution, which landed object) and the watermarks the
 * next step reads ({@link Watermarks}).
 */
public final class CommitSummary {
  /** The pipeline execution that made the commit. */
  public static final String EXECUTION_ID = "lakehouse.execution-id";

  /** The landed object a bronze commit loaded, and its ETag. */
  public static final String SOURCE_FILE = "lakehouse.source-file";

  public static final String SOURCE_ETAG = "lakehouse.source-etag";

  /**
   * The landed objects a bronze commit of a batch loaded: one "ETAG URI" line each ("-" for no
   * ETag).
   */
  public static final String SOURCE_OBJECTS = "lakehouse.source-objects";

  /**
   * A stream commit's Kafka position: for every topic partition the stream has loaded, the next
   * offset to load ({@code {"orders":{"0":42,"1":17}}}), carried forward from commit to commit. A
   * micro-batch replayed after a restart finds its offsets below it and is not loaded again.
   */
  public static final String KAFKA_OFFSETS = "lakehouse.kafka-offsets";

  /**
   * The micro-batch of the streaming query (its checkpoint's batch id) that made a stream commit.
   */
  public static final String STREAM_BATCH = "lakehouse.stream-batch-id";

  /** The bronze snapshot a silver commit consumed up to. */
  public static final String BRONZE_SNAPSHOT = "lakehouse.bronze-snapshot-id";

  /** The business dates a silver commit changed (comma-separated), which gold recomputes. */
  public static final String AFFECTED_DATES = "lakehouse.affected-dates";

  /**
   * A JDBC extract's watermark (the newest {@code updated_at} it appended), per source: {@link
   * #jdbcWatermark}.
   */
  public static final String JDBC_WATERMARK_PREFIX = "lakehouse.jdbc-watermark.";

  private CommitSummary() {}

  /**
   * The summary property holding source {@code source}'s JDBC watermark on a bronze table's
   * commits.
   */
  public static String jdbcWatermark(String source) {
    return JDBC_WATERMARK_PREFIX + source;
  }
}
