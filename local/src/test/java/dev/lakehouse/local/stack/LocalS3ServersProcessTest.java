package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.s3.LocalS3Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: two child JVMs ({@link S3ServerClientMain}) race to get the S3 server of one
 * home. They must share one S3Mock, the server must outlive the process that started it while the
 * other still runs, and the last one out must stop it even though it did not start it.
 */
class LocalS3ServersProcessTest {
  private static final Pattern READY = Pattern.compile("port=(\\d+) pid=(\\d+)");

  @TempDir Path dir;

  private final List<Process> children = new ArrayList<>();
  private Path store;

  @AfterEach
  void killLeftovers() {
    children.forEach(Process::destroyForcibly);
    if (store != null) {
      s3Mocks(store).forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void racingProcessesShareOneServerAndTheLastOneOutStopsIt() throws Exception {
    LakehouseHome home = LakehouseHome.open(dir.resolve("home"));
    store = home.s3Store();
    Path argFile = dir.resolve("java.args");
    // The test classpath can exceed the kernel's limit for one command-line argument; an @argfile
    // has no limit.
    Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path") + "\"\n");
    // Both children get the server at the same instant, after their JVMs have started.
    long startAt = System.currentTimeMillis() + 6_000;
    for (int i = 0; i < 2; i++) {
      children.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "@" + argFile,
                  "-Dlakehouse.root=" + ProjectFiles.locate().root(),
                  S3ServerClientMain.class.getName(),
                  home.root().toString(),
                  Long.toString(startAt))
              .redirectError(dir.resolve("child-" + i + ".err").toFile())
              .start());
    }
    List<CompletableFuture<String>> readyLines =
        children.stream().map(p -> CompletableFuture.supplyAsync(() -> firstLine(p))).toList();
    List<Matcher> ready = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String line = readyLines.get(i).get(150, TimeUnit.SECONDS);
      Matcher m = READY.matcher(String.valueOf(line));
      assertThat(m.matches()).as("child %d said %s; stderr: %s", i, line, stderr(i)).isTrue();
      ready.add(m);
    }

    int port = Integer.parseInt(ready.get(0).group(1));
    assertThat(Integer.parseInt(ready.get(1).group(1))).isEqualTo(port);
    List<ProcessHandle> servers = s3Mocks(store);
    assertThat(servers).hasSize(1);
    ProcessHandle server = servers.get(0);
    List<String> state = Files.readAllLines(home.s3StateFile());
    assertThat(state).containsExactly(Integer.toString(port), Long.toString(server.pid()));
    assertThat(clients(home))
        .containsExactlyInAnyOrder(children.get(0).pid(), children.get(1).pid());

    // The child that started S3Mock leaves first, so the other must stop a server it did not start.
    long starterPid = server.parent().map(ProcessHandle::pid).orElseThrow();
    int first = children.get(0).pid() == starterPid ? 0 : 1;
    assertThat(children.get(first).pid()).isEqualTo(starterPid);
    int second = 1 - first;

    exit(first);
    assertThat(server.isAlive()).isTrue();
    assertThat(LocalS3Server.attach(home.s3StateFile()).map(LocalS3Server::port)).contains(port);
    assertThat(clients(home)).containsExactly(children.get(second).pid());

    exit(second);
    assertThat(home.s3StateFile()).doesNotExist();
    assertThat(clients(home)).isEmpty();
    assertThat(s3Mocks(store)).isEmpty();
    assertThat(server.onExit().get(15, TimeUnit.SECONDS).isAlive()).isFalse();
  }

  private void exit(int child) throws Exception {
    Process p = children.get(child);
    try (Writer in = p.outputWriter()) {
      in.write("exit\n");
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child %d exited", child).isTrue();
    assertThat(p.exitValue()).as("child %d exit code; stderr: %s", child, stderr(child)).isZero();
  }

  private String stderr(int child) {
    try {
      return Files.readString(dir.resolve("child-" + child + ".err"));
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String firstLine(Process p) {
    try {
      return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every live S3Mock serving this store, whoever started it. */
  private static List<ProcessHandle> s3Mocks(Path store) {
    String storeArg = "s3mock.store.root=" + store.toAbsolutePath();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine().map(c -> c.contains(storeArg)).orElse(false))
          .toList();
    }
  }

  private static List<Long> clients(LakehouseHome home) throws Exception {
    if (!Files.isDirectory(home.s3Clients())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(home.s3Clients())) {
      return files.map(f -> Long.parseLong(f.getFileName().toString())).toList();
    }
  }
}
