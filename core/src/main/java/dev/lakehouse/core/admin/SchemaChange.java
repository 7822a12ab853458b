package dev.lakehouse.core.admin;

import java.util.List;

/**
 * One schema evolution done: which operation, what changed, the schema ids before and after and the
 * new columns.
 */
public record SchemaChange(
    String table,
    String operation,
    String change,
    int previousSchemaId,
    int schemaId,
    List<Column> columns) {}
