package dev.lakehouse.core.tables;

/**
 * The properties the pipeline writes into its Iceberg commits' snapshot summaries: lineage an operator reads in a
 * table's history (which execution, which landed object) and the watermarks the next step reads
 * ({@link Watermarks}).
 */
public final class CommitSummary {
  /** The pipeline execution that made the commit. */
  public static final String EXECUTION_ID = "lakehouse.execution-id";
  /** The landed object a bronze commit loaded, and its ETag. */
  public static final String SOURCE_FILE = "lakehouse.source-file";
  public static final String SOURCE_ETAG = "lakehouse.source-etag";
  /** The landed objects a bronze commit of a batch loaded: one "ETAG URI" line each ("-" for no ETag). */
  public static final String SOURCE_OBJECTS = "lakehouse.source-objects";
  /** The bronze snapshot a silver commit consumed up to. */
  public static final String BRONZE_SNAPSHOT = "lakehouse.bronze-snapshot-id";
  /** The business dates a silver commit changed (comma-separated), which gold recomputes. */
  public static final String AFFECTED_DATES = "lakehouse.affected-dates";

  private CommitSummary() {}
}
