package dev.lakehouse.bench;

import static dev.lakehouse.core.tables.LakehouseTables.PIPELINE_RUNS;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.CatalogType;
import dev.lakehouse.core.resources.LakehouseFunction;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cold start of every deployed function (issue 14: "the Lambda init times"), measured as
 * Lambda's Java runtime would start it: a fresh JVM per run whose class path is the deployment
 * package (functions/target/lakehouse-functions.zip) unpacked as the runtime lays it out, the
 * handler's no-argument constructor (the end of Lambda's init phase), then the first invocation of
 * a cheap request, answered by moto_server (S3 and the Glue catalog, as AwsEmulatorTest uses it)
 * and, for the REST source, a one-page API served by the harness. Each function runs with the
 * deployed JAVA_TOOL_OPTIONS (C1 only: {@code -XX:TieredStopAtLevel=1}) and without it, the two
 * interleaved. Without moto_server the rows say so and time the constructor only.
 */
final class LambdaInit {
  /** What FunctionsConstruct sets, and what Lambda's Java 17 and 21 runtimes default to. */
  static final String DEPLOYED_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

  private static final String PACKAGE = "functions/target/lakehouse-functions.zip";
  private static final String WAREHOUSE = "bench-warehouse";
  private static final String LANDING = "bench-landing";
  private static final String LANDED_KEY = "landing/orders/2026/11/01/bench-init.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One run's instants, in seconds after the JVM was started. */
  record Timing(double main, double constructed, double answered, double warm) {}

  private final Path root;
  private final Path dir;
  private final int repeats;
  private final Report report;

  LambdaInit(Path root, Path dir, int repeats, Report report) {
    this.root = root;
    this.dir = dir;
    this.repeats = repeats;
    this.report = report;
  }

  void run() {
    Path zip = root.resolve(PACKAGE);
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          zip + " is not built: mvn -B -o package -DskipTests -pl functions -am (then bench/run)");
    }
    String classpath =
        unpack(zip, dir.resolve("task"))
            + File.pathSeparator
            + root.resolve("bench/target/classes");
    boolean moto = onPath("moto_server");
    Process emulator = null;
    HttpServer api = null;
    try {
      Map<String, String> env = new LinkedHashMap<>();
      String note;
      if (moto) {
        int port = freePort();
        String endpoint = "http://127.0.0.1:" + port;
        emulator =
            new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("moto_server.log").toFile())
                .start();
        awaitPort(port);
        env.putAll(awsEnvironment(endpoint));
        prepareS3(endpoint);
        note = "first invocation answered by moto_server (S3, Glue catalog)";
      } else {
        note = "moto_server not on PATH: the first invocation fails on the network (not an answer)";
        System.out.println("bench: moto_server is not installed: Lambda rows time the constructor");
      }
      api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      api.createContext("/v1/customers", LambdaInit::onePage);
      api.start();
      String apiUrl = "http://127.0.0.1:" + api.getAddress().getPort() + "/v1/customers";
      if (moto) {
        // The tables the catalog handlers read: created once, untimed (the stack's custom
        // resource).
        child(
            classpath,
            LakehouseFunction.TABLE_ADMIN,
            Map.of("operation", "createTables"),
            env,
            null,
            "provision",
            true);
      }
      measure(classpath, env, apiUrl, moto, note);
    } catch (IOException e) {
      throw new UncheckedIOException("the Lambda init scenario failed", e);
    } finally {
      if (api != null) {
        api.stop(0);
      }
      if (emulator != null) {
        emulator.destroy();
      }
    }
  }

  private void measure(
      String classpath, Map<String, String> env, String apiUrl, boolean moto, String note) {
    Map<String, Double> init = new LinkedHashMap<>();
    Map<String, Double> firstInvoke = new LinkedHashMap<>();
    for (LakehouseFunction function : LakehouseFunction.values()) {
      Map<String, Object> event = event(function, apiUrl);
      Map<String, String> functionEnv = new LinkedHashMap<>(env);
      functionEnv.put("POWERTOOLS_SERVICE_NAME", function.nameSuffix());
      functionEnv.put("POWERTOOLS_METRICS_NAMESPACE", "Lakehouse");
      List<Timing> c1 = new ArrayList<>();
      List<Timing> tiered = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        // Interleaved, alternating which goes first (as Runs.pair does).
        for (boolean deployed : r % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
          (deployed ? c1 : tiered)
              .add(
                  child(
                      classpath,
                      function,
                      event,
                      functionEnv,
                      deployed ? DEPLOYED_TOOL_OPTIONS : null,
                      function.id() + "-" + (deployed ? "c1" : "tiered") + "-" + r,
                      moto));
        }
      }
      Runs initC1 = runs(c1, Timing::constructed);
      Runs initTiered = runs(tiered, Timing::constructed);
      Runs answeredC1 = runs(c1, Timing::answered);
      Runs answeredTiered = runs(tiered, Timing::answered);
      init.put(function.id(), initC1.median());
      firstInvoke.put(function.id(), answeredC1.median());
      report.row(
          new Report.Row(
              Report.LAMBDA,
              function.id() + ": JVM start → constructor done (Lambda's init phase)",
              describe(event),
              initC1.values(),
              "s",
              "the same without -XX:TieredStopAtLevel=1",
              initTiered.values(),
              Runs.pairedRatio(initC1, initTiered),
              null,
              String.format(
                  "JVM start → main %.2f s; ratio = with / without the flag",
                  runs(c1, Timing::main).median())));
      if (moto) {
        report.row(
            new Report.Row(
                Report.LAMBDA,
                function.id() + ": JVM start → first invocation answered",
                describe(event),
                answeredC1.values(),
                "s",
                "the same without -XX:TieredStopAtLevel=1",
                answeredTiered.values(),
                Runs.pairedRatio(answeredC1, answeredTiered),
                null,
                String.format(
                    "%s; a second invocation took %.0f ms",
                    note, 1000 * runs(c1, t -> t.warm() - t.answered()).median())));
      }
    }
    report.key(Report.LAMBDA, "lambda_init_seconds", init);
    if (moto) {
      report.key(Report.LAMBDA, "lambda_first_invoke_seconds", firstInvoke);
    }
  }

  /**
   * A cheap request each function answers. A switch over every function: a new one in the catalog
   * does not compile here until it has its request.
   */
  static Map<String, Object> event(LakehouseFunction function, String apiUrl) {
    String runs = PIPELINE_RUNS.name();
    return switch (function) {
      case INGEST_ROUTER -> Map.of("bucket", LANDING, "key", LANDED_KEY);
      case TABLE_ADMIN -> Map.of("operation", "describe", "table", runs);
      case MAINTENANCE -> Map.of("operation", "expireSnapshots", "table", runs, "dryRun", true);
      case RUN_RECORDER -> Map.of("executionId", "bench-init", "step", "bench-init");
      case REST_SOURCE -> Map.of("source", "bench-init", "url", apiUrl, "table", "customers");
    };
  }

  private Timing child(
      String classpath,
      LakehouseFunction function,
      Map<String, Object> event,
      Map<String, String> env,
      String toolOptions,
      String name,
      boolean answered) {
    Map<String, String> childEnv = new LinkedHashMap<>(env);
    if (toolOptions != null) {
      childEnv.put("JAVA_TOOL_OPTIONS", toolOptions);
    }
    try {
      // Lambda's Java runtimes collect with the serial GC; the package's class path only.
      List<String> command =
          List.of(
              ChildJvm.java(),
              "-XX:+UseSerialGC",
              "-cp",
              classpath,
              LambdaInitChild.class.getName(),
              function.name(),
              JSON.writeValueAsString(event));
      long started = System.currentTimeMillis();
      Path log = dir.resolve("logs/" + name + ".log");
      ChildJvm.Result result = ChildJvm.run(command, childEnv, log);
      String line =
          result
              .output()
              .lines()
              .filter(l -> l.startsWith(LambdaInitChild.MARK))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          function.id()
                              + " did not answer (exit "
                              + result.exitCode()
                              + "): see "
                              + log));
      String[] at = line.substring(LambdaInitChild.MARK.length()).split(" ", 5);
      if (answered && !at[4].startsWith("{\"result\"")) {
        throw new IllegalStateException(
            function.id() + " answered an error: " + at[4] + "; see " + log);
      }
      return new Timing(
          (Long.parseLong(at[0]) - started) / 1000.0,
          (Long.parseLong(at[1]) - started) / 1000.0,
          (Long.parseLong(at[2]) - started) / 1000.0,
          (Long.parseLong(at[3]) - started) / 1000.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Runs runs(List<Timing> timings, java.util.function.ToDoubleFunction<Timing> f) {
    Runs runs = new Runs();
    timings.forEach(t -> runs.add(f.applyAsDouble(t)));
    return runs;
  }

  private static String describe(Map<String, Object> event) {
    try {
      return "`"
          + JSON.writeValueAsString(new java.util.TreeMap<>(event))
              .replaceAll("http://127\\.0\\.0\\.1:\\d+", "")
          + "`";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A deployed function's catalog settings (CatalogSettings, Glue), pointed at the emulator. */
  private static Map<String, String> awsEnvironment(String endpoint) {
    Map<String, String> env =
        new LinkedHashMap<>(
            CatalogSettings.builder(CatalogType.GLUE)
                .warehouse("s3://" + WAREHOUSE + "/")
                .region("us-east-1")
                .s3Endpoint(endpoint)
                .s3PathStyle(true)
                .glueEndpoint(endpoint)
                .stsEndpoint(endpoint)
                .build()
                .toEnvironment());
    // moto takes any keys; the functions read them as Lambda gives them, from the environment.
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("LANDING_BUCKET", LANDING);
    return env;
  }

  /** The warehouse and landing buckets, and the landed object the router is asked about. */
  private static void prepareS3(String endpoint) {
    try (S3Client s3 =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(endpoint))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .build()) {
      s3.createBucket(b -> b.bucket(WAREHOUSE));
      s3.createBucket(b -> b.bucket(LANDING));
      s3.putObject(
          b -> b.bucket(LANDING).key(LANDED_KEY),
          RequestBody.fromString("{\"order_id\":\"ORD-1\"}\n"));
    }
  }

  private static void onePage(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    byte[] body =
        "{\"data\":[{\"customer_id\":\"c-1\",\"email\":\"c1@example.com\"}],\"next_cursor\":null}"
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** The package unpacked as Lambda's Java runtime lays it out; its class path. */
  static String unpack(Path zip, Path taskRoot) {
    Harness.deleteRecursively(taskRoot);
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(archive.entries())) {
        Path target = taskRoot.resolve(entry.getName()).normalize();
        if (!target.startsWith(taskRoot)) {
          throw new IOException("entry outside the package: " + entry.getName());
        }
        if (!entry.isDirectory()) {
          Files.createDirectories(target.getParent());
          try (InputStream in = archive.getInputStream(entry)) {
            Files.copy(in, target);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + zip, e);
    }
    return taskRoot + File.pathSeparator + taskRoot.resolve("lib") + File.separator + "*";
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IllegalStateException("moto_server did not answer on port " + port + " within 60 s");
  }
}
