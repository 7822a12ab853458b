package dev.lakehouse.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.local.stack.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Mock's start-up aids: the jar extracted once, a class-data archive dumped by the first server
 * when it exits, checked and then used by every later start (never rewritten), and no TLS set up.
 */
class S3MockLaunchTest {
  @TempDir Path dir;

  private Path jar;
  private Path cache;

  @BeforeEach
  void cacheUnderTheTestsDirectory() {
    System.setProperty(S3MockLaunch.CACHE_PROPERTY, dir.resolve("cache").toString());
    jar = ProjectFiles.locate().s3MockJar();
    cache = S3MockLaunch.cacheDir(jar);
  }

  @AfterEach
  void restore() {
    System.clearProperty(S3MockLaunch.CACHE_PROPERTY);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theFirstServerWritesTheArchiveAndLaterOnesUseIt() throws Exception {
    assertThat(cache.getParent()).isEqualTo(dir.resolve("cache").resolve("s3mock"));
    Path app = cache.resolve("app").resolve(jar.getFileName());
    Path archive = cache.resolve(S3MockLaunch.ARCHIVE);

    List<String> first = serveOneObject();
    assertThat(first).contains("-jar", app.toString(), "--server.ssl.enabled=false");
    assertThat(first).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile="));
    String dump = single(first, "-XX:ArchiveClassesAtExit=");
    assertThat(Path.of(dump).getParent()).isEqualTo(cache);
    assertThat(Path.of(dump)).isRegularFile(); // written while the server exited
    assertThat(archive).doesNotExist();

    List<String> second = serveOneObject();
    assertThat(archive).isRegularFile();
    assertThat(second).contains("-XX:SharedArchiveFile=" + archive, "-jar", app.toString());
    assertThat(second).noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
    assertThat(trainings(cache)).isEmpty();

    FileTime written = Files.getLastModifiedTime(archive);
    List<String> third = serveOneObject();
    assertThat(third).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(written);
    assertThat(trainings(cache)).isEmpty();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aBrokenDumpIsNeverUsed() throws Exception {
    Files.createDirectories(cache);
    // What a server killed while dumping leaves: the JVM would crash on it instead of ignoring it.
    Path broken = cache.resolve("training-killed" + S3MockLaunch.TRAINING_SUFFIX);
    Files.write(broken, new byte[4096]);
    Files.setLastModifiedTime(broken, FileTime.fromMillis(System.currentTimeMillis() - 600_000));

    List<String> command = serveOneObject();
    assertThat(broken).doesNotExist();
    assertThat(cache.resolve(S3MockLaunch.ARCHIVE)).doesNotExist();
    assertThat(command).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile="));
    assertThat(single(command, "-XX:ArchiveClassesAtExit=")).endsWith(S3MockLaunch.TRAINING_SUFFIX);
  }

  /** Starts a server, round-trips an object through it, stops it; answers its command line. */
  private List<String> serveOneObject() throws Exception {
    Path store = Files.createTempDirectory(dir, "store");
    try (LocalS3Server server = LocalS3Server.start(jar, store, false, null);
        S3Client s3 = server.client()) {
      server.bucket("probe");
      s3.putObject(b -> b.bucket("probe").key("k"), RequestBody.fromString("v"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("probe").key("k")).asUtf8String())
          .isEqualTo("v");
      return server.command();
    }
  }

  private static String single(List<String> command, String prefix) {
    List<String> values =
        command.stream()
            .filter(a -> a.startsWith(prefix))
            .map(a -> a.substring(prefix.length()))
            .toList();
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private static List<Path> trainings(Path cache) throws Exception {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> f.toString().endsWith(S3MockLaunch.TRAINING_SUFFIX)).toList();
    }
  }
}
