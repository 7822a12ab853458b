package dev.lakehouse.local.trino;

import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.s3.LocalS3Server;
import dev.lakehouse.local.stack.LocalResources;
import dev.lakehouse.local.stack.LocalS3Servers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A home's Trino server (Athena engine v3's engine), reading the home's Iceberg tables through the
 * same SQLite JDBC catalog and local S3 server the pipeline writes them with. One server per home,
 * started on first use and shared by later commands: its port, pid and the S3 endpoint it was
 * configured with live in {@code <home>/trino.server}; its configuration, data directory and log
 * under {@code <home>/trino/}. It registers itself as a user of the home's S3 server, so that
 * server stays up while Trino runs; it stops itself after {@link #IDLE} without a query.
 */
public final class LocalTrino {
  /**
   * Trino's catalog for the home's Iceberg tables: queries say {@code
   * iceberg.ecommerce_lakehouse.t} or just t.
   */
  public static final String CATALOG = "iceberg";

  public static final int IDLE_MINUTES = 15;
  public static final Duration IDLE = Duration.ofMinutes(IDLE_MINUTES);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final String USER = "lakehouse";
  private static final ConcurrentHashMap<Path, Object> JVM_MONITORS = new ConcurrentHashMap<>();

  private final LakehouseHome home;
  private final int port;

  private LocalTrino(LakehouseHome home, int port) {
    this.home = home;
    this.port = port;
  }

  /**
   * A query's columns and rows as Java objects (ROW → map, ARRAY → list, timestamps with zone →
   * Instant).
   */
  public record Result(List<String> columns, List<List<Object>> rows) {}

  /**
   * The home's running Trino, or a new one (a first start takes about a minute on two cores). The
   * home's S3 server must be running at {@code s3Endpoint}; a Trino configured for another endpoint
   * (the S3 server restarted on a new port since) is replaced.
   */
  public static LocalTrino forHome(LakehouseHome home, String s3Endpoint) {
    return locked(
        home,
        () -> {
          Optional<Recorded> recorded = recorded(home);
          if (recorded.isPresent() && recorded.get().s3Endpoint().equals(s3Endpoint)) {
            if (awaitReady(recorded.get(), home)) {
              return new LocalTrino(home, recorded.get().port());
            }
          }
          stopRecorded(home);
          return start(home, s3Endpoint);
        });
  }

  /** Stops the home's Trino if one runs; whether one did. */
  public static boolean stop(LakehouseHome home) {
    return locked(home, () -> stopRecorded(home));
  }

  /**
   * Runs one statement; the session is UTC, as Athena's is, with {@code ecommerce_lakehouse} as
   * default schema.
   */
  public Result query(String sql) throws SQLException {
    touchActivity();
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("timezone", "UTC");
    String url = "jdbc:trino://127.0.0.1:" + port + "/" + CATALOG + "/" + LakehouseTables.NAMESPACE;
    try (Connection connection = DriverManager.getConnection(url, props);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
          row.add(value(rs, i, meta.getColumnTypeName(i)));
        }
        rows.add(row);
      }
      return new Result(columns, rows);
    } finally {
      touchActivity();
    }
  }

  public int port() {
    return port;
  }

  private static Object value(ResultSet rs, int i, String type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    if (type.startsWith("timestamp") && type.endsWith("with time zone")) {
      return rs.getObject(i, ZonedDateTime.class).toInstant();
    }
    if (type.startsWith("timestamp")) {
      return rs.getObject(i, LocalDateTime.class);
    }
    if (type.equals("date")) {
      return rs.getObject(i, LocalDate.class);
    }
    return plain(rs.getObject(i));
  }

  /** Trino's ROW and ARRAY objects as maps and lists, so callers need no driver classes. */
  private static Object plain(Object value) throws SQLException {
    if (value instanceof io.trino.jdbc.Row row) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (io.trino.jdbc.RowField field : row.getFields()) {
        fields.put(field.getName().orElse("field" + fields.size()), plain(field.getValue()));
      }
      return fields;
    }
    if (value instanceof Array array) {
      List<Object> items = new ArrayList<>();
      for (Object item : (Object[]) array.getArray()) {
        items.add(plain(item));
      }
      return items;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        copy.put(e.getKey(), plain(e.getValue()));
      }
      return copy;
    }
    return value;
  }

  private void touchActivity() {
    try {
      Files.setLastModifiedTime(activityFile(home), FileTime.from(Instant.now()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- starting and stopping

  private record Recorded(int port, long pid, String s3Endpoint) {}

  private static Path stateFile(LakehouseHome home) {
    return home.root().resolve("trino.server");
  }

  private static Path dir(LakehouseHome home) {
    return home.root().resolve("trino");
  }

  private static Path activityFile(LakehouseHome home) {
    return dir(home).resolve("last-query");
  }

  /**
   * The command-line mark of this home's Trino: a recorded pid reused by another process is never
   * killed.
   */
  private static String dataDirArgument(LakehouseHome home) {
    return "-Dnode.data-dir=" + dir(home).resolve("data");
  }

  private static LocalTrino start(LakehouseHome home, String s3Endpoint) {
    Path javaBin =
        TrinoJava.find()
            .orElseThrow(() -> new TrinoUnavailableException(TrinoJava.missingMessage()));
    TrinoDistribution distribution = TrinoDistribution.installed();
    try {
      int port = freePort();
      Path etc = dir(home).resolve("etc");
      Files.createDirectories(etc.resolve("catalog"));
      Files.createDirectories(dir(home).resolve("data"));
      write(
          etc.resolve("config.properties"),
          List.of(
              "coordinator=true",
              "node-scheduler.include-coordinator=true",
              "http-server.http.port=" + port,
              "discovery.uri=http://127.0.0.1:" + port,
              // One small node on a shared machine: queries over local tables need little memory.
              "query.max-memory=512MB",
              "query.max-memory-per-node=512MB",
              "plugin.dir=" + distribution.plugins(),
              "catalog.config-dir=" + etc.resolve("catalog")));
      write(
          etc.resolve("catalog").resolve(CATALOG + ".properties"),
          catalogProperties(home, s3Endpoint));
      Path activity = activityFile(home);
      write(activity, List.of());
      List<String> command = new ArrayList<>();
      // Its own session: a Ctrl-C in the terminal of the command that started it does not stop a
      // shared server.
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        command.add("/usr/bin/setsid");
      }
      command.addAll(
          List.of(
              javaBin.toString(),
              "-Xmx1g",
              "-XX:+UseG1GC",
              "-XX:+ExitOnOutOfMemoryError",
              "-XX:-OmitStackTraceInFastThrow",
              "-XX:ReservedCodeCacheSize=256M",
              "-Djdk.attach.allowAttachSelf=true",
              "-XX:+EnableDynamicAgentLoading",
              "-Dfile.encoding=UTF-8",
              "-Duser.timezone=UTC",
              "-Dnode.environment=lakehouse",
              "-Dnode.id=lakehouse-local",
              dataDirArgument(home),
              "-Dnode.bind-ip=127.0.0.1",
              "-Dnode.internal-address=127.0.0.1",
              "-Dconfig=" + etc.resolve("config.properties"),
              "-cp",
              distribution.lib() + "/*" + java.io.File.pathSeparator + ownClassPath(),
              TrinoIdleMain.class.getName(),
              activity.toString(),
              Long.toString(IDLE.toSeconds())));
      Path log = dir(home).resolve("server.log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Recorded recorded = new Recorded(port, process.pid(), s3Endpoint);
      write(
          stateFile(home),
          List.of(Integer.toString(port), Long.toString(process.pid()), s3Endpoint));
      LocalS3Servers.registerClient(home, process.pid());
      if (!awaitReady(recorded, home)) {
        stopRecorded(home);
        throw new IllegalStateException(
            "Trino did not start within "
                + START_TIMEOUT.toSeconds()
                + " s; see "
                + log
                + lastLines(log));
      }
      return new LocalTrino(home, port);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start Trino for " + home.root(), e);
    }
  }

  /**
   * The Iceberg connector on the home's JDBC catalog (SQLite) and its warehouse bucket on the local
   * S3 server.
   */
  static List<String> catalogProperties(LakehouseHome home, String s3Endpoint) {
    CatalogSettings settings =
        home.s3CatalogSettings(
            s3Endpoint,
            LocalResources.WAREHOUSE_BUCKET,
            LocalS3Server.ACCESS_KEY,
            LocalS3Server.SECRET_KEY,
            LocalS3Server.REGION);
    return List.of(
        "connector.name=iceberg",
        "iceberg.catalog.type=jdbc",
        "iceberg.jdbc-catalog.driver-class=org.sqlite.JDBC",
        "iceberg.jdbc-catalog.connection-url=" + settings.uri().orElseThrow(),
        // The catalog name is part of every row of Iceberg's JDBC catalog tables: it must be the
        // project's.
        "iceberg.jdbc-catalog.catalog-name=" + CatalogFactory.CATALOG_NAME,
        "iceberg.jdbc-catalog.default-warehouse-dir=" + settings.warehouse(),
        "fs.native-s3.enabled=true",
        "s3.endpoint=" + settings.s3Endpoint().orElseThrow(),
        "s3.path-style-access=" + settings.s3PathStyle(),
        "s3.region=" + settings.region().orElseThrow(),
        "s3.aws-access-key=" + settings.s3AccessKey().orElseThrow(),
        "s3.aws-secret-key=" + settings.s3SecretKey().orElseThrow());
  }

  /**
   * Where TrinoIdleMain is loaded from (target/classes, or the module's jar), for Trino's class
   * path.
   */
  private static String ownClassPath() {
    try {
      return Path.of(
              TrinoIdleMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits while the recorded process lives and is still starting; whether it answers as started.
   */
  private static boolean awaitReady(Recorded recorded, LakehouseHome home) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (process(recorded.pid(), home).isEmpty()) {
        return false;
      }
      if (started(recorded.port())) {
        return true;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * Trino's /v1/info says {@code "starting":false} once catalogs are loaded and queries are
   * accepted.
   */
  private static boolean started(int port) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/v1/info").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(5000);
      try {
        if (c.getResponseCode() != 200) {
          return false;
        }
        String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return body.replace(" ", "").contains("\"starting\":false");
      } finally {
        c.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  private static Optional<Recorded> recorded(LakehouseHome home) {
    try {
      List<String> lines = Files.readAllLines(stateFile(home));
      return Optional.of(
          new Recorded(
              Integer.parseInt(lines.get(0).trim()),
              Long.parseLong(lines.get(1).trim()),
              lines.get(2).trim()));
    } catch (IOException | RuntimeException absentOrUnreadable) {
      return Optional.empty();
    }
  }

  private static Optional<ProcessHandle> process(long pid, LakehouseHome home) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            p -> p.info().commandLine().map(c -> c.contains(dataDirArgument(home))).orElse(true));
  }

  /**
   * Under the lock: stops the recorded server (SIGTERM, then SIGKILL) and forgets it; whether one
   * ran. Its use of the home's S3 server ends with it: that server stops too unless another process
   * still uses it.
   */
  private static boolean stopRecorded(LakehouseHome home) {
    Optional<ProcessHandle> running = recorded(home).flatMap(r -> process(r.pid(), home));
    running.ifPresent(
        p -> {
          p.destroy();
          try {
            p.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception notYet) {
            p.destroyForcibly();
            p.onExit().join();
          }
          LocalS3Servers.releaseClient(home, p.pid());
        });
    try {
      Files.deleteIfExists(stateFile(home));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return running.isPresent();
  }

  private static <T> T locked(LakehouseHome home, java.util.function.Supplier<T> body) {
    Path lockFile = home.root().resolve("trino.lock");
    // FileChannel.lock() is per JVM: threads of one JVM queue on a monitor first.
    synchronized (JVM_MONITORS.computeIfAbsent(lockFile, k -> new Object())) {
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return body.get();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static String lastLines(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.isEmpty()
          ? ""
          : ": " + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException | RuntimeException unreadable) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** No Java 24+ for the Trino server: bad setup, not a failed query. */
  public static final class TrinoUnavailableException extends IllegalStateException {
    public TrinoUnavailableException(String message) {
      super(message);
    }
  }
}
