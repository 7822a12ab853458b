package dev.lakehouse.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.TaskFailedException;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.TaskInvocation;
import dev.lakehouse.core.ingest.batch.BatchManifest;
import dev.lakehouse.core.ingest.batch.IngestBatches;
import dev.lakehouse.jobs.BronzeIngestJob;
import dev.lakehouse.jobs.CompactionJob;
import dev.lakehouse.jobs.GoldJob;
import dev.lakehouse.jobs.JobMain;
import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.SilverJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code arn:aws:states:::glue:startJobRun.sync} → the job class the Glue job runs ({@code
 * --class}), on the local SparkSession, with the job's default arguments plus the state's {@code
 * Arguments}, exactly as Glue merges them. The answer has the shape of Glue's JobRun ({@code Id},
 * {@code JobName}, {@code JobRunState}); a failed run fails the task with {@code
 * States.TaskFailed}, as the .sync integration does, and the JobRun as the cause.
 *
 * <p>Glue reads the landed object from S3 directly; Spark here has no S3 filesystem, so the bronze
 * binding first downloads the object through the S3 API into the home's staging area, under a file
 * name made of safe characters (any legal S3 key works: spaces, unicode, '+', '%', ':'), and
 * deletes it when the job is done.
 */
final class GlueBinding implements TaskHandler {
  static final String RESOURCE = "arn:aws:states:::glue:startJobRun.sync";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A job that can be told to fail, for tests of the failure path (a Glue job failing for a bug or
   * bad config).
   */
  interface Faults {
    /** The error message to fail this run with, or null to run it. */
    String failure(String jobName, int attempt);
  }

  private final Supplier<SparkSession> spark;
  private final S3Client s3;
  private final Path staging;
  private final Path locks;
  private final Faults faults;

  GlueBinding(Supplier<SparkSession> spark, S3Client s3, Path staging, Path locks, Faults faults) {
    this.spark = spark;
    this.s3 = s3;
    this.staging = staging;
    this.locks = locks;
    this.faults = faults;
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation) throws TaskFailedException {
    String jobName = invocation.parameters().path("JobName").asText();
    List<String> args = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            invocation.parameters().path("Arguments").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> arg = it.next();
      args.add(arg.getKey());
      args.add(arg.getValue().asText());
    }
    String runId = "jr_" + UUID.randomUUID().toString().replace("-", "");
    Instant started = Instant.now();
    ObjectNode run = JSON.createObjectNode();
    run.put("Id", runId);
    run.put("JobName", jobName);
    run.put("StartedOn", started.toString());
    run.set("Arguments", invocation.parameters().path("Arguments"));
    try {
      String injected = faults.failure(jobName, invocation.retryCount());
      if (injected != null) {
        throw new IllegalStateException(injected);
      }
      JobResult result;
      if (!LocalResources.ONE_RUN_AT_A_TIME.contains(jobName)) {
        result =
            runJob(
                jobName,
                args); // bronze per object, compaction per table: runs may overlap, as on Glue
      } else {
        try (JobLock lock = JobLock.acquire(locks, jobName)) {
          result = runJob(jobName, args);
        }
      }
      run.put("JobRunState", "SUCCEEDED");
      run.put("CompletedOn", Instant.now().toString());
      run.put(
          "ExecutionTime",
          (int) Math.max(1, (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000));
      run.set("LakehouseResult", JSON.valueToTree(result.toMap()));
      return run;
    } catch (UnknownJob e) {
      throw new TaskFailedException("Glue.EntityNotFoundException", e.getMessage());
    } catch (RuntimeException e) {
      run.put("JobRunState", "FAILED");
      run.put("ErrorMessage", e.getClass().getSimpleName() + ": " + e.getMessage());
      run.put("CompletedOn", Instant.now().toString());
      throw new TaskFailedException("States.TaskFailed", run.toString());
    }
  }

  private JobResult runJob(String jobName, List<String> stateArgs) {
    SparkSession session = spark.get();
    return switch (jobName) {
      case LocalResources.BRONZE_JOB -> {
        BronzeIngestJob job = BronzeIngestJob.fromArgs(stateArgs.toArray(String[]::new));
        String executionId = job.common().executionIdOrNew();
        Map<String, Path> staged = new LinkedHashMap<>();
        try {
          if (job.batchManifest() == null) {
            staged.put(job.source(), download(job.bucket(), job.key(), executionId, 0));
            job.withSourcePath(staged.get(job.source()));
          } else {
            BatchManifest manifest = IngestBatches.read(s3, job.batchManifest());
            int n = 0;
            for (BatchManifest.Entry object : manifest.toLoad()) {
              staged.put(
                  object.sourceFile(), download(object.bucket(), object.key(), executionId, n++));
            }
            job.withManifest(manifest).withSourcePaths(staged);
          }
          yield JobMain.execute(job, session);
        } finally {
          staged.values().forEach(GlueBinding::deleteStaged);
        }
      }
      case LocalResources.SILVER_CUSTOMERS_JOB -> silver("customers", stateArgs, session);
      case LocalResources.SILVER_PRODUCTS_JOB -> silver("products", stateArgs, session);
      case LocalResources.SILVER_ORDERS_JOB -> silver("orders", stateArgs, session);
      case LocalResources.GOLD_JOB ->
          JobMain.execute(GoldJob.fromArgs(stateArgs.toArray(String[]::new)), session);
      case LocalResources.COMPACTION_JOB ->
          JobMain.execute(CompactionJob.fromArgs(stateArgs.toArray(String[]::new)), session);
      default -> throw new UnknownJob("Job not found: " + jobName);
    };
  }

  /** The silver jobs differ only in their default {@code --entity} argument, as on Glue. */
  private static JobResult silver(String entity, List<String> stateArgs, SparkSession session) {
    List<String> args = new ArrayList<>(List.of("--entity", entity));
    args.addAll(stateArgs);
    return JobMain.execute(SilverJob.fromArgs(args.toArray(String[]::new)), session);
  }

  private Path download(String bucket, String key, String executionId, int index) {
    // The key's last segment with unsafe characters replaced keeps the extensions (.jsonl.gz) Spark
    // reads by; the
    // index keeps two objects of a batch with the same file name apart.
    String name =
        index + "-" + key.substring(key.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    Path target =
        staging.resolve(executionId.replaceAll("[^A-Za-z0-9._-]", "_")).resolve("object-" + name);
    try {
      Files.createDirectories(target.getParent());
      Files.deleteIfExists(target);
      s3.getObject(b -> b.bucket(bucket).key(key), target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteStaged(Path staged) {
    try {
      Files.deleteIfExists(staged);
      Files.deleteIfExists(staged.getParent()); // the execution's folder, once empty
    } catch (IOException notEmptyOrGone) {
      // another object of the same execution is still staged, or the folder is already gone
    }
  }

  private static final class UnknownJob extends RuntimeException {
    UnknownJob(String message) {
      super(message);
    }
  }
}
