package dev.lakehouse.functions;

import dev.lakehouse.local.s3.LocalS3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3-compatible server per test JVM ({@link LocalS3Server}: S3Mock's standalone jar, copied
 * into target/ by Maven at process-test-resources), started on first use and stopped at JVM exit.
 * Buckets are created by the tests that need them.
 */
public final class S3MockServer {
  public static final String ACCESS_KEY = LocalS3Server.ACCESS_KEY;
  public static final String SECRET_KEY = LocalS3Server.SECRET_KEY;

  private static S3MockServer instance;

  private final LocalS3Server server;

  private S3MockServer(LocalS3Server server) {
    this.server = server;
  }

  public static synchronized S3MockServer get() {
    if (instance == null) {
      try {
        Path jar = Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar"));
        LocalS3Server server =
            LocalS3Server.start(jar, Files.createTempDirectory("s3mock-store"), false, null);
        System.out.printf(
            "S3Mock ready on port %d after %.1f s%n", server.port(), server.startSeconds());
        instance = new S3MockServer(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  public String endpoint() {
    return server.endpoint();
  }

  public double startSeconds() {
    return server.startSeconds();
  }

  public S3Client client() {
    return server.client();
  }

  public void bucket(String name) {
    server.bucket(name);
  }
}
