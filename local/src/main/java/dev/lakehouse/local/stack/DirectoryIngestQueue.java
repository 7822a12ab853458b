package dev.lakehouse.local.stack;

import dev.lakehouse.core.ingest.batch.IngestQueue;
import dev.lakehouse.core.ingest.batch.QueuedObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The ingest queue of a local home, shaped like SQS: one file per message under {@code
 * <home>/queue/}. Sending writes {@code ready/<sent millis>-<id>.json}; receiving renames a message
 * into {@code leased/} (an atomic rename, so two processes never receive the same message) under a
 * receipt naming its lease's end and its receive count; deleting removes the leased file. A lease
 * that ran out puts the message back in {@code ready/}, or in {@code dead/} after {@link
 * #MAX_RECEIVES} receives (SQS's dead-letter queue).
 */
public final class DirectoryIngestQueue implements IngestQueue {
  public static final int MAX_RECEIVES = 5;

  private final Path ready;
  private final Path leased;
  private final Path dead;

  /** Now, in epoch milliseconds: the system clock, or a test's hand-moved one. */
  private final LongSupplier clock;

  public DirectoryIngestQueue(Path root, LongSupplier clock) {
    this.ready = root.resolve("ready");
    this.leased = root.resolve("leased");
    this.dead = root.resolve("dead");
    this.clock = clock;
    try {
      Files.createDirectories(ready);
      Files.createDirectories(leased);
      Files.createDirectories(dead);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the ingest queue under " + root, e);
    }
  }

  /** What EventBridge does on AWS: the S3 event becomes a message. */
  public void send(String eventJson) {
    String name = String.format("%013d-%s.json", clock.getAsLong(), UUID.randomUUID());
    try {
      Path temp = Files.writeString(ready.resolveSibling("ready-" + name + ".tmp"), eventJson);
      Files.move(temp, ready.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot queue an event under " + ready, e);
    }
  }

  @Override
  public int approximateSize() {
    returnExpiredLeases();
    return list(ready).size();
  }

  @Override
  public List<QueuedObject> receive(int max, Duration lease) {
    returnExpiredLeases();
    List<QueuedObject> received = new ArrayList<>();
    for (Path message : list(ready)) {
      if (received.size() == max) {
        break;
      }
      String name = message.getFileName().toString();
      int count = receiveCount(name) + 1;
      String receipt = (clock.getAsLong() + lease.toMillis()) + "~" + count + "~" + baseName(name);
      try {
        Files.move(message, leased.resolve(receipt), StandardCopyOption.ATOMIC_MOVE);
        String body = Files.readString(leased.resolve(receipt));
        received.add(
            QueuedObject.fromEvent(receipt, body, Instant.ofEpochMilli(sentMillis(name)), count));
      } catch (NoSuchFileException | FileAlreadyExistsException takenByAnotherProcess) {
        // another receiver won this one
      } catch (AtomicMoveNotSupportedException e) {
        throw new IllegalStateException(
            "the home's file system cannot rename atomically: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return received;
  }

  @Override
  public void delete(List<String> receipts) {
    for (String receipt : receipts) {
      try {
        Files.deleteIfExists(leased.resolve(receipt));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Messages moved aside after too many receives (the dead-letter queue). */
  public List<Path> deadLetters() {
    returnExpiredLeases();
    return list(dead);
  }

  /** Messages leased right now (received by a batch that has not acknowledged them). */
  public int leasedCount() {
    return list(leased).size();
  }

  private void returnExpiredLeases() {
    long now = clock.getAsLong();
    for (Path lease : list(leased)) {
      String name = lease.getFileName().toString();
      String[] parts = name.split("~", 3);
      if (parts.length < 3 || Long.parseLong(parts[0]) > now) {
        continue;
      }
      int count = Integer.parseInt(parts[1]);
      // The receive count travels in the name: "<base>.r<count>" once it has been received.
      Path target =
          count >= MAX_RECEIVES ? dead.resolve(parts[2]) : ready.resolve(parts[2] + ".r" + count);
      try {
        Files.move(lease, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException gone) {
        // deleted or returned by another process meanwhile
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String baseName(String name) {
    int r = name.indexOf(".json.r");
    return r < 0 ? name : name.substring(0, r + 5);
  }

  private static int receiveCount(String name) {
    int r = name.indexOf(".json.r");
    return r < 0 ? 0 : Integer.parseInt(name.substring(r + 7));
  }

  private static long sentMillis(String name) {
    return Long.parseLong(name.substring(0, name.indexOf('-')));
  }

  private static List<Path> list(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null); // by name: by sent time, oldest first
    return files;
  }
}
