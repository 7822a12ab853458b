package dev.lakehouse.local.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol on the JDK's own WebSocket
 * client: the page is laid out and painted as a reader sees it, and the protocol tells what it
 * rendered and every request it made. A fresh profile and the background services off, or the
 * browser tries the network (updates, sync) and can hang on a machine without it.
 */
final class HeadlessChromium implements AutoCloseable {
  static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync");
  static final Duration WAIT = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private String session;

  private HeadlessChromium(Process process, Path log, WebSocket socket) {
    this.process = process;
    this.log = log;
    this.socket = socket;
  }

  /** Starts the browser in {@code dir} (its profile and log there) with one blank page. */
  static HeadlessChromium start(Path dir) throws Exception {
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    Path log = dir.resolve("chromium.err");
    List<String> command = new ArrayList<>();
    command.add("chromium");
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.add("--remote-debugging-port=0");
    command.add("about:blank");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(log.toFile())
            .start();
    // The browser writes the port it chose and its endpoint's path here once it listens.
    Path active = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> lines = List.of();
    while (lines.size() < 2) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("chromium did not open DevTools: " + Files.readString(log));
      }
      Thread.sleep(100);
      lines = Files.exists(active) ? Files.readAllLines(active) : List.of();
    }
    URI endpoint = URI.create("ws://127.0.0.1:" + lines.get(0) + lines.get(1));
    Listener listener = new Listener();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(endpoint, listener)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    HeadlessChromium chromium = new HeadlessChromium(process, log, socket);
    listener.chromium = chromium;
    String target =
        chromium
            .send(null, "Target.createTarget", Json.object().put("url", "about:blank"))
            .path("targetId")
            .asText();
    chromium.session =
        chromium
            .send(
                null,
                "Target.attachToTarget",
                Json.object().put("targetId", target).put("flatten", true))
            .path("sessionId")
            .asText();
    return chromium;
  }

  /** Loads {@code url} in a {@code width} x {@code height} CSS-pixel viewport, pixel ratio 1. */
  void load(String url, int width, int height) throws Exception {
    page("Network.enable", Json.object());
    page("Page.enable", Json.object());
    page(
        "Emulation.setDeviceMetricsOverride",
        Json.object()
            .put("width", width)
            .put("height", height)
            .put("deviceScaleFactor", 1)
            .put("mobile", false));
    page("Page.navigate", Json.object().put("url", url));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (events("Page.loadEventFired").isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the page did not load: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  /** The value of a JavaScript expression evaluated in the page, as JSON. */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode result =
        page(
            "Runtime.evaluate",
            Json.object().put("expression", expression).put("returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(result.path("exceptionDetails").toString());
    }
    return result.path("result").path("value");
  }

  /** The viewport as painted, PNG. */
  byte[] screenshot() throws Exception {
    return java.util.Base64.getDecoder()
        .decode(
            page("Page.captureScreenshot", Json.object().put("format", "png"))
                .path("data")
                .asText());
  }

  /** The page's events named {@code method}, their params, in the order they came. */
  List<JsonNode> events(String method) {
    return events.stream()
        .filter(e -> e.path("method").asText().equals(method))
        .filter(e -> e.path("sessionId").asText().equals(session))
        .map(e -> e.path("params"))
        .toList();
  }

  private JsonNode page(String method, ObjectNode params) throws Exception {
    return send(session, method, params);
  }

  private JsonNode send(String sessionId, String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = Json.object().put("id", id).put("method", method);
    message.set("params", params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    replies.put(id, reply);
    socket.sendText(Json.write(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    JsonNode answer = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + ": " + answer.path("error"));
    }
    return answer.path("result");
  }

  private void received(String text) {
    JsonNode message = Json.parse(text);
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = replies.remove(message.path("id").asInt());
      if (reply != null) {
        reply.complete(message);
      }
    } else {
      events.add(message);
    }
  }

  @Override
  public void close() throws Exception {
    // Closed through the protocol, the browser exits as a closed window would and removes its
    // singleton socket (a directory in /tmp); killed, it leaves that behind.
    try {
      send(null, "Browser.close", Json.object());
    } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
      // It may hang up before it answers.
    }
    socket.abort();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Joins a message's frames (a screenshot spans many) and hands it over whole. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    volatile HeadlessChromium chromium;

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        chromium.received(text);
      }
      socket.request(1);
      return null;
    }
  }
}
