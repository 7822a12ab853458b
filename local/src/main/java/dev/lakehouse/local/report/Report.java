package dev.lakehouse.local.report;

import java.time.Instant;
import java.util.List;

/**
 * What a run report shows, as plain values: built from an execution history, the run log, the
 * quarantine table and the tables' snapshots ({@link ReportBuilder}), rendered by {@link
 * ReportHtml}. Every string here is data and is escaped when rendered.
 */
public record Report(String home, Instant generatedAt, List<ExecutionSection> executions) {

  /** One execution: its states as bars, the rows of each step, quarantine and tables. */
  public record ExecutionSection(
      String id,
      String name,
      String stateMachine,
      String status,
      Instant started,
      Instant stopped,
      int redrives,
      String failure,
      List<StateBar> states,
      List<StepRow> steps,
      List<QuarantineCount> quarantine,
      List<TableSnapshots> tables) {}

  /** How a state visit ended. */
  public enum Outcome {
    SUCCEEDED,
    CAUGHT,
    FAILED,
    RUNNING
  }

  /**
   * One visit of a state (a redrive visits the failed state again: a second bar). {@code exited} is
   * null while it runs; {@code failure} is the error and its message in one line, or null.
   *
   * @param scope "" at the top level, e.g. {@code MaintainTables[3]} inside a Map iteration
   * @param attempts a task's attempts (a retry is one more), empty for other state types
   * @param tables tables the state wrote a snapshot to or recorded a run-log row for
   */
  public record StateBar(
      String state,
      String scope,
      Instant entered,
      Instant exited,
      Outcome outcome,
      String failure,
      List<Attempt> attempts,
      List<String> tables) {

    /** The scope and state name, as a row label. */
    public String label() {
      return scope.isEmpty() ? state : scope + "/" + state;
    }
  }

  /**
   * One attempt of a task; {@code error} null when it succeeded, {@code end} null while running.
   */
  public record Attempt(int number, Instant start, Instant end, String error) {}

  /** One row of {@code pipeline_runs}; {@code state} the bar it ran in, or null. */
  public record StepRow(
      String step,
      String table,
      String sourceFile,
      String status,
      Long rowsIn,
      Long rowsWritten,
      Long rowsRejected,
      Long snapshotId,
      String message,
      String state) {}

  /** Quarantined rows of this execution with one reason. */
  public record QuarantineCount(String table, String stage, String reason, long rows) {}

  /** Every snapshot still in the metadata of a table this execution touched, oldest first. */
  public record TableSnapshots(String table, List<SnapshotRow> snapshots) {}

  /**
   * One snapshot; {@code deleted} counts removed rows and merge-on-read position deletes.
   *
   * @param ours true when this execution made it
   */
  public record SnapshotRow(
      long snapshotId,
      Instant committedAt,
      String operation,
      Long added,
      Long deleted,
      String executionId,
      String sourceFile,
      boolean current,
      boolean ours) {}
}
