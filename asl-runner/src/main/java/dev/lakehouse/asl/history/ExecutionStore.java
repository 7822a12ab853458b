package dev.lakehouse.asl.history;

import dev.lakehouse.asl.Execution;
import java.util.List;
import java.util.Optional;

/**
 * Where executions are kept so they can be listed, shown and redriven. The runner saves an
 * execution when it starts, after every top-level state, and when it stops.
 */
public interface ExecutionStore {
  /** Inserts or replaces the execution with the same id. */
  void save(Execution execution);

  Optional<Execution> find(String executionId);

  /** All executions, oldest start first. */
  List<Execution> list();
}
