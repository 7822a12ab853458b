package dev.lakehouse.functions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON API on a JDK {@link HttpServer}: answers per request query ({@code "cursor=c2"}, {@code
 * ""}), each a queue of scripted failures before the page itself, and a bearer token it insists on.
 * Records every request it got.
 */
final class FakeApi implements AutoCloseable {
  record Answer(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final String token;
  private final Map<String, String> pages = new HashMap<>();
  private final Map<String, Deque<Answer>> failures = new HashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  FakeApi(String token) throws IOException {
    this.token = token;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The page answered for this query once its scripted failures are used up. */
  synchronized FakeApi page(String query, String body) {
    pages.put(query, body);
    return this;
  }

  /** One failure answered (once) before the page for this query. */
  synchronized FakeApi failOnce(String query, int status, Map<String, String> headers) {
    failures
        .computeIfAbsent(query, q -> new ArrayDeque<>())
        .add(new Answer(status, headers, "{\"error\":" + status + "}"));
    return this;
  }

  List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  void clearRequests() {
    requests.clear();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String query =
        exchange.getRequestURI().getRawQuery() == null
            ? ""
            : exchange.getRequestURI().getRawQuery();
    requests.add(exchange.getRequestURI().getPath() + (query.isEmpty() ? "" : "?" + query));
    Answer answer;
    synchronized (this) {
      Deque<Answer> queued = failures.get(query);
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answer = new Answer(401, Map.of(), "{\"error\":\"unauthorized\"}");
      } else if (queued != null && !queued.isEmpty()) {
        answer = queued.poll();
      } else if (pages.containsKey(query)) {
        answer = new Answer(200, Map.of(), pages.get(query));
      } else {
        answer = new Answer(404, Map.of(), "{\"error\":\"no page " + query + "\"}");
      }
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
