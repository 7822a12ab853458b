package dev.lakehouse.core.tables;

import java.util.stream.Collectors;

/**
 * A table name that is not declared in {@link LakehouseTables}. The message lists the names that
 * are.
 */
public class UnknownTableException extends IllegalArgumentException {
  private final String tableName;

  public UnknownTableException(String tableName) {
    super(
        "unknown table '"
            + tableName
            + "'; known tables: "
            + LakehouseTables.all().stream()
                .map(TableDefinition::name)
                .collect(Collectors.joining(", ")));
    this.tableName = tableName;
  }

  public String tableName() {
    return tableName;
  }
}
