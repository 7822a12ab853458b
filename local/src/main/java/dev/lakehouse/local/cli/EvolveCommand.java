package dev.lakehouse.local.cli;

import dev.lakehouse.core.admin.PartitionChange;
import dev.lakehouse.core.admin.SchemaChange;
import dev.lakehouse.core.admin.TableAdmin;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "evolve",
    description =
        "Change a table's schema or partitioning in place: metadata only, no data "
            + "rewritten, every earlier snapshot still readable as it was written.")
final class EvolveCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "TABLE", description = "Table name, e.g. curated_products.")
  String table;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Change change;

  static final class Change {
    @Option(
        names = "--add-column",
        arity = "2",
        paramLabel = "NAME TYPE",
        description =
            "Add an optional column, e.g. --add-column loyalty_tier string (types as in Iceberg: int, long, "
                + "string, decimal(10,2), timestamptz ...).")
    List<String> add;

    @Option(
        names = "--rename-column",
        arity = "2",
        paramLabel = "OLD NEW",
        description = "Rename a column.")
    List<String> rename;

    @Option(
        names = "--widen-column",
        arity = "2",
        paramLabel = "NAME TYPE",
        description = "Widen a column's type: int to long, float to double, a decimal's precision.")
    List<String> widen;

    @Option(
        names = "--add-partition",
        paramLabel = "TRANSFORM",
        description = "Add a partition field, e.g. 'bucket(16, customer_id)' or 'day(order_date)'.")
    String addPartition;

    @Option(
        names = "--remove-partition",
        paramLabel = "FIELD",
        description = "Remove a partition field by name.")
    String removePartition;
  }

  @Option(names = "--doc", description = "With --add-column: the column's description.")
  String doc;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default ${DEFAULT-VALUE}).")
  Output.Format format;

  @Override
  public Integer call() {
    TableAdmin admin = cli.admin();
    PrintWriter out = cli.spec.commandLine().getOut();
    if (change.addPartition != null || change.removePartition != null) {
      PartitionChange p =
          change.addPartition != null
              ? admin.partitioning(table).addField(change.addPartition, null)
              : admin.partitioning(table).removeField(change.removePartition);
      print(out, p.table(), p.operation(), p.change(), "spec", p.previousSpecId(), p.specId());
      return 0;
    }
    SchemaChange s =
        change.add != null
            ? admin.schema(table).addColumn(change.add.get(0), change.add.get(1), doc)
            : change.rename != null
                ? admin.schema(table).renameColumn(change.rename.get(0), change.rename.get(1))
                : admin.schema(table).widenColumn(change.widen.get(0), change.widen.get(1));
    print(out, s.table(), s.operation(), s.change(), "schema", s.previousSchemaId(), s.schemaId());
    return 0;
  }

  private void print(
      PrintWriter out,
      String table,
      String operation,
      String what,
      String kind,
      int before,
      int after) {
    if (format == Output.Format.table) {
      out.println(
          table
              + ": "
              + what
              + " ("
              + kind
              + " "
              + before
              + " -> "
              + after
              + "; no data rewritten)");
      return;
    }
    Output.rows(
        out,
        format,
        List.of("table", "operation", "change", "previous_" + kind + "_id", kind + "_id"),
        List.of(List.of(table, operation, what, before, after)));
  }
}
