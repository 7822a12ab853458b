package dev.lakehouse.asl.history;

import dev.lakehouse.asl.Execution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the live {@link Execution} objects; the default store. */
public final class InMemoryExecutionStore implements ExecutionStore {
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();

  @Override
  public void save(Execution execution) {
    executions.put(execution.id(), execution);
  }

  @Override
  public Optional<Execution> find(String executionId) {
    return Optional.ofNullable(executions.get(executionId));
  }

  @Override
  public List<Execution> list() {
    List<Execution> list = new ArrayList<>(executions.values());
    list.sort(Comparator.comparing(Execution::startTime).thenComparing(Execution::id));
    return list;
  }
}
