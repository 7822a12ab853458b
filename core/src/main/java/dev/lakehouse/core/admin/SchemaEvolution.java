package dev.lakehouse.core.admin;

import dev.lakehouse.core.tables.TableDefinition;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Evolves one table's schema in place, metadata only (no data file is rewritten; columns are
 * resolved by id): {@code admin.schema("curated_products").addColumn("supplier", "string", "who
 * supplies it")}.
 */
public final class SchemaEvolution {
  private static final Pattern COLUMN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private final AdminTables tables;
  private final TableDefinition def;

  SchemaEvolution(AdminTables tables, TableDefinition def) {
    this.tables = tables;
    this.def = def;
  }

  /** Adds an optional column (existing files read it as null). Nested: {@code parent.child}. */
  public SchemaChange addColumn(String column, String type, String doc) {
    Arguments.requireText(column, "column");
    Arguments.requireText(type, "type");
    Table table = tables.load(def);
    String parent = null;
    String name = column;
    int dot = column.lastIndexOf('.');
    if (dot > 0) {
      parent = column.substring(0, dot);
      name = column.substring(dot + 1);
      Types.NestedField p = table.schema().findField(parent);
      if (p == null || !p.type().isStructType()) {
        throw new InvalidArgument(
            "cannot add "
                + column
                + " to "
                + def.name()
                + ": "
                + parent
                + " is not a struct column");
      }
    }
    requireColumnName(name);
    if (table.schema().findField(column) != null) {
      throw new InvalidArgument(def.name() + " already has a column named " + column);
    }
    Type.PrimitiveType parsed = primitive(type);
    int before = table.schema().schemaId();
    var update = table.updateSchema();
    if (parent == null) {
      update.addColumn(name, parsed, doc);
    } else {
      update.addColumn(parent, name, parsed, doc);
    }
    update.commit();
    return evolved(table, "addColumn", before, column + " " + parsed + " (optional)");
  }

  /** Renames a column; refuses business-key columns, which the jobs merge on. */
  public SchemaChange renameColumn(String column, String newName) {
    Arguments.requireText(column, "column");
    Arguments.requireText(newName, "newName");
    requireColumnName(newName);
    Table table = tables.load(def);
    if (table.schema().findField(column) == null) {
      throw new InvalidArgument(
          def.name()
              + " has no column "
              + column
              + "; columns: "
              + AdminTables.topLevelNames(table));
    }
    if (def.businessKey().contains(column)) {
      throw new InvalidArgument(
          column
              + " is part of "
              + def.name()
              + "'s business key "
              + def.businessKey()
              + ", which the jobs merge on; renaming it would break them");
    }
    String parent = column.contains(".") ? column.substring(0, column.lastIndexOf('.') + 1) : "";
    if (table.schema().findField(parent + newName) != null) {
      throw new InvalidArgument(def.name() + " already has a column named " + parent + newName);
    }
    int before = table.schema().schemaId();
    table.updateSchema().renameColumn(column, newName).commit();
    return evolved(table, "renameColumn", before, column + " -> " + parent + newName);
  }

  /**
   * Widens a column's type where Iceberg allows it without rewriting: int→long, float→double,
   * decimal precision.
   */
  public SchemaChange widenColumn(String column, String type) {
    Arguments.requireText(column, "column");
    Arguments.requireText(type, "type");
    Table table = tables.load(def);
    Types.NestedField field = table.schema().findField(column);
    if (field == null) {
      throw new InvalidArgument(
          def.name()
              + " has no column "
              + column
              + "; columns: "
              + AdminTables.topLevelNames(table));
    }
    if (!field.type().isPrimitiveType()) {
      throw new InvalidArgument(
          column + " is a " + field.type() + "; only primitive columns can be widened");
    }
    Type.PrimitiveType target = primitive(type);
    if (field.type().equals(target)) {
      throw new InvalidArgument(column + " is already " + target);
    }
    if (!TypeUtil.isPromotionAllowed(field.type(), target)) {
      throw new InvalidArgument(
          "cannot widen "
              + column
              + " from "
              + field.type()
              + " to "
              + target
              + " without a "
              + "rewrite; allowed: int -> long, float -> double, decimal(P,S) -> decimal(P2,S) with P2 > P");
    }
    int before = table.schema().schemaId();
    table.updateSchema().updateColumn(column, target).commit();
    return evolved(table, "widenColumn", before, column + " " + field.type() + " -> " + target);
  }

  private SchemaChange evolved(Table table, String operation, int schemaBefore, String change) {
    table.refresh();
    return new SchemaChange(
        def.name(),
        operation,
        change,
        schemaBefore,
        table.schema().schemaId(),
        Column.of(table.schema().asStruct()));
  }

  private static Type.PrimitiveType primitive(String type) {
    try {
      return Types.fromPrimitiveString(type.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument(
          "unknown type '"
              + type
              + "'; use boolean, int, long, float, double, "
              + "decimal(P,S), date, time, timestamp, timestamptz, string, uuid or binary");
    }
  }

  /** Also used for partition field names. */
  static void requireColumnName(String name) {
    if (!COLUMN_NAME.matcher(name).matches()) {
      throw new InvalidArgument(
          "column name '"
              + name
              + "' is not allowed; use lower-case letters, digits and _ "
              + "(Glue and Athena fold names to lower case)");
    }
  }
}
