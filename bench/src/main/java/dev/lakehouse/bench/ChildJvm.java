package dev.lakehouse.bench;

import dev.lakehouse.local.stack.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM on the project's classes, started the way ./lakehouse starts the CLI: the JVM flags
 * of config/jvm.options, the modules' target/classes and the dependency class path the build wrote
 * (bench/target/bench.classpath). For what must be measured cold or alone: a CLI command, a job's
 * peak RSS.
 */
final class ChildJvm {
  private static final List<String> MODULES =
      List.of("core", "local-s3", "glue-jobs", "functions", "asl-runner", "local", "bench");

  private final Path root;
  private final String classpath;

  ChildJvm(ProjectFiles files) {
    this.root = files.root();
    Path dependencies = root.resolve("bench/target/bench.classpath");
    try {
      StringBuilder cp = new StringBuilder();
      for (String module : MODULES) {
        cp.append(root.resolve(module).resolve("target/classes")).append(':');
      }
      this.classpath = cp.append(Files.readString(dependencies).trim()).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read "
              + dependencies
              + " (written by the bench module's build: run "
              + "bench/run, or mvn -pl bench -am process-classes)",
          e);
    }
  }

  /**
   * What a child printed, how long it ran (start of the JVM to its exit) and its peak resident set
   * as sampled from {@code /proc/PID/status} (VmHWM, the kernel's high-water mark), which survives
   * a child killed by the heap cap.
   */
  record Result(int exitCode, String output, double seconds, long peakRssKb) {}

  Result run(String heap, String mainClass, List<String> args, Path log) {
    return run(List.of(), heap, mainClass, args, log);
  }

  /**
   * {@code lakehouse sql} as ./lakehouse starts it: with config/sql-jvm.options after the common
   * flags.
   */
  Result sql(String heap, List<String> args, Path log) {
    return run(
        List.of("@" + root.resolve("config/sql-jvm.options")),
        heap,
        "dev.lakehouse.local.cli.LakehouseCli",
        args,
        log);
  }

  private Result run(
      List<String> options, String heap, String mainClass, List<String> args, Path log) {
    List<String> command =
        new ArrayList<>(List.of(java(), "@" + root.resolve("config/jvm.options")));
    command.addAll(options);
    command.addAll(List.of("-Dlakehouse.root=" + root, "-Xmx" + heap, "-cp", classpath, mainClass));
    command.addAll(args);
    return run(command, Map.of(), log);
  }

  /** The java launcher of the JVM running the harness. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Any command (a JVM with another class path, the ./lakehouse script) with these variables added
   * to the harness's environment, its output to {@code log}; its peak RSS sampled as above.
   */
  static Result run(List<String> command, Map<String, String> env, Path log) {
    String what =
        String.join(" ", command.subList(Math.max(0, command.size() - 3), command.size()));
    try {
      Files.createDirectories(log.getParent());
      long start = System.nanoTime();
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      Path status = Path.of("/proc", Long.toString(process.pid()), "status");
      long peakKb = 0;
      long deadline = start + TimeUnit.HOURS.toNanos(2);
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        peakKb = Math.max(peakKb, vmHwmKb(status));
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException(what + " did not finish in 2 hours; its output: " + log);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(process.exitValue(), Files.readString(log), seconds, peakKb);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what + " ran", e);
    }
  }

  /** VmHWM of a process's status file, 0 once the process is gone. */
  static long vmHwmKb(Path status) {
    try {
      return Files.readAllLines(status).stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElse(0L);
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }
}
