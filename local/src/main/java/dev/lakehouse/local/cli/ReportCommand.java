package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.local.report.Report;
import dev.lakehouse.local.report.ReportBuilder;
import dev.lakehouse.local.report.ReportHtml;
import dev.lakehouse.local.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "report",
    description = {
      "One self-contained HTML file about executions: each one's state timeline (retries and the failed",
      "state marked), rows in/written/rejected per step, quarantine reasons with counts and the snapshots",
      "of every table it touched, linked together. Prints the file's path."
    })
final class ReportCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  @ParentCommand LakehouseCli cli;

  @Parameters(
      paramLabel = "EXECUTION",
      arity = "0..*",
      description = "Execution ARNs or names (see 'lakehouse executions'); default: the newest.")
  List<String> ids = new ArrayList<>();

  @Option(names = "--last", paramLabel = "N", description = "The N newest executions instead.")
  Integer last;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write it (default <home>/reports/report-<UTC time>.html).")
  Path out;

  @Override
  public Integer call() {
    if (last != null && !ids.isEmpty()) {
      throw new IllegalArgumentException("give execution ids or --last N, not both");
    }
    if (last != null && last < 1) {
      throw new IllegalArgumentException("--last must be at least 1, was " + last);
    }
    LocalStack stack = cli.stack();
    List<Execution> chosen = new ArrayList<>();
    if (ids.isEmpty()) {
      List<Execution> all =
          stack.runner().list().stream()
              .sorted(Comparator.comparing(Execution::startTime).reversed())
              .limit(last == null ? 1 : last)
              .toList();
      if (all.isEmpty()) {
        throw new IllegalArgumentException(
            "no executions in this home yet; run 'lakehouse ingest FILE' or 'lakehouse demo' first");
      }
      chosen.addAll(all);
      chosen.sort(Comparator.comparing(Execution::startTime));
    } else {
      ids.forEach(id -> chosen.add(ExecutionCommand.find(cli, id)));
    }
    Path file = write(stack, chosen, out);
    cli.spec.commandLine().getOut().println(file);
    return 0;
  }

  /**
   * Writes the report of these executions to {@code target}, or under the home's {@code reports/}
   * when null; answers the file.
   */
  static Path write(LocalStack stack, List<Execution> executions, Path target) {
    Instant now = Instant.now();
    Report report =
        new ReportBuilder(
                stack.lakehouse().catalog(),
                new dev.lakehouse.core.admin.TableAdmin(
                        stack.lakehouse().catalog(),
                        stack.lakehouse().settings(),
                        java.time.Clock.systemUTC())
                    .inspect())
            .build(stack.home().root().toString(), now, executions);
    Path file =
        target != null
            ? target
            : stack
                .home()
                .root()
                .resolve("reports")
                .resolve("report-" + STAMP.format(now) + ".html");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, ReportHtml.render(report), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the report to " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
