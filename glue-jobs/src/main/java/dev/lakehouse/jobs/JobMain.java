package dev.lakehouse.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The shared {@code main} of every job: parse Glue-style arguments (unknown ones, which Glue adds,
 * are ignored), get the session (Glue's, or {@code local[*]} with {@code --local}), run, record the
 * step in {@code pipeline_runs} and print the result as JSON. A failure is recorded too, then
 * rethrown so Glue marks the run FAILED.
 */
public final class JobMain {
  private JobMain() {}

  /**
   * Parses Glue-style arguments into a job; arguments Glue adds on its own (--TempDir, --JOB_ID...)
   * are ignored.
   */
  public static <J extends SparkJob> J parse(J job, String... args) {
    new CommandLine(job).setUnmatchedArgumentsAllowed(true).parseArgs(args);
    return job;
  }

  /** A job's {@code main}: parse, get the session, {@link #execute}, print the result as JSON. */
  public static void run(SparkJob job, String... args) {
    parse(job, args);
    JobArguments common = job.common();
    SparkSession spark =
        common.local
            ? LakehouseSpark.local(common.catalogSettings())
            : LakehouseSpark.platform(common.catalogSettings());
    try {
      JobResult result = execute(job, spark);
      System.out.println(new ObjectMapper().writeValueAsString(result.toMap()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } finally {
      if (common.local) {
        spark.stop();
      }
    }
  }

  /**
   * Runs a parsed job on a session and records the step in {@code pipeline_runs}, success or
   * failure; a failure is rethrown after it is recorded. The local Step Functions binding calls
   * this too, so a step is recorded the same way on Glue and locally.
   */
  public static JobResult execute(SparkJob job, SparkSession spark) {
    String executionId = job.common().executionIdOrNew();
    Instant started = Instant.now();
    RunLog runLog = new RunLog(LakehouseSpark.icebergCatalog(spark));
    try {
      JobResult result = CommitConflicts.retrying(() -> job.execute(spark), job.step());
      runLog.record(job.runs(result, executionId));
      return result;
    } catch (RuntimeException e) {
      try {
        runLog.record(
            PipelineRun.builder(executionId, job.step())
                .status(RunStatus.FAILED)
                .source(job.source(), job.etag())
                .message(e.getClass().getSimpleName() + ": " + e.getMessage())
                .started(started)
                .build());
      } catch (RuntimeException logDown) {
        // The storage that failed the job may hold the run log too: the job's own error is the one
        // to report.
        e.addSuppressed(logDown);
      }
      throw e;
    }
  }
}
