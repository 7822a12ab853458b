package dev.lakehouse.local.cli;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.LocalLakehouse;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lakehouse}: the local lakehouse from the command line. */
@Command(
    name = "lakehouse",
    mixinStandardHelpOptions = true,
    version = "lakehouse 0.1.0",
    description = "Serverless Iceberg lakehouse, run locally: the same tables, jobs and state machine as on AWS.",
    subcommands = {
      InitCommand.class,
      TablesCommand.class,
      DescribeCommand.class,
      GenerateCommand.class,
      SqlCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LakehouseCli implements Callable<Integer> {
  /** Exit code for bad input: unknown table, bad option, unusable home. */
  public static final int EXIT_USAGE = 2;
  /** Exit code for a failure while working (a job or execution failed). */
  public static final int EXIT_FAILED = 1;

  @Option(names = "--home", paramLabel = "DIR",
      description = "Lakehouse home: catalog, warehouse, landing area, run logs (env LAKEHOUSE_HOME, default ./.lakehouse).")
  Path home;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private LocalLakehouse lakehouse;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The local stack for the chosen home, opened on first use and closed when the command ends. */
  LocalLakehouse lakehouse() {
    if (lakehouse == null) {
      Path dir = home != null ? home
          : Path.of(System.getenv().getOrDefault(LakehouseHome.ENV, LakehouseHome.DEFAULT));
      lakehouse = new LocalLakehouse(LakehouseHome.open(dir));
    }
    return lakehouse;
  }

  void closeLakehouse() throws Exception {
    if (lakehouse != null) {
      lakehouse.close();
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code (tests call this directly). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    LakehouseCli root = new LakehouseCli();
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("lakehouse: " + ex.getMessage());
      err.println("Try 'lakehouse " + (ex.getCommandLine().getCommandName().equals("lakehouse") ? ""
          : ex.getCommandLine().getCommandName() + " ") + "--help' for usage.");
      return EXIT_USAGE;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      err.println("lakehouse: " + CliErrors.describe(ex));
      return CliErrors.exitCode(ex);
    });
    try {
      return cli.execute(args);
    } finally {
      try {
        root.closeLakehouse();
      } catch (Exception ignored) {
        // closing a catalog never changes the outcome of the command
      }
      out.flush();
      err.flush();
    }
  }
}
