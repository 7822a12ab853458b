package dev.lakehouse.asl.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lakehouse.asl.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only, thread-safe event log of one execution (Map iterations and Parallel branches append
 * concurrently). Ids are assigned under the same lock as the append, so id order is list order.
 */
public final class History {
  private final List<HistoryEvent> events = new ArrayList<>();

  public synchronized HistoryEvent add(
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
    HistoryEvent event =
        new HistoryEvent(
            events.size() + 1L,
            timestamp,
            type,
            stateName,
            scope,
            input,
            output,
            error,
            cause,
            durationMillis,
            details);
    events.add(event);
    return event;
  }

  public synchronized List<HistoryEvent> events() {
    return List.copyOf(events);
  }

  public synchronized ArrayNode toJson() {
    ArrayNode array = Json.NODES.arrayNode();
    events.forEach(e -> array.add(e.toJson()));
    return array;
  }

  public static History fromJson(JsonNode array) {
    History history = new History();
    if (array != null) {
      array.forEach(node -> history.events.add(HistoryEvent.fromJson(node)));
    }
    return history;
  }
}
