package dev.lakehouse.core.ingest.batch;

import java.time.Instant;
import java.util.List;

/**
 * The running executions of a state machine: Step Functions' ListExecutions on AWS, the runner's
 * store locally.
 */
@FunctionalInterface
public interface ExecutionsInProgress {
  List<Running> running(String stateMachineArn);

  /** A running execution and when it started. */
  record Running(String executionArn, Instant startedAt) {}
}
