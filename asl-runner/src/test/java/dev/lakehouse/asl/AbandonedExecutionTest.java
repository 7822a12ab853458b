package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.history.DirectoryExecutionStore;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.support.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An execution whose process was killed mid-state is not left RUNNING forever: the next runner over
 * the same store ends it FAILED at that state, and a redrive continues from there without
 * re-running the states before it.
 */
class AbandonedExecutionTest {
  static final StateMachine MACHINE =
      machine(
          "{'StartAt':'Extract','States':{"
              + "'Extract':{'Type':'Task','Resource':'arn:extract','ResultPath':'$.extracted','Next':'Transform'},"
              + "'Transform':{'Type':'Task','Resource':'arn:transform','ResultPath':'$.transformed','End':true}}}");

  @TempDir Path dir;
  final ManualTime time = new ManualTime();
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  Runner runner(DirectoryExecutionStore store, AtomicReference<String> crashSnapshot) {
    return Runner.builder()
        .clock(time)
        .sleeper(time)
        .store(store)
        .handler(
            "arn:extract",
            inv -> {
              calls.add("extract");
              return Json.NODES.textNode("rows");
            })
        .handler(
            "arn:transform",
            inv -> {
              calls.add("transform");
              if (crashSnapshot.get() == null) {
                // What the store holds at this instant is what a SIGKILL here would leave behind.
                crashSnapshot.set(read(store.directory().resolve("state-machine__nightly.json")));
                throw new IllegalStateException("stand-in for the kill");
              }
              return Json.NODES.textNode("clean " + inv.parameters().get("extracted").asText());
            })
        .build();
  }

  @Test
  void aRunningExecutionOfADeadProcessFailsAtItsStateAndARedriveFinishesIt() throws Exception {
    DirectoryExecutionStore store = new DirectoryExecutionStore(dir.resolve("executions"));
    AtomicReference<String> killedAt = new AtomicReference<>();
    runner(store, killedAt).start(MACHINE, "nightly", q("{'day':'d1'}"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    ObjectNode left = (ObjectNode) Json.parse(killedAt.get());
    assertThat(left.get("status").asText()).isEqualTo("RUNNING");
    left.put("ownerPid", gone.pid());
    Files.writeString(
        store.directory().resolve("state-machine__nightly.json"), Json.writePretty(left));

    Runner next = runner(new DirectoryExecutionStore(dir.resolve("executions")), killedAt);
    List<Execution> ended = next.failAbandoned();

    assertThat(ended).hasSize(1);
    Execution execution = ended.get(0);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).isEqualTo(Execution.PROCESS_DIED);
    assertThat(execution.cause())
        .isEqualTo(
            "the process running this execution (pid "
                + gone.pid()
                + ") ended before it finished; it was in state Transform, redrive it to continue from there");
    assertThat(execution.redrivePoint().stateName()).isEqualTo("Transform");
    assertThat(next.describe(execution.id()).orElseThrow().status())
        .as("persisted")
        .isEqualTo(ExecutionStatus.FAILED);
    assertThat(next.failAbandoned()).as("once").isEmpty();

    Execution redriven = next.redrive(MACHINE, execution.id());

    assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(redriven.output(), "{'day':'d1','extracted':'rows','transformed':'clean rows'}");
    assertThat(calls).containsExactly("extract", "transform", "transform");
  }

  @Test
  void anExecutionOfALiveProcessIsLeftRunning() throws Exception {
    DirectoryExecutionStore store = new DirectoryExecutionStore(dir.resolve("executions"));
    AtomicReference<String> killedAt = new AtomicReference<>();
    runner(store, killedAt).start(MACHINE, "nightly", q("{'day':'d1'}"));
    Process alive = new ProcessBuilder("sleep", "30").start();
    try {
      ObjectNode left = (ObjectNode) Json.parse(killedAt.get());
      left.put("ownerPid", alive.pid());
      Files.writeString(
          store.directory().resolve("state-machine__nightly.json"), Json.writePretty(left));

      Runner next = runner(new DirectoryExecutionStore(dir.resolve("executions")), killedAt);

      assertThat(next.failAbandoned()).isEmpty();
      assertThat(next.list())
          .extracting(Execution::status)
          .containsExactly(ExecutionStatus.RUNNING);
    } finally {
      alive.destroyForcibly();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
