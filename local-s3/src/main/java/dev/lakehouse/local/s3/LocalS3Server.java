package dev.lakehouse.local.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server on localhost: Adobe S3Mock's standalone jar (from Maven Central) run as a
 * child process on free ports. The local stack keeps its objects under the lakehouse home and
 * records the port in a state file so later CLI processes attach to the running server instead of
 * starting another; tests start a throwaway one. Measured here: ready in 3-6 s, ~450 MB RSS; it
 * serves every call S3FileIO and the router make, batch deletes too.
 */
public final class LocalS3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "lakehouse-local";
  public static final String SECRET_KEY = "lakehouse-local-secret";
  public static final String REGION = "us-east-1";

  private final Process process;
  private final int port;
  private final double startSeconds;
  private final Path stateFile;
  private final List<String> command;

  private LocalS3Server(
      Process process, int port, double startSeconds, Path stateFile, List<String> command) {
    this.process = process;
    this.port = port;
    this.startSeconds = startSeconds;
    this.stateFile = stateFile;
    this.command = List.copyOf(command);
  }

  /**
   * Starts a server.
   *
   * @param jar S3Mock's {@code -exec.jar}
   * @param storeRoot where objects live
   * @param retainFiles keep the objects when the server stops (the local stack) or not (tests)
   * @param stateFile if not null, the port is written there so other processes can {@link #attach}
   *     to it
   */
  public static LocalS3Server start(Path jar, Path storeRoot, boolean retainFiles, Path stateFile) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Mock jar not found at " + jar + " (the Maven build copies it there)");
    }
    try {
      Files.createDirectories(storeRoot);
      int http = freePort();
      int https = freePort();
      Path log = storeRoot.resolveSibling(storeRoot.getFileName() + ".log");
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // Small heap, C1 only and serial GC: S3Mock is I/O bound and this machine has two cores.
      List<String> cmd = new ArrayList<>();
      // Its own session, so a Ctrl-C in the terminal of the process that started it does not stop a
      // server other
      // processes of the home still use (setsid execs in place: the pid stays the server's).
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        cmd.add("/usr/bin/setsid");
      }
      List<String> flags = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
      cmd.add(javaBin);
      cmd.addAll(flags);
      cmd.addAll(S3MockLaunch.jarArgs(javaBin, flags, jar));
      cmd.addAll(
          List.of(
              "--http.port=" + http,
              "--server.port=" + https,
              "--com.adobe.testing.s3mock.store.root=" + storeRoot.toAbsolutePath(),
              "--com.adobe.testing.s3mock.store.retain-files-on-exit=" + retainFiles,
              // Clients use the plain HTTP port: setting up TLS for the other one cost a second.
              "--server.ssl.enabled=false",
              "--spring.main.banner-mode=off"));
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      URI probe = URI.create("http://127.0.0.1:" + http + "/");
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!ready(probe)) {
        if (!p.isAlive()) {
          throw new IllegalStateException("S3Mock exited with " + p.exitValue() + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "S3Mock did not answer on " + probe + " within 90 s; see " + log);
        }
        Thread.sleep(100);
      }
      if (stateFile != null) {
        Files.writeString(stateFile, http + "\n" + p.pid() + "\n", StandardCharsets.UTF_8);
      }
      return new LocalS3Server(p, http, (System.nanoTime() - t0) / 1e9, stateFile, cmd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A server another process started and recorded in {@code stateFile}, if it still answers. */
  public static Optional<LocalS3Server> attach(Path stateFile) {
    try {
      if (!Files.isRegularFile(stateFile)) {
        return Optional.empty();
      }
      int port = Integer.parseInt(Files.readAllLines(stateFile).get(0).trim());
      return ready(URI.create("http://127.0.0.1:" + port + "/"))
          ? Optional.of(new LocalS3Server(null, port, 0, null, List.of()))
          : Optional.empty();
    } catch (IOException | RuntimeException stale) {
      return Optional.empty();
    }
  }

  /** Whether an S3 endpoint (this server's, or a proxy in front of it) answers a request now. */
  public static boolean answers(String endpoint) {
    return ready(URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/"));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The command line this process started the server with (empty when attached). */
  public List<String> command() {
    return command;
  }

  /** Seconds from process start to the first answered request (0 when attached). */
  public double startSeconds() {
    return startSeconds;
  }

  public S3Client client() {
    return client(endpoint());
  }

  /** A client for a local S3 endpoint: this server's, or a proxy in front of it. */
  public static S3Client client(String endpoint) {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(endpoint))
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /** Creates a bucket if it does not exist yet. */
  public void bucket(String name) {
    try (S3Client s3 = client()) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(name))) {
        s3.createBucket(b -> b.bucket(name));
      }
    }
  }

  /** Stops the server if this process started it; an attached server is left running. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(stopGrace(process.toHandle()).toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      if (stateFile != null) {
        Files.deleteIfExists(stateFile);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a stale state file is detected by attach() anyway
    }
  }

  /**
   * How long a stopping server may take before it is killed: 10 s, or 2 min while it writes its
   * class-data archive at exit (once per machine; that takes seconds, and a half-written archive is
   * thrown away).
   */
  public static Duration stopGrace(ProcessHandle server) {
    boolean dumping =
        server.info().commandLine().map(c -> c.contains(S3MockLaunch.DUMP_FLAG)).orElse(false);
    return dumping ? Duration.ofMinutes(2) : Duration.ofSeconds(10);
  }

  private static boolean ready(URI uri) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
