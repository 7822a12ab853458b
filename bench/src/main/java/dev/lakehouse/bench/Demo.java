package dev.lakehouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's main command as the README times it: {@code ./lakehouse --home <fresh home> demo}, a
 * child process from the repository root once the CLI is built, wall clock from the command's start
 * to its exit. Its output is read as it comes, so each {@code ==> step} line is timed too: the
 * per-step picture that goes next to the figure.
 */
final class Demo {
  private static final String STEP = "==> ";

  private final Path root;
  private final Path dir;
  private final int repeats;
  private final Report report;

  Demo(Path root, Path dir, int repeats, Report report) {
    this.root = root;
    this.dir = dir;
    this.repeats = repeats;
    this.report = report;
  }

  /** One run: its seconds, and the seconds from the start to each step's line. */
  record Timed(double seconds, Map<String, Double> stepStarts, String loadBefore, String after) {}

  void run() {
    // ./lakehouse builds itself when sources changed: pay that untimed, as the README's figure
    // does.
    String lakehouse = root.resolve("lakehouse").toString();
    ChildJvm.Result built =
        ChildJvm.run(List.of(lakehouse, "--help"), Map.of(), dir.resolve("logs/build.log"));
    if (built.exitCode() != 0) {
      throw new IllegalStateException(
          "./lakehouse --help failed: see " + dir.resolve("logs/build.log"));
    }
    Runs seconds = new Runs();
    List<Timed> runs = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      Path home = dir.resolve("home-" + r);
      Harness.deleteRecursively(home);
      Timed timed =
          timed(
              List.of(lakehouse, "--home", home.toString(), "demo"),
              dir.resolve("logs/demo-" + r + ".log"));
      runs.add(timed);
      seconds.add(timed.seconds());
    }
    report.key(Report.DEMO, "demo_seconds", seconds.median());
    Timed last = runs.get(runs.size() - 1);
    report.row(
        new Report.Row(
            Report.DEMO,
            "`./lakehouse --home <fresh home> demo` (child process, CLI built)",
            "seed scale: 1,000 customers, 500 products, 5,000 orders",
            seconds.values(),
            "s",
            null,
            null,
            null,
            Targets.of("demo_seconds").target(),
            "load average before → after each run: "
                + String.join(
                    "; ", runs.stream().map(t -> t.loadBefore() + " → " + t.after()).toList())
                + ". Last run's steps (s from the command's start): "
                + steps(last)));
  }

  private static String steps(Timed timed) {
    List<String> parts = new ArrayList<>();
    List<Map.Entry<String, Double>> entries = new ArrayList<>(timed.stepStarts().entrySet());
    for (int i = 0; i < entries.size(); i++) {
      double end = i + 1 < entries.size() ? entries.get(i + 1).getValue() : timed.seconds();
      String name = entries.get(i).getKey();
      parts.add(
          String.format(
              "%s %.1f",
              name.length() > 40 ? name.substring(0, 40) + "…" : name,
              end - entries.get(i).getValue()));
    }
    String first =
        entries.isEmpty()
            ? ""
            : String.format("JVM and CLI start %.1f; ", entries.get(0).getValue());
    return first + String.join("; ", parts);
  }

  private static Timed timed(List<String> command, Path log) {
    String before = Report.Machine.loadAverage();
    Map<String, Double> steps = new LinkedHashMap<>();
    try {
      Files.createDirectories(log.getParent());
      long start = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (BufferedReader lines =
              new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          double at = (System.nanoTime() - start) / 1e9;
          out.printf("[%7.2f] %s%n", at, line);
          if (line.startsWith(STEP)) {
            steps.putIfAbsent(line.substring(STEP.length()), at);
          }
        }
      }
      int exit = process.waitFor();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (exit != 0) {
        throw new IllegalStateException("the demo failed (exit " + exit + "): see " + log);
      }
      return new Timed(seconds, steps, before, Report.Machine.loadAverage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the demo", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the demo ran", e);
    }
  }
}
