package dev.lakehouse.local.cli;

import dev.lakehouse.core.admin.SnapshotCounts;
import dev.lakehouse.core.admin.SnapshotList;
import dev.lakehouse.core.tables.CommitSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "history",
    description =
        "Snapshots of a table, oldest first: operation, rows added and deleted, rows "
            + "live after it, the execution and source object that wrote it, the current one marked.")
final class HistoryCommand implements Callable<Integer> {
  static final List<String> COLUMNS =
      List.of(
          "snapshot_id",
          "committed_at",
          "operation",
          "added_records",
          "deleted_records",
          "live_records",
          "execution_id",
          "source",
          "current");

  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "TABLE", description = "Table name, e.g. curated_orders.")
  String table;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default ${DEFAULT-VALUE}).")
  Output.Format format;

  @Override
  public Integer call() {
    SnapshotList snapshots = cli.admin().inspect().snapshots(table);
    List<List<Object>> rows = new ArrayList<>();
    for (SnapshotList.Entry s : snapshots.snapshots()) {
      List<Object> row = new ArrayList<>();
      row.add(s.snapshotId());
      row.add(s.committedAt().toString());
      row.add(s.operation());
      row.add(count(s.summary().get("added-records")));
      // Rows a commit removed: whole rows rewritten away, plus merge-on-read position deletes.
      row.add(
          sum(
              count(s.summary().get("deleted-records")),
              count(s.summary().get("added-position-deletes"))));
      row.add(SnapshotCounts.liveRecords(s.summary()));
      row.add(s.summary().get(CommitSummary.EXECUTION_ID));
      row.add(s.summary().get(CommitSummary.SOURCE_FILE));
      row.add(s.isCurrent());
      rows.add(row);
    }
    Output.rows(cli.spec.commandLine().getOut(), format, COLUMNS, rows);
    return 0;
  }

  private static Long sum(Long a, Long b) {
    return a == null && b == null ? null : (a == null ? 0 : a) + (b == null ? 0 : b);
  }

  private static Long count(String value) {
    return value == null ? null : Long.parseLong(value);
  }
}
