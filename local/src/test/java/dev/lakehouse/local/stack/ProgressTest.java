package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.AslLoader;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.Runner;
import dev.lakehouse.asl.StateMachine;
import dev.lakehouse.asl.TaskFailedException;
import dev.lakehouse.asl.TaskHandlers;
import dev.lakehouse.asl.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The progress lines: their exact wording, the steps' numbering, and the lines a run prints. */
class ProgressTest {
  @Test
  void linesSayTheStepTheRowsAndTheRate() {
    assertThat(Progress.stepLine(4, 10, "Bronze", 1)).isEqualTo("[4/10] Bronze");
    assertThat(Progress.stepLine(7, 10, "SilverOrders", 2))
        .isEqualTo("[7/10] SilverOrders (attempt 2)");
    assertThat(Progress.rateLine("Bronze", 412_000, 0, 4_000_000_000L))
        .isEqualTo("  Bronze: 412,000 rows read (103,000 rows/s)");
    assertThat(Progress.rateLine("Bronze", 412_000, 400_000, 4_000_000_000L))
        .isEqualTo("  Bronze: 412,000 rows read, 400,000 written (103,000 rows/s)");
    assertThat(Progress.doneLine("Gold", 1_234, 0, 2_500_000_000L))
        .isEqualTo("  Gold: 1,234 rows read in 2.5 s (494 rows/s)");
    // No time measured yet: the rate is taken over a millisecond rather than divided by zero.
    assertThat(Progress.rateLine("Gold", 5, 0, 0)).isEqualTo("  Gold: 5 rows read (5,000 rows/s)");
  }

  @Test
  void stepsAreTheWorkingStatesOfTheDeployedDefinitionsInOrder() {
    ProjectFiles files = ProjectFiles.locate();
    StateMachine ingest =
        AslLoader.load(files.stateMachine("ingest-pipeline"), LocalResources.substitutions());
    var positions = Progress.positions(ingest);
    assertThat(positions.get("ClaimBatch")).containsExactly(1, 11);
    assertThat(positions.get("Bronze")).containsExactly(4, 11);
    assertThat(positions.get("ClaimMore")).containsExactly(5, 11);
    assertThat(positions.get("SilverOrders")).containsExactly(8, 11);
    assertThat(positions.get("AckBatch")).containsExactly(11, 11);
    assertThat(positions).doesNotContainKey("BatchReady");
    StateMachine maintenance =
        AslLoader.load(files.stateMachine("maintenance"), LocalResources.substitutions());
    // A Map's inner tasks carry the Map's number.
    assertThat(Progress.positions(maintenance).get("ExpireSnapshots")).containsExactly(2, 2);
  }

  @Test
  void aRunPrintsEachTaskAsItStartsWithItsRetries() {
    String lambda = "arn:aws:states:::lambda:invoke";
    StateMachine machine =
        AslLoader.load(
            "demo",
            """
            {"StartAt": "Claim", "States": {
              "Claim": {"Type": "Task", "Resource": "%1$s", "Next": "Check"},
              "Check": {"Type": "Pass", "Next": "Load"},
              "Load": {"Type": "Task", "Resource": "%1$s", "End": true,
                       "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}]}}}
            """
                .formatted(lambda),
            null,
            null);
    AtomicInteger loads = new AtomicInteger();
    StringWriter err = new StringWriter();
    Progress progress = new Progress(new PrintWriter(err), 0, System::nanoTime);
    TaskHandlers handlers =
        progress.wrap(
            TaskHandlers.of(
                Map.of(
                    lambda,
                    inv -> {
                      if (inv.stateName().equals("Load") && loads.getAndIncrement() == 0) {
                        throw new TaskFailedException("Busy", "try again");
                      }
                      return Json.object();
                    })),
            name -> name.equals("demo") ? machine : null);
    try (Runner runner = Runner.builder().handlers(handlers).sleeper(d -> {}).build()) {
      assertThat(runner.start(machine, "r1", "{}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }
    assertThat(err.toString()).isEqualTo("[1/2] Claim\n[2/2] Load\n[2/2] Load (attempt 2)\n");
    assertThat(Progress.OFF.wrap(handlers, name -> machine)).isSameAs(handlers);
  }
}
