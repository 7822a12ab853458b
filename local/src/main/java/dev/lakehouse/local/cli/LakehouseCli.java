package dev.lakehouse.local.cli;

import dev.lakehouse.core.admin.TableAdmin;
import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.LocalLakehouse;
import dev.lakehouse.local.stack.LocalStack;
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
    description =
        "Serverless Iceberg lakehouse, run locally: the same tables, jobs and state machine as on AWS.",
    subcommands = {
      InitCommand.class,
      TablesCommand.class,
      DescribeCommand.class,
      HistoryCommand.class,
      DiffCommand.class,
      RollbackCommand.class,
      TagCommand.class,
      EvolveCommand.class,
      GenerateCommand.class,
      SqlCommand.class,
      TrinoCommand.class,
      IngestCommand.class,
      FetchApiCommand.class,
      ExtractJdbcCommand.class,
      RunCommand.class,
      ExecutionsCommand.class,
      ExecutionCommand.class,
      RedriveCommand.class,
      ReportCommand.class,
      ServeCommand.class,
      PublishCommand.class,
      StreamCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LakehouseCli implements Callable<Integer> {
  /** Exit code for bad input: unknown table, bad option, unusable home. */
  public static final int EXIT_USAGE = 2;

  /** Exit code for a failure while working (a job or execution failed). */
  public static final int EXIT_FAILED = 1;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "Lakehouse home: catalog, warehouse, landing area, run logs (env LAKEHOUSE_HOME, default ./.lakehouse).")
  Path home;

  @Option(
      names = "--storage",
      paramLabel = "s3|file",
      description =
          "Where a NEW home keeps table files: on the local S3-compatible server like AWS (s3, default) or in "
              + "a directory (file: faster, no pipeline). An existing home keeps its storage.")
  String storage;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Show where long work is on stderr: each state as it starts ([5/10] Bronze), rows read and "
              + "written per second by its Spark jobs (default: on when run in a terminal).")
  Boolean progress;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private LocalLakehouse lakehouse;
  private LocalStack stack;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The local stack for the chosen home, opened on first use and closed when the command ends. */
  LocalLakehouse lakehouse() {
    if (lakehouse == null) {
      LakehouseHome opened = openHome();
      if (opened.storage(requestedStorage()) == LakehouseHome.Storage.FILE) {
        lakehouse = new LocalLakehouse(opened, opened.fileCatalogSettings());
      } else {
        lakehouse = stack().lakehouse();
      }
    }
    return lakehouse;
  }

  /**
   * The table services (history, diff, rollback, tags) the table-admin Lambda runs, on this home's
   * catalog.
   */
  TableAdmin admin() {
    return new TableAdmin(
        lakehouse().catalog(), lakehouse().settings(), java.time.Clock.systemUTC());
  }

  /**
   * A command's ingest batches: what it dropped is claimed at once, with no batch window to wait
   * out.
   */
  static final BatchSettings COMMAND_BATCHES = BatchSettings.defaults().withWindowSeconds(0);

  /** The whole local pipeline (S3 server, catalog, handlers, jobs, state machines) for the home. */
  LocalStack stack() {
    return stack(COMMAND_BATCHES);
  }

  /**
   * The stack of a command whose executions run Spark jobs (demo, ingest, run, redrive, serve):
   * Spark starts on a background thread while the S3 server and the catalog do, so the two
   * start-ups overlap instead of following each other (see {@link
   * dev.lakehouse.jobs.LakehouseSpark#startInBackground}).
   */
  LocalStack stackForJobs(BatchSettings batches) {
    if (stack == null) {
      dev.lakehouse.jobs.LakehouseSpark.startInBackground();
    }
    return stack(batches);
  }

  LocalStack stackForJobs() {
    return stackForJobs(COMMAND_BATCHES);
  }

  /**
   * The stack, its ingest batches taking at most {@code batches.maxObjects()} objects each (the
   * first call decides).
   */
  LocalStack stack(BatchSettings batches) {
    if (stack == null) {
      stack = LocalStack.builder(s3Home()).batches(batches).progress(progress()).build();
    }
    return stack;
  }

  /** Progress lines on stderr when asked, or by default when a person watches a terminal. */
  dev.lakehouse.local.stack.Progress progress() {
    boolean on = progress != null ? progress : System.console() != null;
    return on
        ? dev.lakehouse.local.stack.Progress.to(spec.commandLine().getErr())
        : dev.lakehouse.local.stack.Progress.OFF;
  }

  /**
   * The chosen home, which must keep its tables on the local S3 server (the pipeline and Trino read
   * them there).
   */
  LakehouseHome s3Home() {
    LakehouseHome opened = openHome();
    if (opened.storage(requestedStorage()) != LakehouseHome.Storage.S3) {
      throw new LakehouseHome.HomeException(
          "lakehouse home "
              + opened.root()
              + " uses --storage file; the pipeline "
              + "and Trino need the local S3 server (use a home created with --storage s3, the default)");
    }
    return opened;
  }

  LakehouseHome openHome() {
    Path dir =
        home != null
            ? home
            : Path.of(System.getenv().getOrDefault(LakehouseHome.ENV, LakehouseHome.DEFAULT));
    return LakehouseHome.open(dir);
  }

  private LakehouseHome.Storage requestedStorage() {
    if (storage == null) {
      return null;
    }
    try {
      return LakehouseHome.Storage.valueOf(storage.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--storage must be s3 or file, was '" + storage + "'");
    }
  }

  void closeLakehouse() throws Exception {
    if (stack != null) {
      stack.close();
    } else if (lakehouse != null) {
      lakehouse.close();
    }
  }

  /** Set (to anything) to print the stack trace under the one-line error, for bug reports. */
  static final String DEBUG_ENV = "LAKEHOUSE_DEBUG";

  public static void main(String[] args) {
    dev.lakehouse.local.StartupProfile.mark("CLI main (JVM started)");
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code (tests call this directly). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    LakehouseCli root = new LakehouseCli();
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("lakehouse: " + ex.getMessage());
          err.println(
              "Try 'lakehouse "
                  + (ex.getCommandLine().getCommandName().equals("lakehouse")
                      ? ""
                      : ex.getCommandLine().getCommandName() + " ")
                  + "--help' for usage.");
          return EXIT_USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          err.println("lakehouse: " + CliErrors.describe(ex));
          if (System.getenv(DEBUG_ENV) != null) {
            ex.printStackTrace(err);
          }
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
