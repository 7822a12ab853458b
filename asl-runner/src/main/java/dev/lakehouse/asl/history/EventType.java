package dev.lakehouse.asl.history;

/**
 * History event types, a simplified version of the Step Functions GetExecutionHistory event types.
 */
public enum EventType {
  ExecutionStarted,
  ExecutionSucceeded,
  ExecutionFailed,
  ExecutionTimedOut,
  ExecutionAborted,
  ExecutionRedriven,
  StateEntered,
  StateExited,
  TaskScheduled,
  TaskSucceeded,
  TaskFailed,
  TaskTimedOut,
  /** An error matched a Retrier; details carry attempt number and delay. */
  RetryScheduled,
  /** An error matched a Catcher; details carry the Next state. */
  ErrorCaught,
  WaitStarted,
  ParallelBranchStarted,
  ParallelBranchSucceeded,
  ParallelBranchFailed,
  MapIterationStarted,
  MapIterationSucceeded,
  MapIterationFailed
}
