package dev.lakehouse.local.cli;

import dev.lakehouse.core.admin.RolledBack;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "rollback",
    description =
        "Make an earlier snapshot of a table current again (along its current "
            + "history), recorded with who and why in the table and in pipeline_runs.")
final class RollbackCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "TABLE", description = "Table name, e.g. curated_products.")
  String table;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "SNAPSHOT|TIME",
      description = "Snapshot id, or a time (ISO-8601 UTC): the snapshot current then.")
  String to;

  @Option(names = "--reason", required = true, description = "Why (recorded).")
  String reason;

  @Option(names = "--by", description = "Who asks (recorded; default: the user name).")
  String by;

  @Option(
      names = "--recompute-gold",
      description =
          "Roll back a silver table even when gold was computed from a "
              + "snapshot the rollback removes; the next gold run then recomputes every date.")
  boolean recomputeGold;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default ${DEFAULT-VALUE}).")
  Output.Format format;

  @Override
  public Integer call() {
    RolledBack r =
        cli.admin()
            .rollback(table)
            .toSnapshot(DiffCommand.id(to))
            .asOf(DiffCommand.time(to))
            .by(by != null ? by : System.getProperty("user.name"))
            .because(reason)
            .recomputeGold(recomputeGold)
            .execute();
    PrintWriter out = cli.spec.commandLine().getOut();
    if (format == Output.Format.table) {
      out.println(
          r.changed()
              ? r.table()
                  + " rolled back from snapshot "
                  + r.fromSnapshotId()
                  + " to "
                  + r.toSnapshotId()
                  + " by "
                  + r.actor()
                  + " ("
                  + r.reason()
                  + "); recorded as "
                  + r.executionId()
              : r.table()
                  + " is already at snapshot "
                  + r.toSnapshotId()
                  + "; nothing changed (recorded as "
                  + r.executionId()
                  + ")");
      return 0;
    }
    Output.rows(
        out,
        format,
        List.of(
            "table",
            "from_snapshot_id",
            "to_snapshot_id",
            "changed",
            "by",
            "reason",
            "execution_id",
            "at"),
        List.of(
            List.of(
                r.table(),
                r.fromSnapshotId(),
                r.toSnapshotId(),
                r.changed(),
                r.actor(),
                r.reason(),
                r.executionId(),
                r.at().toString())));
    return 0;
  }
}
