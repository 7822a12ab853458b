package dev.lakehouse.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between the lakehouse and its S3 server that injects what S3 does on a
 * bad day: "503 Slow Down" and "500 Internal Error" answers, connections reset mid-request,
 * latency, and an outage (every connection reset). Each connection carries one request; faults hit
 * every other one while a budget lasts (503s, 500s and resets in turn), so a retried request meets
 * a healthy connection next.
 */
final class FaultyS3Proxy implements AutoCloseable {
  private static final byte[] SLOW_DOWN =
      errorAnswer("503 Slow Down", "SlowDown", "Please reduce your request rate.");
  private static final byte[] INTERNAL_ERROR =
      errorAnswer(
          "500 Internal Server Error",
          "InternalError",
          "We encountered an internal error. Please try again.");

  private static byte[] errorAnswer(String status, String code, String message) {
    String body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error>";
    return ("HTTP/1.1 "
            + status
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  private final ServerSocket server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "faulty-s3-proxy");
            t.setDaemon(true);
            return t;
          });
  private volatile URI target;
  private volatile boolean down;
  private volatile long latencyMillis;
  private volatile java.util.regex.Pattern hold;
  private volatile java.nio.file.Path holdMarker;
  private volatile java.nio.file.Path writeLog;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger slowDownBudget = new AtomicInteger();
  private final AtomicInteger resetBudget = new AtomicInteger();
  private final AtomicInteger internalErrorBudget = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();
  final AtomicInteger slowDownsInjected = new AtomicInteger();
  final AtomicInteger internalErrorsInjected = new AtomicInteger();
  final AtomicInteger resetsInjected = new AtomicInteger();
  final AtomicInteger refusedWhileDown = new AtomicInteger();

  FaultyS3Proxy() throws IOException {
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    threads.submit(this::acceptLoop);
  }

  /** The proxy's endpoint for {@code endpoint}, the real server's. */
  String route(String endpoint) {
    target = URI.create(endpoint);
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  void slowDowns(int count) {
    slowDownBudget.set(count);
  }

  void internalErrors(int count) {
    internalErrorBudget.set(count);
  }

  void resets(int count) {
    resetBudget.set(count);
  }

  void latency(long millis) {
    latencyMillis = millis;
  }

  void down(boolean value) {
    down = value;
  }

  /**
   * From now on, a request whose request line ("PUT /bucket/key HTTP/1.1") matches is never
   * forwarded and never answered: the caller waits there, and {@code marker} is written with the
   * line, so a test can kill the process at exactly that point.
   */
  void holdWhen(java.util.regex.Pattern requestLine, java.nio.file.Path marker) {
    holdMarker = marker;
    hold = requestLine;
  }

  /**
   * Appends the {@code s3://bucket/key} of every object written through the proxy (PUT, POST) to
   * {@code log}.
   */
  void logWrites(java.nio.file.Path log) {
    writeLog = log;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        int n = connections.incrementAndGet();
        threads.submit(() -> handle(client, n));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void handle(Socket client, int n) {
    try {
      if (down) {
        refusedWhileDown.incrementAndGet();
        reset(client);
        return;
      }
      // Every other connection (every other request: see Connection: close below) is faulty while a
      // budget lasts:
      // 503s, 500s and resets in turn.
      if (n % 2 == 0) {
        java.util.List<AtomicInteger> budgets =
            java.util.List.of(slowDownBudget, internalErrorBudget, resetBudget);
        for (int k = 0; k < budgets.size(); k++) {
          int kind = (injected.get() + k) % budgets.size();
          if (budgets.get(kind).getAndUpdate(b -> Math.max(0, b - 1)) > 0) {
            injected.incrementAndGet();
            readHead(client.getInputStream());
            if (kind == 2) {
              resetsInjected.incrementAndGet();
              reset(client);
              return;
            }
            (kind == 0 ? slowDownsInjected : internalErrorsInjected).incrementAndGet();
            client.getOutputStream().write(kind == 0 ? SLOW_DOWN : INTERNAL_ERROR);
            client.getOutputStream().flush();
            client.close();
            return;
          }
        }
      }
      if (latencyMillis > 0) {
        Thread.sleep(latencyMillis);
      }
      byte[] head = readHead(client.getInputStream());
      String requestLine =
          new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
      if (hold != null && hold.matcher(requestLine).find()) {
        java.nio.file.Files.writeString(holdMarker, requestLine);
        Thread.sleep(Long.MAX_VALUE); // the caller waits on its answer until the process is killed
      }
      logWrite(requestLine);
      Socket upstream = new Socket();
      upstream.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
      // One request per connection: the server closes after answering, so every request opens a new
      // connection
      // and the fault schedule above applies per request, whatever the clients' connection pooling
      // does.
      upstream.getOutputStream().write(withConnectionClose(head));
      threads.submit(() -> pump(upstream, client));
      pump(client, upstream);
    } catch (IOException | InterruptedException gone) {
      closeQuietly(client);
    }
  }

  private synchronized void logWrite(String requestLine) throws IOException {
    String[] parts = requestLine.split(" ");
    if (writeLog == null
        || parts.length < 2
        || !(parts[0].equals("PUT") || parts[0].equals("POST"))) {
      return;
    }
    // Path-style: /bucket/key?query, percent-encoded. A multipart upload's parts and completion
    // name the object too.
    String path = URI.create(parts[1]).getPath();
    java.nio.file.Files.writeString(
        writeLog,
        "s3:/" + path + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) != -1) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException closed) {
      // one side went away: close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Reads up to the end of the request head (the body, if any, stays in the stream). */
  private static byte[] readHead(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream(1024);
    int matched = 0;
    int b;
    while (matched < 4 && (b = in.read()) != -1) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static byte[] withConnectionClose(byte[] head) {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\r\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if (!line.regionMatches(true, 0, "Connection:", 0, 11)) {
        out.append(line).append("\r\n");
      }
    }
    out.append("Connection: close\r\n\r\n");
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0); // RST instead of FIN: "connection reset by peer"
    socket.close();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
