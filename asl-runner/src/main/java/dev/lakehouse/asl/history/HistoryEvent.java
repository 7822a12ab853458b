package dev.lakehouse.asl.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.json.Json;
import java.time.Instant;

/**
 * One history entry.
 *
 * @param id 1-based, in recording order
 * @param stateName null for execution-level events
 * @param scope where the state runs: "" at the top level, {@code Fanout[3]} inside Map iteration 3,
 *     {@code Both.branch[1]} inside Parallel branch 1 (nested scopes are joined by '/')
 * @param durationMillis for StateExited / *Succeeded / *Failed events: time since the matching
 *     start
 * @param details event-specific extras (retry attempt and delay, catch target, iteration index...)
 */
public record HistoryEvent(
    long id,
    Instant timestamp,
    EventType type,
    String stateName,
    String scope,
    JsonNode input,
    JsonNode output,
    String error,
    String cause,
    Long durationMillis,
    JsonNode details) {

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("id", id);
    node.put("timestamp", Json.timestamp(timestamp));
    node.put("type", type.name());
    putIfNotNull(node, "stateName", stateName);
    if (scope != null && !scope.isEmpty()) {
      node.put("scope", scope);
    }
    if (input != null) {
      node.set("input", input);
    }
    if (output != null) {
      node.set("output", output);
    }
    putIfNotNull(node, "error", error);
    putIfNotNull(node, "cause", cause);
    if (durationMillis != null) {
      node.put("durationMillis", durationMillis);
    }
    if (details != null) {
      node.set("details", details);
    }
    return node;
  }

  public static HistoryEvent fromJson(JsonNode node) {
    return new HistoryEvent(
        node.get("id").asLong(),
        Instant.parse(node.get("timestamp").asText()),
        EventType.valueOf(node.get("type").asText()),
        text(node, "stateName"),
        node.has("scope") ? node.get("scope").asText() : "",
        node.get("input"),
        node.get("output"),
        text(node, "error"),
        text(node, "cause"),
        node.has("durationMillis") ? node.get("durationMillis").asLong() : null,
        node.get("details"));
  }

  private static void putIfNotNull(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
