package dev.lakehouse.asl.history;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One pretty-printed JSON file per execution ({@code <stateMachine>__<executionName>.json}), so
 * that a CLI in another process can list and show executions, or redrive one. Files are replaced
 * atomically, so a reader never sees a half-written execution.
 */
public final class DirectoryExecutionStore implements ExecutionStore {
  private final Path directory;

  public DirectoryExecutionStore(Path directory) {
    this.directory = directory;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create execution store directory " + directory, e);
    }
  }

  public Path directory() {
    return directory;
  }

  @Override
  public synchronized void save(Execution execution) {
    Path file = fileFor(execution.stateMachineName(), execution.name());
    try {
      Path tmp = Files.createTempFile(directory, ".execution-", ".tmp");
      Files.writeString(tmp, Json.writePretty(execution.toJson()));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  @Override
  public synchronized Optional<Execution> find(String executionId) {
    // arn:aws:states:local:000000000000:execution:<stateMachine>:<name>
    String[] parts = executionId.split(":");
    if (parts.length != 8 || !"execution".equals(parts[5])) {
      return Optional.empty();
    }
    Path file = fileFor(parts[6], parts[7]);
    return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
  }

  @Override
  public synchronized List<Execution> list() {
    List<Execution> list = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .forEach(f -> list.add(read(f)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory, e);
    }
    list.sort(Comparator.comparing(Execution::startTime).thenComparing(Execution::id));
    return list;
  }

  private Path fileFor(String stateMachineName, String executionName) {
    return directory.resolve(safe(stateMachineName) + "__" + safe(executionName) + ".json");
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static Execution read(Path file) {
    try {
      return Execution.fromJson(Json.parse(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }
}
