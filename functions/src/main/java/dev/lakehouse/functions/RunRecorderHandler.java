package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.admin.Arguments;
import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.ingest.batch.BatchManifest;
import dev.lakehouse.core.ingest.batch.IngestBatches;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.functions.support.Args;
import dev.lakehouse.functions.support.Clients;
import dev.lakehouse.functions.support.Telemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes one {@code pipeline_runs} row for a step. Input: {@code executionId}, {@code step},
 * optional {@code status} (SUCCEEDED | FAILED | SKIPPED, or an execution's ABORTED | TIMED_OUT),
 * {@code table}, {@code sourceFile}, {@code sourceEtag}, {@code rowsIn}, {@code rowsWritten},
 * {@code rowsRejected}, {@code snapshotId}, {@code message}, {@code startedAt}, {@code finishedAt},
 * and {@code error}: a Step Functions Catch result ({@code {"Error": ..., "Cause": ...}}), which
 * makes the status FAILED and the message "Error: errorMessage".
 *
 * <p>{@code {"operation": "recordBatch", "executionId", "manifest", "startedAt"}} records a whole
 * ingest batch in one commit: a {@code pipeline} row per loaded object (SUCCEEDED) and per
 * already-ingested one (SKIPPED), a {@code route} row (FAILED, with the reason) per rejected one.
 * Rows already recorded for the execution are not recorded again, so a retried or redriven step
 * adds nothing twice.
 */
public final class RunRecorderHandler extends SnapStartHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<RunLog> runLog;
  private final Function<String, BatchManifest> manifests;
  private final Clock clock;

  public RunRecorderHandler() {
    this.runLog = Clients.Lazy.of(() -> new RunLog(Clients.catalog().get()));
    this.manifests = uri -> IngestBatches.read(Clients.s3().get(), uri);
    this.clock = Clock.systemUTC();
    registerForSnapStart();
  }

  public RunRecorderHandler(RunLog runLog, Function<String, BatchManifest> manifests, Clock clock) {
    this.runLog = () -> runLog;
    this.manifests = manifests;
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Args a = new Args(event);
    if ("recordBatch".equals(a.string("operation"))) {
      return Telemetry.invoke(
          "RunRecorder",
          "recordBatch",
          context,
          correlationId(event, context),
          rec -> {
            List<PipelineRun> runs =
                batchRuns(
                    a.requireString("executionId"),
                    manifests.apply(a.requireString("manifest")),
                    a.has("startedAt")
                        ? Arguments.parseInstant(a.string("startedAt"), "startedAt")
                        : clock.instant());
            runLog.get().record(runs);
            rec.count("StepsRecorded", runs.size());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("recorded", runs.size());
            return out;
          });
    }
    return Telemetry.invoke(
        "RunRecorder",
        "record",
        context,
        correlationId(event, context),
        rec -> {
          String executionId = a.requireString("executionId");
          String step = a.requireString("step");
          Args error = a.child("error");
          String errorMessage =
              error.has("Error") ? describe(error.string("Error"), error.string("Cause")) : null;
          RunStatus status = status(a.string("status"), errorMessage != null);
          String message = a.string("message");
          if (errorMessage != null) {
            message = message == null ? errorMessage : message + " | " + errorMessage;
          }
          Instant now = clock.instant();
          PipelineRun.Builder b =
              PipelineRun.builder(executionId, step)
                  .table(a.string("table"))
                  .source(a.string("sourceFile"), a.string("sourceEtag"))
                  .snapshotId(a.longValue("snapshotId"))
                  .status(status)
                  .message(message)
                  .started(
                      a.has("startedAt")
                          ? Arguments.parseInstant(a.string("startedAt"), "startedAt")
                          : now)
                  .finished(
                      a.has("finishedAt")
                          ? Arguments.parseInstant(a.string("finishedAt"), "finishedAt")
                          : now);
          Long in = a.longValue("rowsIn");
          Long written = a.longValue("rowsWritten");
          Long rejected = a.longValue("rowsRejected");
          PipelineRun run = b.build();
          run =
              new PipelineRun(
                  run.executionId(),
                  run.step(),
                  run.tableName(),
                  run.sourceFile(),
                  run.sourceEtag(),
                  in,
                  written,
                  rejected,
                  run.snapshotId(),
                  run.status(),
                  run.message(),
                  run.startedAt(),
                  run.finishedAt());
          runLog.get().record(run);
          rec.annotate("Step", step).annotate("Status", status.name());
          rec.count(status.unfinished() ? "StepsFailed" : "StepsRecorded", 1);
          if (written != null) {
            rec.count("RowsWritten", written);
          }
          if (rejected != null) {
            rec.count("RowsRejected", rejected);
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("recorded", true);
          out.put("executionId", executionId);
          out.put("step", step);
          out.put("status", status.name());
          if (message != null) {
            out.put("message", message);
          }
          return out;
        });
  }

  private List<PipelineRun> batchRuns(
      String executionId, BatchManifest manifest, java.time.Instant startedAt) {
    Set<String> recorded = new HashSet<>();
    for (PipelineRun run : runLog.get().forExecution(executionId)) {
      recorded.add(run.step() + " " + run.sourceFile());
    }
    long loaded = manifest.count(BatchManifest.Status.ACCEPTED);
    java.time.Instant now = clock.instant();
    List<PipelineRun> runs = new ArrayList<>();
    for (BatchManifest.Entry e : manifest.objects()) {
      PipelineRun.Builder b =
          switch (e.status()) {
            case ACCEPTED ->
                PipelineRun.builder(executionId, RunLog.STEP_PIPELINE)
                    .status(RunStatus.SUCCEEDED)
                    .message(
                        "loaded through bronze, silver and gold in batch "
                            + manifest.batchId()
                            + " ("
                            + loaded
                            + " object(s))");
            case SKIPPED ->
                PipelineRun.builder(executionId, RunLog.STEP_PIPELINE)
                    .status(RunStatus.SKIPPED)
                    .message("already ingested by " + e.ingestedBy());
            case REJECTED ->
                PipelineRun.builder(executionId, RunLog.STEP_ROUTE)
                    .status(RunStatus.FAILED)
                    .message(describe(e.error(), e.reason()));
          };
      PipelineRun run =
          b.table(e.table())
              .source(e.sourceFile(), e.etag())
              .started(startedAt)
              .finished(now)
              .build();
      if (recorded.add(run.step() + " " + run.sourceFile())) {
        runs.add(run);
      }
    }
    return runs;
  }

  /**
   * The recorded status: the payload's own (the status-change rule passes the execution's), else
   * FAILED when there is an error and SUCCEEDED when not. An aborted execution has no error, so
   * without its status it would read as a success.
   */
  private static RunStatus status(String value, boolean hasError) {
    if (value == null) {
      return hasError ? RunStatus.FAILED : RunStatus.SUCCEEDED;
    }
    RunStatus s;
    try {
      s = RunStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument(
          "status must be one of "
              + java.util.Arrays.toString(RunStatus.values())
              + ", was '"
              + value
              + "'");
    }
    if (hasError && !s.unfinished()) {
      throw new InvalidArgument("status " + s + " contradicts the error in the payload");
    }
    return s;
  }

  /**
   * "Error: message", taking errorMessage out of a Lambda error Cause when the Cause is its JSON.
   */
  static String describe(String error, String cause) {
    if (cause == null || cause.isBlank()) {
      return error;
    }
    String detail = cause;
    if (cause.trim().startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(cause);
        if (node.hasNonNull("errorMessage")) {
          detail = node.get("errorMessage").asText();
        }
      } catch (Exception notJson) {
        // keep the Cause as it is
      }
    }
    String text = error + ": " + detail;
    return text.length() > 4000 ? text.substring(0, 4000) : text;
  }
}
