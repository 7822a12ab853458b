package dev.lakehouse.local.stack;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.s3.LocalS3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One S3-compatible server per lakehouse home, shared by every process using the home (CLI
 * commands, {@code serve}, tests). Two servers over one store directory would both write its bucket
 * indexes and lose each other's updates, so starting and attaching happen under the home's file
 * lock ({@link ServerLease}); every process registers itself, and the last live one to exit stops
 * the server, whoever started it. Its objects live under the home.
 */
public final class LocalS3Servers {
  private static final Map<Path, Held> RUNNING = new HashMap<>();
  private static final Map<Path, ScheduledFuture<?>> PENDING_STOPS = new HashMap<>();
  private static final ScheduledExecutorService IDLE_STOPPER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lakehouse-s3-idle-stop");
            t.setDaemon(true);
            return t;
          });

  /**
   * How long a home's server stays up in this process after its last stack closed: long enough that
   * stacks opened one after another (a CLI session, a test's steps) keep one server, short enough
   * that a test suite opening a home per test does not keep a ~450 MB JVM per home until it ends.
   */
  static final String IDLE_STOP_PROPERTY = "lakehouse.s3.idleStopSeconds";

  private static final long DEFAULT_IDLE_STOP_SECONDS = 30;

  /**
   * This process's server for a home, its lease, the pid it attached to (to stop it at exit if
   * last), whether the lease was given back (idle stop or exit, whichever comes first) and how many
   * open stacks use it.
   */
  private record Held(
      LocalS3Server server,
      ServerLease lease,
      AtomicLong attachedPid,
      AtomicBoolean released,
      AtomicInteger users) {
    Held with(LocalS3Server other) {
      return new Held(other, lease, attachedPid, released, users);
    }

    void giveBack() {
      if (released.compareAndSet(false, true)) {
        lease.release();
      }
    }
  }

  // A recorded server that runs but does not answer may just be busy (two cores, Spark running):
  // give it this long
  // before treating it as hung and replacing it.
  private static final Duration UNRESPONSIVE_GRACE = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private LocalS3Servers() {}

  /**
   * The home's server for one more user in this process; {@link #release} when done (a stack does
   * on close), and the server stops once no user in any process is left.
   */
  public static synchronized LocalS3Server forHome(LakehouseHome home, ProjectFiles files) {
    Optional.ofNullable(PENDING_STOPS.remove(home.root())).ifPresent(stop -> stop.cancel(false));
    LocalS3Server server = acquire(home, files);
    RUNNING.get(home.root()).users().incrementAndGet();
    return server;
  }

  /**
   * One user of the home's server in this process is done. When it was the last, the lease is given
   * back after the idle delay ({@value #IDLE_STOP_PROPERTY}, default {@value
   * #DEFAULT_IDLE_STOP_SECONDS} s) unless a new user came meanwhile; the server stops if no other
   * process uses it either.
   */
  public static synchronized void release(LakehouseHome home) {
    Held held = RUNNING.get(home.root());
    if (held == null || held.users().decrementAndGet() > 0) {
      return;
    }
    long idle = Long.getLong(IDLE_STOP_PROPERTY, DEFAULT_IDLE_STOP_SECONDS);
    PENDING_STOPS.put(
        home.root(), IDLE_STOPPER.schedule(() -> stopIfIdle(home.root()), idle, TimeUnit.SECONDS));
  }

  /**
   * Registers another process (a home's Trino server, which reads tables through this S3 server) as
   * a user of the home's running server: the server then stays up while that process lives, even
   * after this one exits. Its registration is discarded like any other once the process is dead.
   */
  public static void registerClient(LakehouseHome home, long pid) {
    new ServerLease(home.s3LockFile(), home.s3Clients(), pid, ServerLease::isAlive, () -> {})
        .register();
  }

  /**
   * A process registered with {@link #registerClient} has ended: its registration goes, and the
   * server stops if no live process uses it any more (as when the last CLI process exits).
   */
  public static void releaseClient(LakehouseHome home, long pid) {
    new ServerLease(
            home.s3LockFile(),
            home.s3Clients(),
            pid,
            ServerLease::isAlive,
            () -> stopRecordedServer(home.s3StateFile(), home.s3Store(), -1))
        .release();
  }

  private static synchronized void stopIfIdle(Path root) {
    PENDING_STOPS.remove(root);
    Held held = RUNNING.get(root);
    if (held == null || held.users().get() > 0) {
      return;
    }
    RUNNING.remove(root);
    try {
      held.giveBack();
    } catch (RuntimeException e) {
      // Exit tries again; a registration left behind is discarded once this pid is dead.
      System.err.println("lakehouse: could not stop the idle S3 server of " + root + ": " + e);
    }
  }

  private static LocalS3Server acquire(LakehouseHome home, ProjectFiles files) {
    Held held = RUNNING.get(home.root());
    if (held != null && LocalS3Server.answers(held.server().endpoint())) {
      return held.server();
    }
    if (held != null) {
      // The server this process used was stopped or killed under it: attach to whichever one runs
      // now, or start one
      // (under the lock, as always). This process is registered already.
      LocalS3Server server =
          held.lease()
              .acquire(
                  () -> {
                    LocalS3Server s = attachOrStart(home, files);
                    held.attachedPid().set(recordedPid(home.s3StateFile()).orElse(-1L));
                    return s;
                  });
      RUNNING.put(home.root(), held.with(server));
      return server;
    }
    Path stateFile = home.s3StateFile();
    // The state file may be gone by exit time (a test's temporary home is deleted before the JVM
    // exits); the pid
    // seen at attach time still lets the last client stop the server instead of leaking it.
    AtomicLong attachedPid = new AtomicLong(-1);
    ServerLease lease =
        ServerLease.forThisProcess(
            home.s3LockFile(),
            home.s3Clients(),
            () -> stopRecordedServer(stateFile, home.s3Store(), attachedPid.get()));
    LocalS3Server server =
        lease.acquire(
            () -> {
              LocalS3Server s = attachOrStart(home, files);
              attachedPid.set(recordedPid(stateFile).orElse(-1L));
              return s;
            });
    Held registered =
        new Held(server, lease, attachedPid, new AtomicBoolean(), new AtomicInteger());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    registered.giveBack();
                  } catch (RuntimeException e) {
                    // At exit a stack trace helps no one; a registration left behind is discarded
                    // once this pid is dead.
                    System.err.println(
                        "lakehouse: could not release the S3 server of " + home.root() + ": " + e);
                  }
                },
                "lakehouse-s3-lease"));
    RUNNING.put(home.root(), registered);
    return server;
  }

  /** Runs under the home's lock. */
  private static LocalS3Server attachOrStart(LakehouseHome home, ProjectFiles files) {
    Path stateFile = home.s3StateFile();
    Optional<LocalS3Server> attached = LocalS3Server.attach(stateFile);
    if (attached.isEmpty() && recordedServer(stateFile, home.s3Store(), -1).isPresent()) {
      attached = awaitAnswer(stateFile);
      if (attached.isEmpty()) {
        // Starting a second server while a hung one still holds the store is the very thing to
        // avoid.
        stopRecordedServer(stateFile, home.s3Store(), -1);
      }
    }
    LocalS3Server server =
        attached.orElseGet(
            () -> {
              LocalS3Server.start(files.s3MockJar(), home.s3Store(), true, stateFile);
              // The handle start() returns stops the server on close(); only the lease may decide
              // that, so this process
              // uses an attached handle like every other client.
              return LocalS3Server.attach(stateFile)
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "the S3 server just started for "
                                  + home.root()
                                  + " does not answer"));
            });
    // Under the lock too: two processes checking and creating a bucket at once would both try to
    // create it.
    server.bucket(LocalResources.LANDING_BUCKET);
    server.bucket(LocalResources.WAREHOUSE_BUCKET);
    return server;
  }

  private static Optional<LocalS3Server> awaitAnswer(Path stateFile) {
    long deadline = System.nanoTime() + UNRESPONSIVE_GRACE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<LocalS3Server> attached = LocalS3Server.attach(stateFile);
      if (attached.isPresent()) {
        return attached;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Optional.empty();
  }

  /** The server's pid, second line of the state file. */
  private static Optional<Long> recordedPid(Path stateFile) {
    try {
      if (!Files.isRegularFile(stateFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(stateFile);
      return lines.size() < 2 ? Optional.empty() : Optional.of(Long.parseLong(lines.get(1).trim()));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * The live S3Mock process recorded in the state file, else {@code fallbackPid} (-1: none). A pid
   * whose command line is not S3Mock over this home's store was reused by another process after the
   * server died: never killed.
   */
  private static Optional<ProcessHandle> recordedServer(
      Path stateFile, Path store, long fallbackPid) {
    long pid = recordedPid(stateFile).orElse(fallbackPid);
    if (pid <= 0) {
      return Optional.empty();
    }
    String storeArg = "s3mock.store.root=" + store.toAbsolutePath();
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(storeArg)).orElse(true));
  }

  /**
   * Runs under the home's lock: stops the recorded server (SIGTERM, then SIGKILL after {@link
   * LocalS3Server#stopGrace}) and forgets it.
   */
  static void stopRecordedServer(Path stateFile, Path store, long fallbackPid) {
    recordedServer(stateFile, store, fallbackPid)
        .ifPresent(
            p -> {
              p.destroy();
              try {
                p.onExit().get(LocalS3Server.stopGrace(p).toMillis(), TimeUnit.MILLISECONDS);
              } catch (TimeoutException | ExecutionException e) {
                p.destroyForcibly();
                waitQuietly(p);
              } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
              }
            });
    try {
      Files.deleteIfExists(stateFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void waitQuietly(ProcessHandle p) {
    try {
      p.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ignored) {
      // SIGKILL was sent; nothing more can be done
    }
  }
}
