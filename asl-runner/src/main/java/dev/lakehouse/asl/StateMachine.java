package dev.lakehouse.asl;

import dev.lakehouse.asl.model.StateGraph;
import java.util.Set;

/** A loaded, validated state machine. Immutable; one instance can run any number of executions. */
public final class StateMachine {
  private final String name;
  private final StateGraph definition;
  private final Set<String> resources;
  private final String definitionJson;

  StateMachine(String name, StateGraph definition, Set<String> resources, String definitionJson) {
    this.name = name;
    this.definition = definition;
    this.resources = Set.copyOf(resources);
    this.definitionJson = definitionJson;
  }

  public String name() {
    return name;
  }

  public String arn() {
    return "arn:aws:states:local:000000000000:stateMachine:" + name;
  }

  public StateGraph definition() {
    return definition;
  }

  /**
   * Every Task Resource ARN used anywhere in the definition (including Map/Parallel sub-machines).
   */
  public Set<String> resources() {
    return resources;
  }

  /** The definition text after placeholder substitution. */
  public String definitionJson() {
    return definitionJson;
  }

  @Override
  public String toString() {
    return "StateMachine[" + name + "]";
  }
}
