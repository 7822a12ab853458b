package dev.lakehouse.asl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registry of task bindings, keyed by the exact Resource ARN (no wildcards, no version suffix
 * magic).
 */
public final class TaskHandlers {
  private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();

  public static TaskHandlers of(Map<String, TaskHandler> handlers) {
    TaskHandlers registry = new TaskHandlers();
    handlers.forEach(registry::register);
    return registry;
  }

  public synchronized TaskHandlers register(String resourceArn, TaskHandler handler) {
    handlers.put(resourceArn, handler);
    return this;
  }

  public synchronized Optional<TaskHandler> find(String resourceArn) {
    return Optional.ofNullable(handlers.get(resourceArn));
  }

  public synchronized Set<String> resources() {
    return Collections.unmodifiableSet(new LinkedHashMap<>(handlers).keySet());
  }

  synchronized TaskHandlers copy() {
    return of(handlers);
  }
}
