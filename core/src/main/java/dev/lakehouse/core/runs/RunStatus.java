package dev.lakehouse.core.runs;

/** Outcome of one pipeline step. */
public enum RunStatus {
  SUCCEEDED,
  FAILED,
  /** The step had nothing to do, e.g. the object was already ingested by an earlier execution. */
  SKIPPED,
  /**
   * A whole execution stopped by a person or an API call (Step Functions' ABORTED): no error, not a
   * success.
   */
  ABORTED,
  /** A whole execution that ran past its TimeoutSeconds (Step Functions' TIMED_OUT). */
  TIMED_OUT;

  /** Whether this outcome ended the work without finishing it. */
  public boolean unfinished() {
    return this == FAILED || this == ABORTED || this == TIMED_OUT;
  }
}
