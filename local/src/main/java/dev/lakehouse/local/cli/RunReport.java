package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.local.stack.LocalStack;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints an execution's outcome and the steps it recorded in pipeline_runs (rows in / written /
 * rejected).
 */
final class RunReport {
  private RunReport() {}

  static void print(PrintWriter out, LocalStack stack, Execution execution) {
    Duration took =
        Duration.between(
            execution.startTime(),
            execution.stopTime() == null ? execution.startTime() : execution.stopTime());
    out.printf(
        "execution %s %s in %.1f s%n",
        execution.id(), execution.status(), took.toMillis() / 1000.0);
    if (execution.error() != null) {
      out.println("  error: " + failure(execution));
    }
    // The run log lives on the home's storage: when that is what failed, say so instead of waiting
    // out the run
    // log's retries and failing the report.
    var down =
        execution.status() == ExecutionStatus.SUCCEEDED
            ? java.util.Optional.<String>empty()
            : stack.storageDown();
    if (down.isPresent()) {
      out.println("  steps: not shown, " + down.get());
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (PipelineRun run : new RunLog(stack.lakehouse().catalog()).forExecution(execution.id())) {
      rows.add(
          List.of(
              run.step(),
              nz(run.tableName()),
              run.status().name(),
              n(run.rowsIn()),
              n(run.rowsWritten()),
              n(run.rowsRejected()),
              nz(run.message())));
    }
    if (!rows.isEmpty()) {
      TextTable.print(
          out,
          List.of("  step", "table", "status", "in", "written", "rejected", "message"),
          rows.stream()
              .map(
                  r -> {
                    List<String> copy = new ArrayList<>(r);
                    copy.set(0, "  " + r.get(0));
                    return copy;
                  })
              .toList());
    }
  }

  /**
   * Why an execution failed, in one line: the state it failed at and the error's own message. A
   * Glue or Lambda task's cause is the service's JSON answer; its message is the part a person
   * needs.
   */
  static String failure(Execution execution) {
    String at =
        execution.redrivePoint() == null ? "" : "at " + execution.redrivePoint().stateName() + ": ";
    return at + dev.lakehouse.local.report.Failures.oneLine(execution.error(), execution.cause());
  }

  private static String n(Long value) {
    return value == null ? "" : value.toString();
  }

  private static String nz(String value) {
    return value == null ? "" : value.length() > 70 ? value.substring(0, 67) + "..." : value;
  }
}
