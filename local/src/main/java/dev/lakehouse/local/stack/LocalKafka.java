package dev.lakehouse.local.stack;

import dev.lakehouse.local.LakehouseHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The home's Kafka broker: Apache Kafka's own server ({@code kafka.Kafka}, KRaft mode: one node
 * that is broker and controller, no ZooKeeper) from Maven Central, run as a child JVM on this
 * process's class path with its log under the home ({@code kafka/}), so published events outlive
 * the processes that published them. Like the S3 server, one broker serves every process of the
 * home: starting and attaching happen under the home's file lock ({@link ServerLease}), and the
 * last process to close its handle stops it (its data stays for the next start). A child process
 * rather than in-process, so that a broker a {@code lakehouse publish} started keeps serving the
 * {@code lakehouse stream} of another process after the publisher exits.
 */
public final class LocalKafka implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final Map<Path, Shared> OPEN = new HashMap<>();

  /**
   * Marks the broker's command line with its home, so a recorded pid reused by another process is
   * never killed.
   */
  private static final String OWNER_PROPERTY = "-Dlakehouse.kafka.config=";

  /** This process's use of a home's broker: its lease, address and how many open handles use it. */
  private static final class Shared {
    final ServerLease lease;
    final Thread exitHook;
    String bootstrapServers;
    int users;

    Shared(ServerLease lease, Thread exitHook) {
      this.lease = lease;
      this.exitHook = exitHook;
    }
  }

  private final Path home;
  private final String bootstrapServers;
  private boolean closed;

  private LocalKafka(Path home, String bootstrapServers) {
    this.home = home;
    this.bootstrapServers = bootstrapServers;
  }

  /** The home's broker, started if no process of the home runs one; {@link #close} when done. */
  public static synchronized LocalKafka open(LakehouseHome home) {
    Path root = home.root();
    Shared shared = OPEN.get(root);
    if (shared == null) {
      ServerLease lease =
          ServerLease.forThisProcess(
              root.resolve("kafka.lock"), root.resolve("kafka.clients"), () -> stopRecorded(root));
      shared = new Shared(lease, new Thread(lease::release, "lakehouse-kafka-lease"));
      shared.bootstrapServers = lease.acquire(() -> attachOrStart(root));
      Runtime.getRuntime().addShutdownHook(shared.exitHook);
      OPEN.put(root, shared);
    } else if (!answers(shared.bootstrapServers)) {
      // Stopped or killed under this process: attach to whichever broker runs now, or start one.
      shared.bootstrapServers = shared.lease.acquire(() -> attachOrStart(root));
    }
    shared.users++;
    return new LocalKafka(root, shared.bootstrapServers);
  }

  /** {@code host:port} of the broker, for producers, consumers and Spark's Kafka source. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Where {@code lakehouse stream} keeps the Spark checkpoint of a topic's query. */
  public static Path checkpoint(LakehouseHome home, String topic) {
    return home.root().resolve("streams").resolve(topic).resolve("checkpoint");
  }

  /** This handle is done; the broker stops when no handle of any process of the home is left. */
  @Override
  public void close() {
    synchronized (LocalKafka.class) {
      if (closed) {
        return;
      }
      closed = true;
      Shared shared = OPEN.get(home);
      if (shared == null || --shared.users > 0) {
        return;
      }
      OPEN.remove(home);
      try {
        Runtime.getRuntime().removeShutdownHook(shared.exitHook);
      } catch (IllegalStateException exiting) {
        return; // the hook runs anyway
      }
      shared.lease.release();
    }
  }

  /** Runs under the home's lock. */
  private static String attachOrStart(Path root) {
    Optional<String> running =
        recordedPort(root).map(port -> "127.0.0.1:" + port).filter(LocalKafka::answers);
    if (running.isPresent()) {
      return running.get();
    }
    // A recorded broker that does not answer is hung or gone: never two brokers over one log
    // directory.
    stopRecorded(root);
    return start(root);
  }

  private static String start(Path root) {
    try {
      Path dir = Files.createDirectories(root.resolve("kafka"));
      Path data = Files.createDirectories(dir.resolve("data"));
      // KRaft needs its log directory formatted once; this is what `kafka-storage format` writes.
      // Without a
      // bootstrap checkpoint the broker takes the metadata version of its release.
      Path meta = data.resolve("meta.properties");
      if (!Files.exists(meta)) {
        Files.writeString(
            meta,
            "version=1\ncluster.id=" + Uuid.randomUuid() + "\nnode.id=1\n",
            StandardCharsets.UTF_8);
      }
      int port = freePort();
      int controller = freePort();
      Path config = dir.resolve("server.properties");
      Files.writeString(
          config,
          String.join(
              "\n",
              "process.roles=broker,controller",
              "node.id=1",
              "controller.quorum.voters=1@127.0.0.1:" + controller,
              "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
              "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
              "controller.listener.names=CONTROLLER",
              "inter.broker.listener.name=PLAINTEXT",
              "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
              "log.dirs=" + data.toAbsolutePath(),
              "num.partitions=2",
              "offsets.topic.replication.factor=1",
              "offsets.topic.num.partitions=1",
              "transaction.state.log.replication.factor=1",
              "transaction.state.log.min.isr=1",
              "group.initial.rebalance.delay.ms=0",
              // A local home's topics are its sources: nothing expires by age.
              "log.retention.hours=-1",
              ""),
          StandardCharsets.UTF_8);
      List<String> cmd = new ArrayList<>();
      // Its own session: a Ctrl-C in the terminal that started it must not stop a broker other
      // processes use.
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        cmd.add("/usr/bin/setsid");
      }
      cmd.addAll(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              // First, so it stays within the 4 KB of a command line the OS reports (the class path
              // does not).
              OWNER_PROPERTY + config.toAbsolutePath(),
              "-Xmx320m",
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-Duser.timezone=UTC",
              "-cp",
              System.getProperty("java.class.path"),
              "kafka.Kafka",
              config.toAbsolutePath().toString()));
      Path log = root.resolve("kafka.log");
      Process process =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      String bootstrap = "127.0.0.1:" + port;
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!answers(bootstrap)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the Kafka broker exited with " + process.exitValue() + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException(
              "the Kafka broker did not answer on "
                  + bootstrap
                  + " within "
                  + START_TIMEOUT.toSeconds()
                  + " s; see "
                  + log);
        }
        Thread.sleep(200);
      }
      Files.writeString(
          stateFile(root), port + "\n" + process.pid() + "\n", StandardCharsets.UTF_8);
      return bootstrap;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether a broker answers a metadata request at {@code bootstrap} now. */
  static boolean answers(String bootstrap) {
    // A closed port first, plainly: the admin client would log a warning for every refused
    // connection.
    String[] hostPort = bootstrap.split(":");
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(
          new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 500);
    } catch (IOException closed) {
      return false;
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    try (Admin admin = Admin.create(props)) {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path stateFile(Path root) {
    return root.resolve("kafka.server");
  }

  private static Optional<Integer> recordedPort(Path root) {
    return recordedLine(root, 0).map(Integer::parseInt);
  }

  private static Optional<String> recordedLine(Path root, int index) {
    try {
      List<String> lines = Files.readAllLines(stateFile(root));
      return lines.size() > index ? Optional.of(lines.get(index).trim()) : Optional.empty();
    } catch (IOException | RuntimeException none) {
      return Optional.empty();
    }
  }

  /**
   * Runs under the home's lock: stops the recorded broker (SIGTERM, a clean shutdown; SIGKILL after
   * 20 s) and forgets it. A recorded pid whose command line is not this home's broker belongs to
   * another process now.
   */
  private static void stopRecorded(Path root) {
    String owner =
        OWNER_PROPERTY + root.resolve("kafka").resolve("server.properties").toAbsolutePath();
    recordedLine(root, 1)
        .map(Long::parseLong)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(owner)).orElse(true))
        .ifPresent(
            p -> {
              p.destroy();
              try {
                p.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (TimeoutException | ExecutionException e) {
                p.destroyForcibly();
              } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
              }
            });
    try {
      Files.deleteIfExists(stateFile(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
