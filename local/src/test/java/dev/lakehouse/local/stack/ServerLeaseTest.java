package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference count alone, with simulated client pids: no JVMs or servers are started. */
class ServerLeaseTest {
  @TempDir Path home;

  private final Set<Long> live = new HashSet<>();
  private final AtomicInteger stops = new AtomicInteger();

  private ServerLease lease(long pid) {
    return new ServerLease(
        home.resolve("s3.lock"),
        home.resolve("s3.clients"),
        pid,
        live::contains,
        stops::incrementAndGet);
  }

  @Test
  void anotherLiveClientKeepsTheServerRunning() {
    live.add(200L);
    lease(200).register();
    ServerLease leaving = lease(100);
    leaving.register();

    assertThat(leaving.release()).isFalse();
    assertThat(stops).hasValue(0);
    assertThat(leaving.registered()).containsExactly(200L);
  }

  @Test
  void onlyDeadClientsLeftStopsTheServerAndDiscardsTheirRegistrations() throws Exception {
    lease(201).register();
    lease(202).register();
    ServerLease leaving = lease(100);
    leaving.register();

    assertThat(leaving.release()).isTrue();
    assertThat(stops).hasValue(1);
    assertThat(leaving.registered()).isEmpty();
    try (var files = Files.list(home.resolve("s3.clients"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void registeringTwiceIsOneRegistration() {
    ServerLease lease = lease(100);
    lease.register();
    lease.register();
    assertThat(lease.registered()).containsExactly(100L);

    assertThat(lease.release()).isTrue();
    assertThat(stops).hasValue(1);
    assertThat(lease.registered()).isEmpty();
  }

  @Test
  void theLastClientOutStopsTheServerEvenIfAnotherStartedIt() {
    live.add(100L);
    live.add(200L);
    assertThat(lease(100).acquire(() -> "started")).isEqualTo("started");
    assertThat(lease(200).acquire(() -> "attached")).isEqualTo("attached");

    assertThat(lease(100).release()).isFalse();
    live.remove(100L);
    assertThat(stops).hasValue(0);

    assertThat(lease(200).release()).isTrue();
    assertThat(stops).hasValue(1);
  }

  @Test
  void aFailedStartRegistersNothing() {
    ServerLease lease = lease(100);
    assertThatThrownBy(
            () ->
                lease.acquire(
                    () -> {
                      throw new IllegalStateException("S3Mock exited with 1");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("S3Mock exited with 1");
    assertThat(lease.registered()).isEmpty();
  }

  @Test
  void filesThatAreNotPidsAreLeftAlone() throws Exception {
    Files.createDirectories(home.resolve("s3.clients"));
    Files.writeString(home.resolve("s3.clients/README"), "x");
    ServerLease lease = lease(100);
    lease.register();

    assertThat(lease.registered()).containsExactly(100L);
    assertThat(lease.release()).isTrue();
    assertThat(home.resolve("s3.clients/README")).exists();
  }
}
