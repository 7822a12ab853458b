package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "executions",
    description = "Every state machine execution in this home, newest first.")
final class ExecutionsCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Override
  public Integer call() {
    List<List<String>> rows = new ArrayList<>();
    cli.stack().runner().list().stream()
        .sorted(Comparator.comparing(Execution::startTime).reversed())
        .forEach(
            e ->
                rows.add(
                    List.of(
                        e.id(),
                        e.status().name(),
                        e.startTime().toString(),
                        e.stopTime() == null
                            ? ""
                            : String.format(
                                "%.1f s",
                                (e.stopTime().toEpochMilli() - e.startTime().toEpochMilli())
                                    / 1000.0),
                        e.error() == null ? "" : e.error())));
    TextTable.print(
        cli.spec.commandLine().getOut(),
        List.of("execution", "status", "started", "took", "error"),
        rows);
    return 0;
  }
}
