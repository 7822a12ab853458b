package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "execution",
    description =
        "One execution's history: states entered and exited, inputs, outputs, errors, per-state timings.")
final class ExecutionCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(
      paramLabel = "ID",
      description = "Execution ARN or name (see 'lakehouse executions').")
  String id;

  @Override
  public Integer call() {
    Execution execution = find(cli, id);
    cli.spec.commandLine().getOut().print(execution.historyTable());
    return 0;
  }

  static Execution find(LakehouseCli cli, String id) {
    return cli.stack().runner().list().stream()
        .filter(e -> e.id().equals(id) || e.name().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no execution '" + id + "' in this home; see 'lakehouse executions'"));
  }
}
