package dev.lakehouse.local.cli;

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
  static final String EXIT_HEADER = "X-Lakehouse-Exit";
  static final String OUT_LENGTH_HEADER = "X-Lakehouse-Out-Length";

  /**
   * The serve file, {"port":N,"pid":N,"token":"hex"}: written and read here only, so a pattern
   * reads it and the client loads no JSON library (Jackson alone was a fifth of its class loading).
   */
  private static final java.util.regex.Pattern SERVE_FILE =
      java.util.regex.Pattern.compile(
          "\\{\"port\":(\\d+),\"pid\":(\\d+),\"token\":\"([0-9a-f]+)\"}\\s*");

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
        String.format(
            "{\"port\":%d,\"pid\":%d,\"token\":\"%s\"}%n",
            port(), ProcessHandle.current().pid(), token));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the serve file if it is still this endpoint's (a newer serve may have replaced it). */
  private void unadvertise() {
    try {
      if (Files.isRegularFile(file)
          && Files.readString(file).contains("\"token\":\"" + token + "\"")) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // A file left behind names a dead pid: clients ignore it.
    }
  }

  /**
   * {@code POST /sql?format=F&limit=N}, the query as the body. The answer: what the query printed,
   * then its one-line error, split by the out-length header; the exit code in its own header.
   */
  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!token.equals(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))) {
        reply(exchange, 403, Map.of(), "wrong or missing token");
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        reply(exchange, 405, Map.of(), "POST a query");
        return;
      }
      Map<String, String> params = new java.util.HashMap<>();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
      String query;
      try (InputStream in = exchange.getRequestBody()) {
        query = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      StringWriter text = new StringWriter();
      PrintWriter out = new PrintWriter(text);
      int exit = 0;
      String error = "";
      try {
        SqlOutput.print(
            lakehouse.spark(),
            query,
            Output.Format.valueOf(params.getOrDefault("format", "table")),
            Integer.parseInt(params.getOrDefault("limit", "1000")),
            out);
      } catch (Exception e) { // Spark's Scala code throws checked exceptions undeclared
        error = CliErrors.describe(e);
        exit = CliErrors.exitCode(e);
      }
      out.flush();
      served.incrementAndGet();
      byte[] printed = text.toString().getBytes(StandardCharsets.UTF_8);
      reply(
          exchange,
          200,
          Map.of(
              EXIT_HEADER,
              Integer.toString(exit),
              OUT_LENGTH_HEADER,
              Integer.toString(printed.length)),
          text + error);
    }
  }

  private static void reply(
      HttpExchange exchange, int status, Map<String, String> headers, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
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
    java.util.regex.Matcher serve;
    try {
      Path file = serveFile(home);
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      serve = SERVE_FILE.matcher(Files.readString(file));
    } catch (IOException unreadable) {
      return Optional.empty();
    }
    if (!serve.matches()
        || !ProcessHandle.of(Long.parseLong(serve.group(2)))
            .map(ProcessHandle::isAlive)
            .orElse(false)) {
      return Optional.empty();
    }
    try {
      HttpURLConnection http =
          (HttpURLConnection)
              URI.create(
                      "http://127.0.0.1:"
                          + serve.group(1)
                          + "/sql?format="
                          + format.name()
                          + "&limit="
                          + limit)
                  .toURL()
                  .openConnection();
      http.setConnectTimeout(2000);
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty(TOKEN_HEADER, serve.group(3));
      http.setRequestProperty("Content-Type", "text/plain; charset=utf-8");
      try (OutputStream body = http.getOutputStream()) {
        body.write(query.getBytes(StandardCharsets.UTF_8));
      }
      if (http.getResponseCode() != 200) {
        return Optional.empty();
      }
      byte[] answer;
      try (InputStream in = http.getInputStream()) {
        answer = in.readAllBytes();
      }
      int outLength = Integer.parseInt(http.getHeaderField(OUT_LENGTH_HEADER));
      return Optional.of(
          new Answer(
              Integer.parseInt(http.getHeaderField(EXIT_HEADER)),
              new String(answer, 0, outLength, StandardCharsets.UTF_8),
              new String(answer, outLength, answer.length - outLength, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException notThere) {
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
