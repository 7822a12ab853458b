package dev.lakehouse.asl.model;

import java.util.Map;
import java.util.Set;

/**
 * A set of states with a StartAt: the top-level machine, a Parallel branch or a Map ItemProcessor.
 *
 * @param location where it sits in the definition, for messages ("" at the top, "Fanout/" inside a
 *     Map)
 */
public record StateGraph(
    String startAt, Map<String, State> states, Integer timeoutSeconds, String location) {

  public State state(String name) {
    State state = states.get(name);
    if (state == null) {
      throw new IllegalStateException("No state named '" + name + "' (validated at load time)");
    }
    return state;
  }

  public Set<String> stateNames() {
    return states.keySet();
  }
}
