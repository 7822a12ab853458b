package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.s3.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In one process, a home's S3 server lives while a stack uses it and stops once the last one is
 * done (after the idle delay), instead of running until the JVM exits: a test suite opening a home
 * per test must not keep a server per home. A user arriving within the delay keeps the same server.
 */
class LocalS3ServersIdleStopTest {
  @TempDir Path dir;

  private Path store;

  @AfterEach
  void restoreAndKillLeftovers() {
    System.clearProperty(LocalS3Servers.IDLE_STOP_PROPERTY);
    if (store != null) {
      s3Mocks(store).forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theServerStopsOnceItsLastUserIsDoneAndNotBefore() throws Exception {
    System.setProperty(LocalS3Servers.IDLE_STOP_PROPERTY, "1");
    LakehouseHome home = LakehouseHome.open(dir.resolve("home"));
    store = home.s3Store();
    ProjectFiles files = ProjectFiles.locate();

    LocalS3Server first = LocalS3Servers.forHome(home, files);
    LocalS3Server second = LocalS3Servers.forHome(home, files);
    assertThat(second.endpoint()).isEqualTo(first.endpoint());
    LocalS3Servers.release(home);
    Thread.sleep(2_500); // beyond the idle delay: one user is left, so nothing stops
    assertThat(LocalS3Server.answers(first.endpoint())).as("still used").isTrue();

    LocalS3Servers.release(home);
    LocalS3Server within = LocalS3Servers.forHome(home, files); // back before the delay ran out
    assertThat(within.endpoint()).isEqualTo(first.endpoint());
    Thread.sleep(2_500);
    assertThat(LocalS3Server.answers(first.endpoint())).as("a user came back in time").isTrue();

    LocalS3Servers.release(home);
    awaitStopped(home, first.endpoint());
    assertThat(s3Mocks(store)).isEmpty();

    LocalS3Server next = LocalS3Servers.forHome(home, files);
    assertThat(LocalS3Server.answers(next.endpoint())).as("a new user starts it again").isTrue();
    LocalS3Servers.release(home);
    awaitStopped(home, next.endpoint());
  }

  private static void awaitStopped(LakehouseHome home, String endpoint)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline
        && (LocalS3Server.answers(endpoint) || Files.exists(home.s3StateFile()))) {
      Thread.sleep(200);
    }
    assertThat(LocalS3Server.answers(endpoint)).as("stopped").isFalse();
    assertThat(home.s3StateFile()).doesNotExist();
  }

  private static List<ProcessHandle> s3Mocks(Path store) {
    String storeArg = "s3mock.store.root=" + store.toAbsolutePath();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine().map(c -> c.contains(storeArg)).orElse(false))
          .toList();
    }
  }
}
