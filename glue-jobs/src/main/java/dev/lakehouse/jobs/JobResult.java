package dev.lakehouse.jobs;

import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a job did, as the state machine and the CLI see it. {@code rowsIn == rowsWritten +
 * rowsRejected} for ingest steps; {@code details} carries step-specific facts (affected dates,
 * watermarks).
 */
public record JobResult(
    String step,
    String table,
    RunStatus status,
    long rowsIn,
    long rowsWritten,
    long rowsRejected,
    Long snapshotId,
    String message,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Object> details) {

  /** A run that committed: no rows counted, no snapshot, no details until given. Finished now. */
  public static JobResult succeeded(String step, String table, Instant startedAt) {
    return new JobResult(
        step, table, RunStatus.SUCCEEDED, 0, 0, 0, null, null, startedAt, Instant.now(), Map.of());
  }

  /** A run that found nothing to do, and why. Finished now. */
  public static JobResult skipped(String step, String table, String message, Instant startedAt) {
    return new JobResult(
        step, table, RunStatus.SKIPPED, 0, 0, 0, null, message, startedAt, Instant.now(), Map.of());
  }

  public JobResult withCounts(long in, long written, long rejected) {
    return new JobResult(
        step,
        table,
        status,
        in,
        written,
        rejected,
        snapshotId,
        message,
        startedAt,
        finishedAt,
        details);
  }

  /** The table's snapshot after the run (null: the table has none). */
  public JobResult withSnapshotId(Long id) {
    return new JobResult(
        step,
        table,
        status,
        rowsIn,
        rowsWritten,
        rowsRejected,
        id,
        message,
        startedAt,
        finishedAt,
        details);
  }

  public JobResult withMessage(String text) {
    return new JobResult(
        step,
        table,
        status,
        rowsIn,
        rowsWritten,
        rowsRejected,
        snapshotId,
        text,
        startedAt,
        finishedAt,
        details);
  }

  public JobResult withDetails(Map<String, Object> facts) {
    return new JobResult(
        step,
        table,
        status,
        rowsIn,
        rowsWritten,
        rowsRejected,
        snapshotId,
        message,
        startedAt,
        finishedAt,
        facts);
  }

  public PipelineRun toRun(String executionId, String sourceFile, String etag) {
    return PipelineRun.builder(executionId, step)
        .table(table)
        .source(sourceFile, etag)
        .counts(rowsIn, rowsWritten, rowsRejected)
        .snapshotId(snapshotId)
        .status(status)
        .message(message)
        .started(startedAt)
        .finished(finishedAt)
        .build();
  }

  /** JSON-friendly view for the state machine output. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("step", step);
    map.put("table", table);
    map.put("status", status.name());
    map.put("rowsIn", rowsIn);
    map.put("rowsWritten", rowsWritten);
    map.put("rowsRejected", rowsRejected);
    map.put("snapshotId", snapshotId);
    map.put("message", message);
    map.putAll(details);
    return map;
  }

  @Override
  public String toString() {
    return String.format(
        "%-7s %-20s %-9s in=%d written=%d rejected=%d%s",
        step,
        table,
        status,
        rowsIn,
        rowsWritten,
        rowsRejected,
        message == null ? "" : " (" + message + ")");
  }
}
