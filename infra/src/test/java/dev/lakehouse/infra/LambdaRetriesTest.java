package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Lambda call in the deployed state machines (the real files in statemachines/, not
 * stand-ins) retries what the Lambda service itself may answer. SnapStart functions are invoked
 * through a published version, and a version not called for 14 days becomes Inactive: its next call
 * fails with SnapStartNotReadyException while it is restored.
 */
class LambdaRetriesTest {
  static final List<String> LAMBDA_SERVICE_ERRORS =
      List.of(
          "Lambda.ServiceException",
          "Lambda.AWSLambdaException",
          "Lambda.SdkClientException",
          "Lambda.TooManyRequestsException",
          "Lambda.SnapStartNotReadyException");

  @Test
  void everyLambdaInvocationRetriesTheServiceErrorsIncludingSnapStartNotReady() throws Exception {
    Map<String, Integer> lambdaTasks = new java.util.TreeMap<>();
    for (String file : List.of(Artifacts.INGEST_ASL, Artifacts.MAINTENANCE_ASL)) {
      JsonNode definition =
          new ObjectMapper().readTree(TestStacks.infraDir().getParent().resolve(file).toFile());
      List<JsonNode> tasks = new ArrayList<>();
      collectLambdaTasks(definition.get("States"), tasks);
      lambdaTasks.put(Path.of(file).getFileName().toString(), tasks.size());
      for (JsonNode task : tasks) {
        List<String> retried = new ArrayList<>();
        task.path("Retry").forEach(r -> r.get("ErrorEquals").forEach(e -> retried.add(e.asText())));
        assertThat(retried)
            .as(file + " " + task.path("Comment").asText(task.toString()))
            .containsAll(LAMBDA_SERVICE_ERRORS);
      }
    }
    assertThat(lambdaTasks)
        .containsExactly(
            Map.entry("ingest-pipeline.asl.json", 5), Map.entry("maintenance.asl.json", 4));
  }

  /** Tasks anywhere in the definition, Map and Parallel branches included. */
  private static void collectLambdaTasks(JsonNode states, List<JsonNode> into) {
    states.forEach(
        state -> {
          if ("Task".equals(state.path("Type").asText())
              && state.path("Resource").asText().startsWith("arn:aws:states:::lambda:invoke")) {
            into.add(state);
          }
          for (String nested : List.of("ItemProcessor", "Iterator")) {
            if (state.has(nested)) {
              collectLambdaTasks(state.get(nested).get("States"), into);
            }
          }
          state.path("Branches").forEach(branch -> collectLambdaTasks(branch.get("States"), into));
        });
  }
}
