package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.AslLoader;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.Runner;
import dev.lakehouse.asl.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deployed maintenance state machine (statemachines/maintenance.asl.json, as CDK deploys it) in
 * the local runner with recording stand-ins for the Lambda and Glue calls: orphan removal goes on
 * window after window while the function answers a {@code continueAfter}, each call starting where
 * the previous stopped.
 */
class MaintenanceMachineTest {
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  @Test
  void orphanRemovalListsTheTableWindowByWindowUntilTheListingEnds() {
    // The function's answers for the one table: two full windows, then the end of the listing.
    Deque<String> continueAfter =
        new ArrayDeque<>(
            List.of(
                "s3://warehouse/raw/raw_orders/data/f-0400",
                "s3://warehouse/raw/raw_orders/metadata/m-0100",
                ""));
    Runner runner =
        Runner.builder()
            .handler(
                "arn:aws:states:::lambda:invoke",
                inv -> {
                  JsonNode payload = inv.parameters().get("Payload");
                  String operation = payload.get("operation").asText();
                  calls.add(
                      operation
                          + (payload.has("startAfter")
                              ? "(" + payload.get("startAfter").asText() + ")"
                              : ""));
                  ObjectNode result = Json.object();
                  switch (operation) {
                    case "listTables" ->
                        result.set(
                            "tables",
                            Json.MAPPER
                                .createArrayNode()
                                .add(Json.object().put("table", "raw_orders")));
                    case "expireSnapshots" ->
                        result.put("expiredSnapshots", 0).put("deletedBytes", 0);
                    case "rewriteManifests" -> result.put("rewritten", false);
                    case "removeOrphanFiles" ->
                        result
                            .put("orphanFiles", 1)
                            .put("deletedFiles", 1)
                            .put("continueAfter", continueAfter.removeFirst());
                    default -> throw new IllegalStateException(operation);
                  }
                  ObjectNode response = Json.object().put("StatusCode", 200);
                  response.set("Payload", result);
                  return response;
                })
            .handler(
                "arn:aws:states:::glue:startJobRun.sync",
                inv -> {
                  calls.add("compact");
                  return Json.object().put("JobRunState", "SUCCEEDED");
                })
            .build();

    Execution execution =
        runner.start(
            AslLoader.load(
                ProjectFiles.locate().stateMachine("maintenance"), LocalResources.substitutions()),
            "nightly",
            Json.object());

    assertThat(execution.status())
        .as(execution.historyTable())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls)
        .containsExactly(
            "listTables",
            "expireSnapshots",
            "rewriteManifests",
            "removeOrphanFiles()",
            "removeOrphanFiles(s3://warehouse/raw/raw_orders/data/f-0400)",
            "removeOrphanFiles(s3://warehouse/raw/raw_orders/metadata/m-0100)",
            "compact");
  }
}
