package dev.lakehouse.jobs;

import dev.lakehouse.core.runs.PipelineRun;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A job of the lakehouse, shaped like Iceberg's actions: configured first (Glue-style arguments
 * through {@link JobMain#parse}, or typed methods), then {@link #execute} runs it and answers what
 * it did. {@link JobMain} runs any job the same way: records its step in {@code pipeline_runs},
 * plans it again after a commit conflict, prints the result as JSON.
 */
public interface SparkJob {
  /** The arguments every job takes. */
  JobArguments common();

  /** The step this job records in {@code pipeline_runs}. */
  String step();

  /** The object the run reads, recorded as its lineage; null for a job that reads tables only. */
  default String source() {
    return null;
  }

  /** The ETag of {@link #source()}, or null. */
  default String etag() {
    return null;
  }

  /**
   * The {@code pipeline_runs} rows a successful run records: one for the run, unless the job
   * answers per object (a bronze batch).
   */
  default List<PipelineRun> runs(JobResult result, String executionId) {
    return List.of(result.toRun(executionId, source(), etag()));
  }

  /** Runs the job on a session; a failure is thrown, not answered. */
  JobResult execute(SparkSession spark);
}
