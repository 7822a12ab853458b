package dev.lakehouse.local.cli;

import dev.lakehouse.core.admin.SnapshotTag;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "tag",
    description =
        "Name a snapshot with an Iceberg tag (e.g. a month-end close): snapshot expiry "
            + "keeps it, and queries read it by name (VERSION AS OF 'NAME').")
final class TagCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(
      index = "0",
      paramLabel = "TABLE",
      description = "Table name, e.g. agg_daily_metrics.")
  String table;

  @Parameters(index = "1", paramLabel = "NAME", description = "Tag name, e.g. month-end-2026-11.")
  String name;

  @Option(names = "--snapshot", description = "Snapshot id to tag (default: the current one).")
  Long snapshot;

  @Option(
      names = "--retain",
      paramLabel = "DAYS",
      description =
          "Keep the tagged snapshot this many days after its commit (default: until the tag is dropped).")
  Integer retainDays;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default ${DEFAULT-VALUE}).")
  Output.Format format;

  @Override
  public Integer call() {
    SnapshotTag.Tagged t =
        cli.admin().tag(table).named(name).snapshot(snapshot).retainDays(retainDays).execute();
    PrintWriter out = cli.spec.commandLine().getOut();
    if (format == Output.Format.table) {
      out.println(
          t.table()
              + ": tag '"
              + t.tag()
              + "' on snapshot "
              + t.snapshotId()
              + ", kept "
              + (t.retainDays() == null
                  ? "until dropped"
                  : t.retainDays() + " days after that snapshot's commit"));
      return 0;
    }
    Output.rows(
        out,
        format,
        List.of("table", "tag", "snapshot_id", "retain_days"),
        List.of(Arrays.asList(t.table(), t.tag(), t.snapshotId(), t.retainDays())));
    return 0;
  }
}
