package dev.lakehouse.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import java.time.Instant;
import java.util.function.BiFunction;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The shared {@code main} of every job: parse Glue-style arguments (unknown ones, which Glue adds, are ignored),
 * get the session (Glue's, or {@code local[*]} with {@code --local}), run, record the step in {@code pipeline_runs}
 * and print the result as JSON. A failure is recorded too, then rethrown so Glue marks the run FAILED.
 */
public final class JobMain {
  private JobMain() {}

  /** Parses Glue-style arguments into a job; arguments Glue adds on its own (--TempDir, --JOB_ID...) are ignored. */
  public static <J> J parse(J job, String... args) {
    new CommandLine(job).setUnmatchedArgumentsAllowed(true).parseArgs(args);
    return job;
  }

  public static <J> void run(J job, String[] args, BiFunction<J, SparkSession, JobResult> body) {
    parse(job, args);
    JobArguments common = commonOf(job);
    SparkSession spark = common.local
        ? LakehouseSpark.local(common.catalogSettings())
        : LakehouseSpark.platform(common.catalogSettings());
    try {
      JobResult result = execute(job, spark, body);
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
   * Runs a parsed job on a session and records the step in {@code pipeline_runs}, success or failure; a failure is
   * rethrown after it is recorded. The local Step Functions binding calls this too, so a step is recorded the same
   * way on Glue and locally.
   */
  public static <J> JobResult execute(J job, SparkSession spark, BiFunction<J, SparkSession, JobResult> body) {
    JobArguments common = commonOf(job);
    String executionId = common.executionIdOrNew();
    Instant started = Instant.now();
    RunLog runLog = new RunLog(LakehouseSpark.icebergCatalog(spark));
    try {
      JobResult result = CommitConflicts.retrying(() -> body.apply(job, spark), stepOf(job));
      runLog.record(result.toRun(executionId, sourceOf(job), etagOf(job)));
      return result;
    } catch (RuntimeException e) {
      try {
        runLog.record(PipelineRun.builder(executionId, stepOf(job)).status(RunStatus.FAILED)
            .source(sourceOf(job), etagOf(job))
            .message(e.getClass().getSimpleName() + ": " + e.getMessage()).started(started).build());
      } catch (RuntimeException logDown) {
        // The storage that failed the job may hold the run log too: the job's own error is the one to report.
        e.addSuppressed(logDown);
      }
      throw e;
    }
  }

  private static JobArguments commonOf(Object job) {
    return field(job, "common", JobArguments.class);
  }

  private static String sourceOf(Object job) {
    return job instanceof BronzeIngestJob b ? b.sourceFile() : null;
  }

  private static String etagOf(Object job) {
    return job instanceof BronzeIngestJob b ? b.etag : null;
  }

  private static String stepOf(Object job) {
    CommandLine.Command command = job.getClass().getAnnotation(CommandLine.Command.class);
    return command == null ? job.getClass().getSimpleName() : command.name();
  }

  private static <T> T field(Object job, String name, Class<T> type) {
    try {
      return type.cast(job.getClass().getField(name).get(job));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(job.getClass() + " has no public " + name + " field", e);
    }
  }
}
