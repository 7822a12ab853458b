package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.history.DirectoryExecutionStore;
import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.asl.history.InMemoryExecutionStore;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.support.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedriveAndStoreTest {
  final ManualTime time = new ManualTime();
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> redriveCountsSeenByFlaky = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger flakyCalls = new AtomicInteger();

  static final StateMachine MACHINE =
      machine(
          "{'StartAt':'Extract','States':{"
              + "'Extract':{'Type':'Task','Resource':'arn:extract','ResultPath':'$.extracted','Next':'Transform'},"
              + "'Transform':{'Type':'Task','Resource':'arn:flaky','ResultPath':'$.transformed','Next':'Load'},"
              + "'Load':{'Type':'Task','Resource':'arn:load','ResultPath':'$.loaded','End':true}}}");

  Runner runner(dev.lakehouse.asl.history.ExecutionStore store) {
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
            "arn:flaky",
            inv -> {
              calls.add("transform");
              redriveCountsSeenByFlaky.add(inv.context().at("/Execution/RedriveCount").asInt());
              if (flakyCalls.incrementAndGet() == 1) {
                throw new TaskFailedException("Transform.Failed", "first attempt fails");
              }
              return Json.NODES.textNode("clean " + inv.parameters().get("extracted").asText());
            })
        .handler(
            "arn:load",
            inv -> {
              calls.add("load");
              return Json.NODES.booleanNode(true);
            })
        .build();
  }

  @Test
  void redriveRestartsAtTheFailedStateWithoutRerunningEarlierStates() {
    Runner runner = runner(new InMemoryExecutionStore());
    Execution first = runner.start(MACHINE, "nightly", q("{'day':'d1'}"));
    assertThat(first.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(first.error()).isEqualTo("Transform.Failed");
    assertThat(first.redrivePoint().stateName()).isEqualTo("Transform");
    assertJson(first.redrivePoint().input(), "{'day':'d1','extracted':'rows'}");
    int eventsBefore = first.history().size();

    Execution redriven = runner.redrive(MACHINE, first.id());

    assertThat(redriven).isSameAs(first);
    assertThat(redriven.id())
        .isEqualTo("arn:aws:states:local:000000000000:execution:state-machine:nightly");
    assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(redriven.redriveCount()).isEqualTo(1);
    assertThat(redriven.error()).isNull();
    assertJson(
        redriven.output(),
        "{'day':'d1','extracted':'rows','transformed':'clean rows','loaded':true}");
    assertThat(calls).containsExactly("extract", "transform", "transform", "load");
    assertThat(redriveCountsSeenByFlaky).containsExactly(0, 1);

    List<HistoryEvent> history = redriven.history();
    assertThat(history.get(eventsBefore - 1).type()).isEqualTo(EventType.ExecutionFailed);
    assertThat(history.get(eventsBefore).type()).isEqualTo(EventType.ExecutionRedriven);
    assertThat(history.get(eventsBefore).stateName()).isEqualTo("Transform");
    assertThat(history)
        .extracting(HistoryEvent::id)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, history.size()).boxed().toList());
    assertThat(history.get(history.size() - 1).type()).isEqualTo(EventType.ExecutionSucceeded);
  }

  @Test
  void onlyFailedTimedOutOrAbortedExecutionsCanBeRedriven() {
    flakyCalls.set(1); // flaky succeeds straight away
    Runner runner = runner(new InMemoryExecutionStore());
    Execution ok = runner.start(MACHINE, "ok", "{}");
    assertThat(ok.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThatThrownBy(() -> runner.redrive(MACHINE, ok))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Execution arn:aws:states:local:000000000000:execution:state-machine:ok is SUCCEEDED;"
                + " only FAILED, TIMED_OUT or ABORTED executions can be redriven");
    assertThatThrownBy(() -> runner.start(MACHINE, "ok", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Execution already exists: arn:aws:states:local:000000000000:execution:state-machine:ok");
  }

  @Test
  void directoryStoreLetsAnotherProcessListShowAndRedrive(@TempDir Path dir) throws Exception {
    Execution failed =
        runner(new DirectoryExecutionStore(dir)).start(MACHINE, "from-cli", q("{'day':'d2'}"));
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
        .containsExactly("state-machine__from-cli.json");

    // "Another process": a fresh store over the same directory.
    DirectoryExecutionStore reader = new DirectoryExecutionStore(dir);
    assertThat(reader.list()).extracting(Execution::id).containsExactly(failed.id());
    Execution loaded = reader.find(failed.id()).orElseThrow();
    assertThat(loaded.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(loaded.error()).isEqualTo("Transform.Failed");
    assertThat(loaded.history()).isEqualTo(failed.history());
    assertThat(loaded.historyTable()).isEqualTo(failed.historyTable());

    Execution redriven = runner(reader).redrive(MACHINE, failed.id());
    assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls).containsExactly("extract", "transform", "transform", "load");
    Execution reloaded = new DirectoryExecutionStore(dir).find(failed.id()).orElseThrow();
    assertThat(reloaded.redriveCount()).isEqualTo(1);
    assertThat(reloaded.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(reloaded.history().size()).isEqualTo(redriven.history().size());
  }

  @Test
  void executionJsonRoundTrip() {
    Execution ex = runner(new InMemoryExecutionStore()).start(MACHINE, "json", q("{'day':'d3'}"));
    JsonNode json = ex.toJson();
    assertThat(json.get("executionArn").asText()).isEqualTo(ex.id());
    assertThat(json.get("status").asText()).isEqualTo("FAILED");
    assertThat(json.get("startDate").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
    assertThat(json.at("/history/0/type").asText()).isEqualTo("ExecutionStarted");
    assertThat(json.at("/redrivePoint/stateName").asText()).isEqualTo("Transform");
    assertThat(Execution.fromJson(json).toJson()).isEqualTo(json);
  }
}
