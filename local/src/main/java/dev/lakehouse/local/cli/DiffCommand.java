package dev.lakehouse.local.cli;

import dev.lakehouse.core.admin.Diff;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "diff",
    description =
        "Rows added, removed and changed between two snapshots of a table, matched by its "
            + "business key, with counts and a sample of each.")
final class DiffCommand implements Callable<Integer> {
  static final List<String> COLUMNS = List.of("change", "key", "columns", "before", "after");

  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "TABLE", description = "Table name, e.g. curated_products.")
  String table;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "SNAPSHOT|TIME",
      description = "Snapshot id, or a time (ISO-8601 UTC): the snapshot current then.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "SNAPSHOT|TIME",
      description = "Snapshot id or time (default: the current one).")
  String to;

  @Option(
      names = "--key",
      split = ",",
      paramLabel = "COLUMN[,COLUMN...]",
      description =
          "Match rows by these columns instead of the table's business key; they must identify a row.")
  List<String> key;

  @Option(
      names = "--sample",
      defaultValue = "10",
      description = "Rows of each kind to show (default ${DEFAULT-VALUE}).")
  int sample;

  @Option(
      names = "--format",
      defaultValue = "table",
      description =
          "table or csv (a row per sampled change), or json (the whole diff) (default ${DEFAULT-VALUE}).")
  Output.Format format;

  @Override
  public Integer call() {
    Diff d =
        cli.admin()
            .diff(table)
            .from(id(from))
            .fromAsOf(time(from))
            .to(id(to))
            .toAsOf(time(to))
            .sample(sample)
            .by(key)
            .execute();
    PrintWriter out = cli.spec.commandLine().getOut();
    if (format == Output.Format.json) {
      Output.json(out, d);
      return 0;
    }
    List<List<Object>> rows = new ArrayList<>();
    d.samples().added().forEach(r -> rows.add(List.of("added", key(d, r), "", "", "")));
    d.samples().removed().forEach(r -> rows.add(List.of("removed", key(d, r), "", "", "")));
    for (Diff.Change c : d.samples().changed()) {
      rows.add(
          List.of(
              "changed",
              values(c.key()),
              String.join(" ", c.changedColumns()),
              values(only(c.before(), c.changedColumns())),
              values(only(c.after(), c.changedColumns()))));
    }
    if (format == Output.Format.table) {
      out.println(
          d.table()
              + " by "
              + String.join(", ", d.keyColumns())
              + ": snapshot "
              + d.fromSnapshotId()
              + " ("
              + d.fromRows()
              + " rows) -> "
              + d.toSnapshotId()
              + " ("
              + d.toRows()
              + " rows): "
              + d.added()
              + " added, "
              + d.removed()
              + " removed, "
              + d.changed()
              + " changed, "
              + d.unchanged()
              + " unchanged");
      if (rows.isEmpty()) {
        return 0;
      }
      out.println();
    }
    Output.rows(out, format, COLUMNS, rows);
    return 0;
  }

  /** A snapshot id, when the argument is all digits. */
  static Long id(String value) {
    return value != null && value.matches("\\d+") ? Long.valueOf(value) : null;
  }

  /** A time, when the argument is not a snapshot id. */
  static String time(String value) {
    return value == null || value.matches("\\d+") ? null : value;
  }

  private static String key(Diff d, Map<String, Object> row) {
    List<String> parts = new ArrayList<>();
    d.keyColumns().forEach(k -> parts.add(String.valueOf(row.get(k))));
    return d.keyColumns().size() == 1 && row.containsKey(d.keyColumns().get(0))
        ? parts.get(0)
        : values(row);
  }

  private static Map<String, Object> only(Map<String, Object> row, List<String> columns) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    columns.forEach(c -> out.put(c, row.get(c)));
    return out;
  }

  private static String values(Map<String, Object> row) {
    List<String> parts = new ArrayList<>();
    row.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(" ", parts);
  }
}
