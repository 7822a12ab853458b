package dev.lakehouse.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.local.stack.LocalStack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "run",
    description =
        "Start an execution of a state machine (ingest-pipeline or maintenance) and wait for it.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Option(
      names = "--state-machine",
      required = true,
      paramLabel = "NAME",
      description = "ingest-pipeline | maintenance")
  String machine;

  @Option(
      names = "--input",
      defaultValue = "{}",
      paramLabel = "JSON",
      description = "Execution input (default {}).")
  String input;

  @Override
  public Integer call() throws Exception {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(input);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "--input is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    LocalStack stack = cli.stackForJobs();
    Execution execution = stack.start(machine, json);
    RunReport.print(cli.spec.commandLine().getOut(), stack, execution);
    if (execution.output() != null) {
      cli.spec.commandLine().getOut().println(execution.output().toPrettyString());
    }
    return execution.status() == ExecutionStatus.SUCCEEDED ? 0 : LakehouseCli.EXIT_FAILED;
  }
}
