package dev.lakehouse.asl;

/** Same values as the Step Functions API. */
public enum ExecutionStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  ABORTED;

  /** AWS allows RedriveExecution for these. */
  public boolean isRedrivable() {
    return this == FAILED || this == TIMED_OUT || this == ABORTED;
  }
}
