package dev.lakehouse.core.admin;

import java.util.List;
import java.util.SortedMap;

/**
 * A table's declaration and current metadata: schema, partitioning, sort order, properties and
 * totals.
 */
public record TableDescription(
    String table,
    String qualifiedName,
    String zone,
    String location,
    int formatVersion,
    int schemaId,
    List<Column> columns,
    int partitionSpecId,
    List<SpecField> partitionFields,
    List<String> sortOrder,
    List<String> businessKey,
    SortedMap<String, String> properties,
    Long currentSnapshotId,
    long snapshotCount,
    long totalRecords,
    long totalDataFiles) {}
