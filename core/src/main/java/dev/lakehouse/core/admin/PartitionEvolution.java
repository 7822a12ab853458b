package dev.lakehouse.core.admin;

import dev.lakehouse.core.tables.TableDefinition;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;

/**
 * Evolves one table's partitioning in place: new data is written with the new spec, old files keep
 * theirs. {@code admin.partitioning("curated_orders").addField("day(order_date)", null)}.
 */
public final class PartitionEvolution {
  private static final Pattern TRANSFORM =
      Pattern.compile("\\s*([a-zA-Z]+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([a-zA-Z0-9_.]+)\\s*\\)\\s*");

  private final AdminTables tables;
  private final TableDefinition def;

  PartitionEvolution(AdminTables tables, TableDefinition def) {
    this.tables = tables;
    this.def = def;
  }

  /**
   * Adds a partition field, e.g. {@code day(order_date)}, {@code bucket(16, customer_id)}, {@code
   * truncate(4, sku)} or a bare column for identity; {@code name} is optional (Iceberg derives
   * one).
   */
  public PartitionChange addField(String transform, String name) {
    Arguments.requireText(transform, "transform");
    Table table = tables.load(def);
    Term term = term(table, transform);
    int before = table.spec().specId();
    try {
      var update = table.updateSpec();
      if (Arguments.blank(name)) {
        update.addField(term);
      } else {
        SchemaEvolution.requireColumnName(name);
        update.addField(name, term);
      }
      update.commit();
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument(
          "cannot add partition field " + transform + " to " + def.name() + ": " + e.getMessage(),
          e);
    }
    return evolved(table, "addPartitionField", before, transform);
  }

  /**
   * Removes a partition field by its name (see describe) or by its transform, e.g. {@code
   * month(order_date)}.
   */
  public PartitionChange removeField(String field) {
    Arguments.requireText(field, "field");
    Table table = tables.load(def);
    int before = table.spec().specId();
    boolean byName = table.spec().fields().stream().anyMatch(f -> f.name().equals(field.trim()));
    try {
      if (byName) {
        table.updateSpec().removeField(field.trim()).commit();
      } else if (TRANSFORM.matcher(field).matches()) {
        table.updateSpec().removeField(term(table, field)).commit();
      } else {
        throw new InvalidArgument(
            def.name()
                + " has no partition field "
                + field
                + "; partition fields: "
                + fieldList(table));
      }
    } catch (InvalidArgument e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument(
          "cannot remove partition field "
              + field
              + " from "
              + def.name()
              + ": "
              + e.getMessage()
              + "; partition fields: "
              + fieldList(table),
          e);
    }
    return evolved(table, "removePartitionField", before, field);
  }

  private PartitionChange evolved(Table table, String operation, int specBefore, String change) {
    table.refresh();
    return new PartitionChange(
        def.name(), operation, change, specBefore, table.spec().specId(), SpecField.of(table));
  }

  /**
   * The current fields as error messages have always listed them: {@code [{name=.., transform=..,
   * sourceColumn=..}]}.
   */
  private static String fieldList(Table table) {
    return SpecField.of(table).stream()
        .map(
            f ->
                "{name="
                    + f.name()
                    + ", transform="
                    + f.transform()
                    + ", sourceColumn="
                    + f.sourceColumn()
                    + "}")
        .toList()
        .toString();
  }

  private Term term(Table table, String spec) {
    Matcher m = TRANSFORM.matcher(spec);
    String transform;
    String column;
    Integer arg = null;
    if (m.matches()) {
      transform = m.group(1).toLowerCase(Locale.ROOT);
      arg = m.group(2) == null ? null : Integer.valueOf(m.group(2));
      column = m.group(3);
    } else if (spec.trim().matches("[a-zA-Z0-9_.]+")) {
      transform = "identity";
      column = spec.trim();
    } else {
      throw new InvalidArgument(
          "'"
              + spec
              + "' is not a partition transform; use identity(col), year(col), "
              + "month(col), day(col), hour(col), bucket(N, col) or truncate(W, col)");
    }
    if (table.schema().findField(column) == null) {
      throw new InvalidArgument(
          def.name()
              + " has no column "
              + column
              + "; columns: "
              + AdminTables.topLevelNames(table));
    }
    boolean needsArg = transform.equals("bucket") || transform.equals("truncate");
    if (needsArg != (arg != null)) {
      throw new InvalidArgument(
          needsArg
              ? transform + " needs a width: " + transform + "(N, " + column + ")"
              : transform + " takes no number: " + transform + "(" + column + ")");
    }
    return switch (transform) {
      case "identity" -> Expressions.ref(column);
      case "year", "years" -> Expressions.year(column);
      case "month", "months" -> Expressions.month(column);
      case "day", "days" -> Expressions.day(column);
      case "hour", "hours" -> Expressions.hour(column);
      case "bucket" -> Expressions.bucket(column, positive(arg, "bucket count"));
      case "truncate" -> Expressions.truncate(column, positive(arg, "truncate width"));
      default ->
          throw new InvalidArgument(
              "unknown partition transform '"
                  + transform
                  + "'; use identity, year, "
                  + "month, day, hour, bucket or truncate");
    };
  }

  private static int positive(int value, String what) {
    if (value <= 0) {
      throw new InvalidArgument(what + " must be positive, was " + value);
    }
    return value;
  }
}
