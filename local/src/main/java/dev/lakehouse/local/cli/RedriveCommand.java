package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.local.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "redrive",
    description =
        "Redrive a failed execution from the state that failed, as the Step Functions console does.")
final class RedriveCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "ID", description = "Execution ARN or name.")
  String id;

  @Override
  public Integer call() {
    LocalStack stack = cli.stackForJobs();
    Execution failed = ExecutionCommand.find(cli, id);
    Execution execution = stack.redrive(failed.id());
    RunReport.print(cli.spec.commandLine().getOut(), stack, execution);
    return execution.status() == ExecutionStatus.SUCCEEDED ? 0 : LakehouseCli.EXIT_FAILED;
  }
}
