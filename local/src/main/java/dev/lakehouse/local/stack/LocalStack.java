package dev.lakehouse.local.stack;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.AslLoader;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.Runner;
import dev.lakehouse.asl.StateMachine;
import dev.lakehouse.asl.TaskHandlers;
import dev.lakehouse.asl.history.DirectoryExecutionStore;
import dev.lakehouse.core.admin.TableAdmin;
import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.ingest.IngestRouter;
import dev.lakehouse.core.ingest.batch.BatchManifest;
import dev.lakehouse.core.ingest.batch.ExecutionsInProgress;
import dev.lakehouse.core.ingest.batch.IngestBatches;
import dev.lakehouse.core.maintenance.TableMaintenance;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.functions.IngestRouterHandler;
import dev.lakehouse.functions.MaintenanceHandler;
import dev.lakehouse.functions.RunRecorderHandler;
import dev.lakehouse.functions.TableAdminHandler;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.LocalLakehouse;
import dev.lakehouse.local.s3.LocalS3Server;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The whole pipeline on one machine: the local S3-compatible server (landing and warehouse
 * buckets), the Iceberg catalog, the Lambda handlers in-process, the Glue jobs on Spark {@code
 * local[*]}, and the local Step Functions runner executing the same ASL files CDK deploys. An
 * execution that ends FAILED, TIMED_OUT or ABORTED is handed to the same listener AWS has (an
 * EventBridge rule on the execution's status): the run recorder and the alert topic.
 */
public final class LocalStack implements AutoCloseable {
  public static final String INGEST_PIPELINE = "ingest-pipeline";
  public static final String MAINTENANCE = "maintenance";

  private final LakehouseHome home;
  private final LocalLakehouse lakehouse;
  private final LocalS3Server s3Server;
  private final S3Client s3;

  /** The endpoint the stack's clients and jobs use: the server's, or a route in front of it. */
  private final String endpoint;

  private final Runner runner;
  private final SnsOutbox outbox;
  private final RunRecorderHandler runRecorder;
  private final DirectoryIngestQueue ingestQueue;
  private final BatchSettings batchSettings;
  private final RunLog runLog;
  private final Map<String, StateMachine> machines = new LinkedHashMap<>();
  private final java.util.Optional<dev.lakehouse.core.admin.TableProvisioner.Result> provisioned;

  private LocalStack(Builder b) {
    this.home = b.home;
    this.s3Server = LocalS3Servers.forHome(home, b.files);
    dev.lakehouse.local.StartupProfile.mark("S3 server answers");
    this.endpoint = b.s3Route.apply(s3Server.endpoint());
    this.s3 = LocalS3Server.client(endpoint);
    this.lakehouse =
        new LocalLakehouse(
            home,
            home.s3CatalogSettings(
                endpoint,
                LocalResources.WAREHOUSE_BUCKET,
                LocalS3Server.ACCESS_KEY,
                LocalS3Server.SECRET_KEY,
                LocalS3Server.REGION));
    this.outbox = new SnsOutbox(home.root().resolve("outbox/sns.jsonl"));
    // What `cdk deploy` does through the TableAdmin custom resource: every declared table exists
    // (idempotent). Loading every table's metadata from S3 on each command cost seconds: a catalog
    // already provisioned for the current declarations (a namespace property) is only listed.
    this.provisioned =
        new dev.lakehouse.core.admin.TableProvisioner(lakehouse.catalog(), lakehouse.settings())
            .provisionUnlessCurrent();
    dev.lakehouse.local.StartupProfile.mark(
        provisioned.isPresent() ? "catalog provisioned" : "catalog current (provisioning skipped)");

    // Handlers get real local clients through their constructors; the Spark session's catalog is
    // shared with them
    // once Spark runs, so the process commits through one catalog instance.
    DelegatingCatalog catalog = new DelegatingCatalog(lakehouse::catalog);
    RunLog runLog = new RunLog(catalog);
    this.runLog = runLog;
    this.runRecorder =
        new RunRecorderHandler(runLog, uri -> IngestBatches.read(s3, uri), Clock.systemUTC());
    // What EventBridge → SQS is on AWS: S3 events wait in the home's queue until a batch claims
    // them.
    this.ingestQueue =
        new DirectoryIngestQueue(
            home.root().resolve("queue").resolve("ingest"), System::currentTimeMillis);
    this.batchSettings = b.batches;
    IngestRouter router = new IngestRouter(s3, () -> runLog, IngestRouter.Settings.defaults());
    Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> functions =
        new LinkedHashMap<>();
    functions.put(
        LocalResources.INGEST_ROUTER,
        new IngestRouterHandler(
            router,
            new IngestBatches(
                ingestQueue,
                this::runningExecutions,
                router,
                s3,
                LocalResources.LANDING_BUCKET,
                b.batches,
                Clock.systemUTC())));
    functions.put(
        LocalResources.TABLE_ADMIN,
        new TableAdminHandler(new TableAdmin(catalog, lakehouse.settings(), Clock.systemUTC())));
    functions.put(
        LocalResources.MAINTENANCE, new MaintenanceHandler(new TableMaintenance(catalog, b.clock)));
    functions.put(LocalResources.RUN_RECORDER, runRecorder);

    GlueBinding glue =
        new GlueBinding(
            b.progress.spark(lakehouse::spark),
            s3,
            home.root().resolve("staging"),
            home.root().resolve("locks"),
            b.faults);
    // Both job task kinds run the same local Spark jobs: the EMR Serverless one through the Glue
    // binding.
    TaskHandlers bound =
        TaskHandlers.of(
            Map.of(
                LambdaBinding.RESOURCE,
                new LambdaBinding(functions),
                GlueBinding.RESOURCE,
                glue,
                EmrServerlessBinding.RESOURCE,
                new EmrServerlessBinding(glue),
                SnsOutbox.RESOURCE,
                outbox));
    TaskHandlers handlers = b.progress.wrap(bound, machines::get);
    this.runner =
        Runner.builder()
            .handlers(handlers)
            .store(new DirectoryExecutionStore(home.executions()))
            .build();
    for (String name : List.of(INGEST_PIPELINE, MAINTENANCE)) {
      machines.put(
          name,
          b.emrServerless
              ? AslLoader.load(
                  name,
                  EmrServerlessBinding.definition(readDefinition(b.files.stateMachine(name))),
                  LocalResources.emrServerlessSubstitutions(),
                  handlers)
              : AslLoader.load(
                  b.files.stateMachine(name), LocalResources.substitutions(), handlers));
    }
    // Executions left RUNNING by a process that died (killed, crashed) fail now, are alerted like
    // any failure and
    // can be redriven; nothing stays RUNNING forever.
    runner.failAbandoned().forEach(this::onStatusChange);
    dev.lakehouse.local.StartupProfile.mark("stack ready (handlers, state machines)");
  }

  private static String readDefinition(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read state machine definition " + file, e);
    }
  }

  public static Builder builder(LakehouseHome home) {
    return new Builder(home);
  }

  public LakehouseHome home() {
    return home;
  }

  /**
   * What opening the stack provisioned (every declared table exists afterwards), or empty when the
   * catalog was already provisioned for the current declarations: callers report it rather than
   * checking every table a second time.
   */
  public java.util.Optional<dev.lakehouse.core.admin.TableProvisioner.Result> provisioned() {
    return provisioned;
  }

  public LocalLakehouse lakehouse() {
    return lakehouse;
  }

  public S3Client s3() {
    return s3;
  }

  public String s3Endpoint() {
    return s3Server.endpoint();
  }

  /**
   * Why the home's storage cannot be used right now (its S3 server stopped answering), or empty
   * when it answers. Everything on the home lives there, the run log included.
   */
  public Optional<String> storageDown() {
    return LocalS3Server.answers(endpoint)
        ? Optional.empty()
        : Optional.of(
            "the home's S3 server at " + endpoint + " does not answer (stopped or killed)");
  }

  public SnsOutbox outbox() {
    return outbox;
  }

  public Runner runner() {
    return runner;
  }

  public StateMachine machine(String name) {
    StateMachine machine = machines.get(name);
    if (machine == null) {
      throw new IllegalArgumentException(
          "unknown state machine '" + name + "'; known: " + String.join(", ", machines.keySet()));
    }
    return machine;
  }

  /** Uploads a file through the S3 API to {@code landing/<entity>/<name>} in the landing bucket. */
  public Landed upload(Path file, String entity) {
    String key = "landing/" + entity + "/" + file.getFileName();
    PutObjectResponse put =
        s3.putObject(b -> b.bucket(LocalResources.LANDING_BUCKET).key(key), file);
    return new Landed(LocalResources.LANDING_BUCKET, key, put.eTag().replace("\"", ""));
  }

  /**
   * Uploads each file as {@link #upload} does, {@value #CONCURRENT_UPLOADS} at a time (what {@code
   * aws s3 cp --recursive} does by default), and answers where each landed, in the files' order.
   * The first upload that fails fails the call; files already uploaded stay in the bucket, as with
   * the CLI.
   */
  public List<Landed> uploadAll(List<Path> files, Function<Path, String> entityOf) {
    Map<Path, String> entities = new LinkedHashMap<>();
    files.forEach(file -> entities.put(file, entityOf.apply(file))); // a bad name fails up front
    if (files.size() == 1) {
      return List.of(upload(files.get(0), entities.get(files.get(0))));
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(CONCURRENT_UPLOADS, files.size())));
    try {
      List<Future<Landed>> uploads = new ArrayList<>();
      for (Path file : files) {
        uploads.add(pool.submit(() -> upload(file, entities.get(file))));
      }
      List<Landed> landed = new ArrayList<>();
      for (Future<Landed> upload : uploads) {
        landed.add(upload.get());
      }
      return landed;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException("an upload failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while uploading", e);
    } finally {
      pool.shutdownNow();
    }
  }

  public static final int CONCURRENT_UPLOADS = 10;

  /** Where a file landed. */
  public record Landed(String bucket, String key, String etag) {}

  /**
   * Queues the event EventBridge sends for an S3 "Object Created" notification and runs ingest
   * batches until the queue is drained; answers the execution that settled this object (loaded,
   * skipped or rejected it) — or the failed one that holds it.
   */
  public Execution ingest(Landed landed) {
    List<Execution> batches = ingestAll(List.of(landed));
    for (Execution execution : batches) {
      if (execution.status() != ExecutionStatus.SUCCEEDED) {
        return execution;
      }
    }
    String sourceFile = IngestRouter.sourceFile(landed.bucket(), landed.key());
    String settledBy =
        runLog.all().stream()
            .filter(
                r ->
                    sourceFile.equals(r.sourceFile())
                        && (r.step().equals(RunLog.STEP_PIPELINE)
                            || r.step().equals(RunLog.STEP_ROUTE)))
            .max(java.util.Comparator.comparing(PipelineRun::startedAt))
            .map(PipelineRun::executionId)
            .orElseThrow(() -> new IllegalStateException("no batch settled " + sourceFile));
    return runner.describe(settledBy).orElseThrow();
  }

  /** How this stack gathers landed objects into batches. */
  public BatchSettings batchSettings() {
    return batchSettings;
  }

  /** The batch an ingest execution claimed (its manifest), or empty when it claimed none. */
  public Optional<BatchManifest> batchOf(Execution execution) {
    try {
      return Optional.of(
          IngestBatches.read(
              s3,
              "s3://" + LocalResources.LANDING_BUCKET + "/" + BatchManifest.key(execution.name())));
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException none) {
      return Optional.empty();
    }
  }

  /**
   * Queues every object's event, then runs batches until the queue is drained; answers each batch's
   * execution.
   */
  public List<Execution> ingestAll(List<Landed> landed) {
    for (Landed object : landed) {
      enqueue(object);
    }
    return drain();
  }

  /**
   * What the S3 → EventBridge → SQS rule does on AWS: the object's "Object Created" event joins the
   * queue.
   */
  public void enqueue(Landed landed) {
    long size = s3.headObject(b -> b.bucket(landed.bucket()).key(landed.key())).contentLength();
    ingestQueue.send(
        S3Events.objectCreated(landed.bucket(), landed.key(), size, landed.etag()).toString());
  }

  public DirectoryIngestQueue ingestQueue() {
    return ingestQueue;
  }

  /**
   * What the schedule does on AWS, without its idle ticks: starts the ingest state machine while
   * objects wait in the queue, one batch each. While another process's batch runs, it waits for
   * that one instead (it takes what is queued), and returns once nothing is queued or leased.
   */
  public List<Execution> drain() {
    List<Execution> batches = new ArrayList<>();
    String arn = machine(INGEST_PIPELINE).arn();
    // Leases alone keep it waiting only while a batch runs: a failed batch keeps its leases until
    // it is redriven.
    while (ingestQueue.approximateSize() > 0
        || (ingestQueue.leasedCount() > 0 && !runningExecutions(arn).isEmpty())) {
      if (ingestQueue.approximateSize() == 0 || !runningExecutions(arn).isEmpty()) {
        sleepQuietly(); // another process's batch holds the leases, or is about to claim
        continue;
      }
      Execution execution =
          start(
              INGEST_PIPELINE,
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
      String claim =
          execution.status() == ExecutionStatus.SUCCEEDED
              ? execution.output().path("batch").path("status").asText()
              : "failed";
      if (claim.equals("ready") || claim.equals("failed")) {
        batches.add(execution);
      }
      if (claim.equals("failed")) {
        break; // its objects stay leased for a redrive
      }
    }
    return batches;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while another batch ran", e);
    }
  }

  /**
   * The ingest executions running now, in any process on this home (Step Functions'
   * ListExecutions).
   */
  private List<ExecutionsInProgress.Running> runningExecutions(String stateMachineArn) {
    String name = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
    return runner.list().stream()
        .filter(
            e ->
                e.status() == ExecutionStatus.RUNNING
                    && e.stateMachineName().equals(name)
                    && !e.abandoned())
        .map(e -> new ExecutionsInProgress.Running(e.id(), e.startTime()))
        .toList();
  }

  /**
   * Runs a state machine to the end (synchronously) and hands a failed execution to the
   * status-change listener.
   */
  public Execution start(String machineName, JsonNode input) {
    String name =
        machineName
            + "-"
            + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14)
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    Execution execution = runner.start(machine(machineName), name, input);
    onStatusChange(execution);
    return execution;
  }

  public Execution redrive(String executionId) {
    Execution existing =
        runner
            .describe(executionId)
            .orElseThrow(() -> new IllegalArgumentException("no execution " + executionId));
    // Execution ARNs are arn:aws:states:<region>:<account>:execution:<state machine>:<name>.
    Execution execution = runner.redrive(machine(existing.id().split(":")[6]), existing);
    onStatusChange(execution);
    return execution;
  }

  public Optional<Execution> execution(String id) {
    return runner.describe(id);
  }

  /**
   * What the EventBridge rule on "Step Functions Execution Status Change" does on AWS: record the
   * failed execution in pipeline_runs (RunRecorder) and publish to the alert topic.
   */
  private void onStatusChange(Execution execution) {
    if (execution.status() == ExecutionStatus.SUCCEEDED
        || execution.status() == ExecutionStatus.RUNNING) {
      return;
    }
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("Error", execution.error());
    error.put("Cause", execution.cause());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("executionId", execution.id());
    payload.put("step", RunLog.STEP_PIPELINE);
    payload.put("status", execution.status().name());
    payload.put("startedAt", execution.startTime().toString());
    payload.put("error", error);
    String alert =
        "Execution "
            + execution.id()
            + " "
            + execution.status()
            + ": "
            + execution.error()
            + ": "
            + execution.cause();
    // The failure may be the storage itself (S3 server gone): the alert must still reach people,
    // and at once
    // rather than after the run log's retries give up.
    Optional<String> down = storageDown();
    if (down.isPresent()) {
      alert += " (not recorded in pipeline_runs: " + down.get() + ")";
    } else {
      try {
        runRecorder.handleRequest(
            payload, new LocalLambdaContext(LocalResources.RUN_RECORDER, execution.id()));
      } catch (Exception recorderDown) { // Spark's Scala code throws checked exceptions undeclared
        alert +=
            " (not recorded in pipeline_runs: "
                + recorderDown.getClass().getSimpleName()
                + ": "
                + recorderDown.getMessage()
                + ")";
      }
    }
    outbox.publish(LocalResources.ALERT_TOPIC, "Lakehouse: execution " + execution.status(), alert);
  }

  @Override
  public void close() throws Exception {
    try {
      runner.close();
      s3.close();
      lakehouse.close();
    } finally {
      LocalS3Servers.release(home);
    }
  }

  /** Options for tests: an injectable clock for maintenance, and job faults. */
  public static final class Builder {
    private final LakehouseHome home;
    private ProjectFiles files;
    private Clock clock = Clock.systemUTC();
    private GlueBinding.Faults faults = (job, attempt) -> null;
    private java.util.function.UnaryOperator<String> s3Route =
        java.util.function.UnaryOperator.identity();
    private boolean emrServerless;
    private Progress progress = Progress.OFF;

    /**
     * Locally a batch starts as soon as objects wait: the CLI queues all of its files before it
     * drains.
     */
    private BatchSettings batches = BatchSettings.defaults().withWindowSeconds(0);

    private Builder(LakehouseHome home) {
      this.home = home;
    }

    public Builder files(ProjectFiles value) {
      this.files = value;
      return this;
    }

    /**
     * Runs the EMR Serverless form of the definitions ({@code lakehouse:compute=emr-serverless})
     * instead of the files' Glue form; the job tasks run the same local Spark jobs.
     */
    public Builder emrServerless(boolean value) {
      this.emrServerless = value;
      return this;
    }

    /**
     * How many objects a batch takes at most (and its window): {@code ingest --batch-size}, and
     * tests.
     */
    public Builder batches(BatchSettings value) {
      this.batches = value;
      return this;
    }

    /** Prints where executions are (step lines, Spark rows and rates) through {@code value}. */
    public Builder progress(Progress value) {
      this.progress = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /**
     * Sends the stack's S3 traffic (jobs, handlers, uploads) to the endpoint this function makes of
     * the server's, e.g. a fault-injecting proxy in front of it (tests of S3 outages).
     */
    public Builder s3Route(java.util.function.UnaryOperator<String> value) {
      this.s3Route = value;
      return this;
    }

    /**
     * Runs {@code action} when the named Glue job starts (tests that need something to happen
     * mid-execution).
     */
    public Builder onJobStart(String jobName, Runnable action) {
      GlueBinding.Faults previous = this.faults;
      this.faults =
          (job, attempt) -> {
            if (job.equals(jobName)) {
              action.run();
            }
            return previous.failure(job, attempt);
          };
      return this;
    }

    /**
     * Makes the named Glue job fail with {@code message} while {@code failing} says so (tests of
     * the failure path).
     */
    public Builder failJob(
        String jobName, String message, java.util.function.BooleanSupplier failing) {
      GlueBinding.Faults previous = this.faults;
      this.faults =
          (job, attempt) ->
              job.equals(jobName) && failing.getAsBoolean()
                  ? message
                  : previous.failure(job, attempt);
      return this;
    }

    public LocalStack build() {
      if (files == null) {
        files = ProjectFiles.locate();
      }
      return new LocalStack(this);
    }
  }
}
