package dev.lakehouse.local.cli;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "describe",
    description = "Schema with field ids, partition spec, sort order and properties of a table.")
final class DescribeCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(
      paramLabel = "TABLE",
      description = "Table name, e.g. raw_orders or ecommerce_lakehouse.raw_orders.")
  String tableName;

  @Override
  public Integer call() {
    TableDefinition declared = LakehouseTables.byName(tableName);
    Table table = cli.lakehouse().catalog().loadTable(declared.identifier());
    PrintWriter out = cli.spec.commandLine().getOut();
    out.println(
        declared.qualifiedName()
            + " ("
            + declared.zone().label()
            + ") — "
            + declared.description());
    out.println("location: " + table.location());
    out.println();
    List<List<String>> columns = new ArrayList<>();
    for (Types.NestedField field : table.schema().columns()) {
      addField(columns, "", field);
    }
    TextTable.print(out, List.of("id", "column", "type", "required"), columns);
    out.println();
    out.println("partitioning: " + TablesCommand.describeSpec(table));
    out.println(
        "sort order:   "
            + (table.sortOrder().isUnsorted()
                ? "unsorted"
                : table.sortOrder().fields().stream()
                    .map(
                        f ->
                            table.schema().findColumnName(f.sourceId())
                                + " "
                                + f.direction().toString().toLowerCase())
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("")));
    out.println(
        "business key: "
            + (declared.businessKey().isEmpty()
                ? "(append-only)"
                : String.join(", ", declared.businessKey())));
    out.println();
    out.println("properties:");
    new TreeMap<>(table.properties()).forEach((k, v) -> out.println("  " + k + " = " + v));
    return 0;
  }

  private static void addField(List<List<String>> rows, String prefix, Types.NestedField field) {
    rows.add(
        List.of(
            Integer.toString(field.fieldId()),
            prefix + field.name(),
            field.type().isPrimitiveType()
                ? field.type().toString()
                : field.type().typeId().toString().toLowerCase(),
            field.isRequired() ? "yes" : "no"));
    if (field.type().isNestedType()) {
      for (Types.NestedField child : field.type().asNestedType().fields()) {
        addField(rows, prefix + field.name() + ".", child);
      }
    }
  }
}
