package dev.lakehouse.bench;

import dev.lakehouse.local.stack.ProjectFiles;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run}: the benchmark harness of issue 14. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure the pipeline side by side (interleaved A/B) and write docs/benchmarks.md and "
            + "bench-results.json.")
public final class Bench implements Callable<Integer> {
  @Option(
      names = "--scale",
      split = ",",
      defaultValue = "SF1",
      description =
          "Scale factors, comma-separated: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  List<Scale> scales;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      description = "Runs per measurement (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--out",
      description =
          "Where bench-results.json and docs/benchmarks.md go (default: the " + "repository root).")
  Path out;

  @Option(
      names = "--work",
      description = "Scratch directory for data and homes (default: OUT/target/bench-work).")
  Path work;

  @Option(
      names = "--small-ingests",
      defaultValue = "4",
      description =
          "Small ingests in each half of the compaction scenario (d) (default ${DEFAULT-VALUE}).")
  int smallIngests;

  @Option(
      names = "--skip-burst",
      description =
          "Skip the issue-13 burst: 200 files of 25 orders ingested as batches "
              + "against the same orders as one file.")
  boolean skipBurst;

  @Option(
      names = "--quick",
      description =
          "The smoke form (CI): the stack's home is not preloaded with the "
              + "scale's orders before the timed executions.")
  boolean quick;

  /**
   * What a run measures: the per-scale scenarios, the Lambda cold starts, the README's demo, and
   * the scales' cold CLI row (f) alone, on its own home (only when asked: the scales measure it).
   */
  enum Part {
    SCALES,
    LAMBDA,
    DEMO,
    CLI
  }

  static final Set<Part> DEFAULT_PARTS = EnumSet.of(Part.SCALES, Part.LAMBDA, Part.DEMO);

  @Option(
      names = "--only",
      split = ",",
      description =
          "Measure only these parts: ${COMPLETION-CANDIDATES} (default: scales, lambda, demo; cli "
              + "is the cold CLI row of the first --scale alone). The report keeps what an earlier "
              + "run measured for the other parts.")
  Set<Part> only;

  @Option(
      names = "--note",
      description = "A note for docs/benchmarks.md, e.g. what else ran on the machine.")
  String note;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (ex, line, parsed) -> {
          System.err.println("bench: " + ex.getMessage());
          ex.printStackTrace();
          return 1;
        });
    // Spark and the S3 server keep non-daemon threads: leave explicitly.
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() {
    if (repeats < 1 || smallIngests < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--repeats and --small-ingests must be at least 1");
    }
    Path root = out != null ? out : ProjectFiles.locate().root();
    Path scratch = work != null ? work : root.resolve("target/bench-work");
    Set<Part> parts = only == null || only.isEmpty() ? DEFAULT_PARTS : only;
    run(parts, scales, repeats, smallIngests, !skipBurst, quick, note, root, scratch);
    return 0;
  }

  /** Runs every scale and writes the two reports; returns the report (tests read its keys). */
  static Report run(
      Set<Part> parts,
      List<Scale> scales,
      int repeats,
      int smallIngests,
      boolean burst,
      boolean quick,
      String note,
      Path out,
      Path work) {
    // The cold CLI must find the home's S3 server stopped: the harness's own stacks stop theirs
    // when they close.
    System.setProperty("lakehouse.s3.idleStopSeconds", "0");
    Report report = new Report(Report.Machine.current(), repeats, quick, note);
    Path json = out.resolve("bench-results.json");
    if (!parts.containsAll(DEFAULT_PARTS) || parts.contains(Part.CLI)) {
      Set<String> remeasured = new java.util.HashSet<>();
      if (parts.contains(Part.SCALES)) {
        scales.forEach(s -> remeasured.add(s.name()));
      }
      if (parts.contains(Part.LAMBDA)) {
        remeasured.add(Report.LAMBDA);
      }
      if (parts.contains(Part.DEMO)) {
        remeasured.add(Report.DEMO);
      }
      if (parts.contains(Part.CLI)) {
        remeasured.add(Report.CLI);
      }
      report.keepFrom(json, remeasured);
    }
    if (parts.contains(Part.CLI)) {
      new Harness(work, repeats, smallIngests, burst, quick, report).coldCliAlone(scales.get(0));
    }
    if (parts.contains(Part.SCALES)) {
      Harness harness = new Harness(work, repeats, smallIngests, burst, quick, report);
      for (Scale scale : scales) {
        harness.run(scale);
      }
    }
    Path root = ProjectFiles.locate().root();
    if (parts.contains(Part.LAMBDA)) {
      new LambdaInit(root, work.resolve("lambda"), repeats, report).run();
    }
    if (parts.contains(Part.DEMO)) {
      new Demo(root, work.resolve("demo"), repeats, report).run();
    }
    report.write(json, out.resolve("docs/benchmarks.md"));
    System.out.println(
        "bench: wrote "
            + out.resolve("bench-results.json")
            + " and "
            + out.resolve("docs/benchmarks.md"));
    return report;
  }
}
