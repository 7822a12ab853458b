package dev.lakehouse.core.admin;

import java.time.Instant;

/**
 * A rollback done (or, {@code changed} false, already in place): from and to which snapshot, who,
 * why and when.
 */
public record RolledBack(
    String table,
    long fromSnapshotId,
    long toSnapshotId,
    boolean changed,
    String actor,
    String reason,
    String executionId,
    Instant at) {}
