package dev.lakehouse.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.LocalLakehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The warm query path: {@code lakehouse serve} answers {@code lakehouse sql} on its own Spark
 * session, already up with its catalog, so a query costs the client JVM and the query alone.
 *
 * <p>An HTTP endpoint bound to 127.0.0.1 on a free port, advertised in {@code
 * <home>/run/serve.json} (port, pid, a random token; readable by the owner only) and removed when
 * the endpoint closes. Every request must carry the token: another local user cannot run queries
 * through it. Queries run one at a time, in arrival order (a single worker thread): a serve's
 * session is shared with its ingest jobs, and two queries at once would only split two cores. A
 * client that finds no file, a dead pid, a refused connection or a refused token runs the query
 * cold instead.
 */
public final class QueryEndpoint implements AutoCloseable {
  static final String TOKEN_HEADER = "X-Lakehouse-Token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalLakehouse lakehouse;
  private final HttpServer server;
  private final ExecutorService worker;
  private final Path file;
  private final String token;
  private final AtomicInteger served = new AtomicInteger();

  /** What a warm query printed, its exit code, and the one-line error when it failed. */
  record Answer(int exit, String out, String error) {}

  private QueryEndpoint(LocalLakehouse lakehouse) throws IOException {
    this.lakehouse = lakehouse;
    this.file = serveFile(lakehouse.home());
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lakehouse-query-endpoint");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(worker);
    server.createContext("/sql", this::handle);
    server.start();
  }

  /**
   * Starts the endpoint on the lakehouse's session and advertises it in the home's serve file;
   * {@link #close} stops it and removes the file (so does the JVM's exit).
   */
  public static QueryEndpoint open(LocalLakehouse lakehouse) {
    try {
      QueryEndpoint endpoint = new QueryEndpoint(lakehouse);
      endpoint.advertise();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(endpoint::unadvertise, "lakehouse-query-endpoint-exit"));
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the query endpoint: " + e.getMessage(), e);
    }
  }

  /** Where a home's running serve advertises its endpoint. */
  static Path serveFile(LakehouseHome home) {
    return home.root().resolve("run").resolve("serve.json");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** How many queries this endpoint has answered (the benchmark checks its query went warm). */
  public int served() {
    return served.get();
  }

  private void advertise() throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("serve.json." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        tmp,
        JSON.writeValueAsString(
            Map.of("port", port(), "pid", ProcessHandle.current().pid(), "token", token)));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the serve file if it is still this endpoint's (a newer serve may have replaced it). */
  private void unadvertise() {
    try {
      if (Files.isRegularFile(file)
          && token.equals(JSON.readTree(file.toFile()).path("token").asText())) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // A file left behind names a dead pid: clients ignore it.
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!token.equals(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))) {
        reply(exchange, 403, "wrong or missing token");
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        reply(exchange, 405, "POST a query");
        return;
      }
      JsonNode request;
      try (InputStream in = exchange.getRequestBody()) {
        request = JSON.readTree(in);
      }
      StringWriter text = new StringWriter();
      PrintWriter out = new PrintWriter(text);
      int exit = 0;
      String error = "";
      try {
        SqlOutput.print(
            lakehouse.spark(),
            request.path("query").asText(),
            Output.Format.valueOf(request.path("format").asText("table")),
            request.path("limit").asInt(1000),
            out);
      } catch (Exception e) { // Spark's Scala code throws checked exceptions undeclared
        error = CliErrors.describe(e);
        exit = CliErrors.exitCode(e);
      }
      out.flush();
      served.incrementAndGet();
      reply(
          exchange,
          200,
          JSON.writeValueAsString(Map.of("exit", exit, "out", text.toString(), "error", error)));
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * The query answered by the home's running serve, or empty when there is none to ask: no serve
   * file, its process dead (a killed serve leaves the file), the port refusing, or the token
   * refused. Empty means "run it cold", never a failure.
   */
  static Optional<Answer> ask(LakehouseHome home, String query, Output.Format format, int limit) {
    Path file = serveFile(home);
    JsonNode serve;
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      serve = JSON.readTree(file.toFile());
    } catch (IOException unreadable) {
      return Optional.empty();
    }
    long pid = serve.path("pid").asLong(-1);
    if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return Optional.empty();
    }
    try {
      HttpURLConnection http =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + serve.path("port").asInt() + "/sql")
                  .toURL()
                  .openConnection();
      http.setConnectTimeout(2000);
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty(TOKEN_HEADER, serve.path("token").asText());
      http.setRequestProperty("Content-Type", "application/json");
      try (OutputStream body = http.getOutputStream()) {
        body.write(
            JSON.writeValueAsBytes(
                Map.of("query", query, "format", format.name(), "limit", limit)));
      }
      if (http.getResponseCode() != 200) {
        return Optional.empty();
      }
      JsonNode answer;
      try (InputStream in = http.getInputStream()) {
        answer = JSON.readTree(in);
      }
      return Optional.of(
          new Answer(
              answer.path("exit").asInt(),
              answer.path("out").asText(),
              answer.path("error").asText()));
    } catch (IOException notThere) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    unadvertise();
    server.stop(0);
    worker.shutdownNow();
  }
}
