package dev.lakehouse.functions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3-compatible server (Adobe S3Mock's standalone jar, copied into target/ by Maven at process-test-resources)
 * per test JVM, started on first use on free ports as a child process and stopped at JVM exit. Buckets are created
 * by the tests that need them.
 */
public final class S3MockServer {
  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key";

  private static S3MockServer instance;

  private final Process process;
  private final int port;
  private final Path root;
  private final double startSeconds;

  private S3MockServer(Process process, int port, Path root, double startSeconds) {
    this.process = process;
    this.port = port;
    this.root = root;
    this.startSeconds = startSeconds;
  }

  public static synchronized S3MockServer get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  private static S3MockServer start() {
    String jar = System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar");
    if (!Files.isRegularFile(Paths.get(jar))) {
      throw new IllegalStateException("S3Mock jar not found at " + jar + "; run the tests through Maven "
          + "(process-test-resources copies it)");
    }
    try {
      int http = freePort();
      int https = freePort();
      Path root = Files.createTempDirectory("s3mock-store");
      Path log = Paths.get(jar).getParent().resolve("s3mock.log");
      String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-Xshare:auto", "-jar", jar,
          "--http.port=" + http, "--server.port=" + https,
          "--com.adobe.testing.s3mock.store.root=" + root,
          "--com.adobe.testing.s3mock.store.retain-files-on-exit=false",
          "--spring.main.banner-mode=off"));
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      URI probe = URI.create("http://127.0.0.1:" + http + "/");
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (true) {
        if (!p.isAlive()) {
          throw new IllegalStateException("S3Mock exited with " + p.exitValue() + "; see " + log);
        }
        if (ready(probe)) {
          break;
        }
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("S3Mock did not answer on " + probe + " within 90 s; see " + log);
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("S3Mock ready on port %d after %.1f s%n", http, seconds);
      return new S3MockServer(p, http, root, seconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public double startSeconds() {
    return startSeconds;
  }

  public S3Client client() {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
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

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
