package dev.lakehouse.core.admin;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * Every snapshot still in a table's metadata, oldest first; {@code currentSnapshotId} null before
 * the first write.
 */
public record SnapshotList(String table, Long currentSnapshotId, List<Entry> snapshots) {

  /** {@code parentId} is null for the first snapshot. */
  public record Entry(
      long snapshotId,
      Long parentId,
      long sequenceNumber,
      Instant committedAt,
      String operation,
      SortedMap<String, String> summary,
      boolean isCurrent) {}
}
