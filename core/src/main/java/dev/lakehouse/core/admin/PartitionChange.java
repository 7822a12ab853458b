package dev.lakehouse.core.admin;

import java.util.List;

/**
 * One partition evolution done: which operation, what changed, the spec ids before and after and
 * the new fields.
 */
public record PartitionChange(
    String table,
    String operation,
    String change,
    int previousSpecId,
    int specId,
    List<SpecField> partitionFields) {}
