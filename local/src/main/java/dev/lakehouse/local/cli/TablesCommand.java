package dev.lakehouse.local.cli;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "tables",
    description = "Every table with its zone, partition spec, current snapshot and row count.")
final class TablesCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Override
  public Integer call() {
    Catalog catalog = cli.lakehouse().catalog();
    List<List<String>> rows = new ArrayList<>();
    for (TableDefinition declared : LakehouseTables.all()) {
      if (!catalog.tableExists(declared.identifier())) {
        rows.add(
            List.of(
                declared.name(),
                declared.zone().label(),
                "(not created: run 'lakehouse init')",
                "",
                ""));
        continue;
      }
      Table table = catalog.loadTable(declared.identifier());
      Snapshot current = table.currentSnapshot();
      rows.add(
          List.of(
              declared.name(),
              declared.zone().label(),
              describeSpec(table),
              current == null ? "-" : Long.toString(current.snapshotId()),
              current == null ? "0" : current.summary().getOrDefault("total-records", "?")));
    }
    TextTable.print(
        cli.spec.commandLine().getOut(),
        List.of("table", "zone", "partitioning", "snapshot", "rows"),
        rows);
    return 0;
  }

  static String describeSpec(Table table) {
    if (table.spec().isUnpartitioned()) {
      return "unpartitioned";
    }
    List<String> fields = new ArrayList<>();
    for (PartitionField field : table.spec().fields()) {
      String source = table.schema().findColumnName(field.sourceId());
      String transform = field.transform().toString();
      fields.add(transform.equals("identity") ? source : transform + "(" + source + ")");
    }
    return String.join(", ", fields);
  }
}
