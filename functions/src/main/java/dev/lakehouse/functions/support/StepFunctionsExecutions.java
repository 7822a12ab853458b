package dev.lakehouse.functions.support;

import dev.lakehouse.core.ingest.batch.ExecutionsInProgress;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** The running executions of a state machine, from Step Functions' ListExecutions. */
public final class StepFunctionsExecutions implements ExecutionsInProgress {
  private final SfnClient sfn;

  public StepFunctionsExecutions(SfnClient sfn) {
    this.sfn = sfn;
  }

  @Override
  public List<Running> running(String stateMachineArn) {
    List<Running> running = new ArrayList<>();
    sfn.listExecutionsPaginator(
            b -> b.stateMachineArn(stateMachineArn).statusFilter(ExecutionStatus.RUNNING))
        .executions()
        .forEach(e -> running.add(new Running(e.executionArn(), e.startDate())));
    return running;
  }
}
