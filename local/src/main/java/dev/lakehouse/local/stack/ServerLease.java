package dev.lakehouse.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A cross-process reference count on a server shared by several processes (the S3 server of one
 * lakehouse home). Every step runs under an exclusive OS file lock, so starting, attaching and
 * leaving never interleave between processes. Each user registers a file named by its pid rather
 * than bumping a counter: a process killed without running its shutdown hook leaves a file whose
 * pid is dead, which later processes recognise and discard, whereas a counter would stay too high
 * forever and the server would never be stopped.
 */
final class ServerLease {
  // FileChannel.lock() is held per JVM, not per thread: a second lock() on the same file from this
  // JVM throws
  // OverlappingFileLockException instead of waiting, so threads of one JVM queue on a monitor
  // first.
  private static final ConcurrentHashMap<Path, Object> JVM_MONITORS = new ConcurrentHashMap<>();

  private final Path lockFile;
  private final Path clientsDir;
  private final long pid;
  private final LongPredicate alive;
  private final Runnable stopServer;

  /**
   * @param pid the process this lease registers
   * @param alive whether a registered pid still runs; injectable so tests can simulate other
   *     clients
   * @param stopServer runs under the lock when the last live client leaves
   */
  ServerLease(Path lockFile, Path clientsDir, long pid, LongPredicate alive, Runnable stopServer) {
    this.lockFile = lockFile.toAbsolutePath().normalize();
    this.clientsDir = clientsDir;
    this.pid = pid;
    this.alive = alive;
    this.stopServer = stopServer;
  }

  /** A lease for this JVM, with real process liveness. */
  static ServerLease forThisProcess(Path lockFile, Path clientsDir, Runnable stopServer) {
    return new ServerLease(
        lockFile, clientsDir, ProcessHandle.current().pid(), ServerLease::isAlive, stopServer);
  }

  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Attaches to or starts the server and registers this process, in one critical section: a process
   * that leaves at the same moment either sees this registration and keeps the server, or stops it
   * before {@code attachOrStart} looks and a fresh one is started.
   */
  <T> T acquire(Supplier<T> attachOrStart) {
    return locked(
        () -> {
          T server = attachOrStart.get();
          registerLocked();
          return server;
        });
  }

  /** Idempotent: the registration is a file named by the pid. */
  void register() {
    locked(
        () -> {
          registerLocked();
          return null;
        });
  }

  // Only from inside locked(): locking again from the same JVM would throw
  // OverlappingFileLockException.
  private void registerLocked() {
    try {
      Files.createDirectories(clientsDir);
      Path own = clientsDir.resolve(Long.toString(pid));
      if (!Files.exists(own)) {
        Files.createFile(own);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Drops this process's registration and those of dead processes; stops the server when no live
   * client is left, whoever started it.
   *
   * @return whether the server was stopped
   */
  boolean release() {
    return locked(
        () -> {
          delete(clientsDir.resolve(Long.toString(pid)));
          boolean othersLive = false;
          for (long other : registered()) {
            if (other != pid && alive.test(other)) {
              othersLive = true;
            } else {
              delete(clientsDir.resolve(Long.toString(other)));
            }
          }
          if (!othersLive) {
            stopServer.run();
          }
          return !othersLive;
        });
  }

  /** The registered pids, live or not; files that are not pids are not ours and are ignored. */
  Set<Long> registered() {
    Set<Long> pids = new TreeSet<>();
    if (!Files.isDirectory(clientsDir)) {
      return pids;
    }
    try (Stream<Path> files = Files.list(clientsDir)) {
      files.forEach(
          f -> {
            try {
              pids.add(Long.parseLong(f.getFileName().toString()));
            } catch (NumberFormatException notARegistration) {
              // left alone
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pids;
  }

  private <T> T locked(Supplier<T> body) {
    synchronized (JVM_MONITORS.computeIfAbsent(lockFile, k -> new Object())) {
      if (!Files.isDirectory(lockFile.getParent())) {
        // The home itself was deleted (e.g. a test's temporary directory before the JVM exits): no
        // process can
        // still share it, and recreating it would leave an empty home behind.
        return body.get();
      }
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return body.get();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
