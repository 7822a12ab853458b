package dev.lakehouse.core.runs;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code pipeline_runs}: what one step of one execution did. Counts reconcile for ingest
 * steps: {@code rowsIn == rowsWritten + rowsRejected}.
 */
public record PipelineRun(
    String executionId,
    String step,
    String tableName,
    String sourceFile,
    String sourceEtag,
    Long rowsIn,
    Long rowsWritten,
    Long rowsRejected,
    Long snapshotId,
    RunStatus status,
    String message,
    Instant startedAt,
    Instant finishedAt) {

  public PipelineRun {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  public static Builder builder(String executionId, String step) {
    return new Builder(executionId, step);
  }

  /** Fluent builder; unset counts stay null (unknown), which is different from zero. */
  public static final class Builder {
    private final String executionId;
    private final String step;
    private String tableName;
    private String sourceFile;
    private String sourceEtag;
    private Long rowsIn;
    private Long rowsWritten;
    private Long rowsRejected;
    private Long snapshotId;
    private RunStatus status = RunStatus.SUCCEEDED;
    private String message;
    private Instant startedAt = Instant.now();
    private Instant finishedAt;

    private Builder(String executionId, String step) {
      this.executionId = executionId;
      this.step = step;
    }

    public Builder table(String value) {
      this.tableName = value;
      return this;
    }

    public Builder source(String file, String etag) {
      this.sourceFile = file;
      this.sourceEtag = etag;
      return this;
    }

    public Builder counts(long in, long written, long rejected) {
      this.rowsIn = in;
      this.rowsWritten = written;
      this.rowsRejected = rejected;
      return this;
    }

    public Builder snapshotId(Long value) {
      this.snapshotId = value;
      return this;
    }

    public Builder status(RunStatus value) {
      this.status = value;
      return this;
    }

    public Builder message(String value) {
      this.message = value;
      return this;
    }

    public Builder started(Instant value) {
      this.startedAt = value;
      return this;
    }

    public Builder finished(Instant value) {
      this.finishedAt = value;
      return this;
    }

    public PipelineRun build() {
      return new PipelineRun(
          executionId,
          step,
          tableName,
          sourceFile,
          sourceEtag,
          rowsIn,
          rowsWritten,
          rowsRejected,
          snapshotId,
          status,
          message,
          startedAt,
          finishedAt == null ? Instant.now() : finishedAt);
    }
  }
}
