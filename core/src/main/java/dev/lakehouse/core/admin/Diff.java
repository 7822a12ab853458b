package dev.lakehouse.core.admin;

import java.util.List;
import java.util.Map;

/**
 * Rows added, removed, changed and unchanged between two snapshots, matched by {@code keyColumns}
 * ({@code ["<whole row>"]} for a table without a business key), with up to the sample size of each.
 */
public record Diff(
    String table,
    List<String> keyColumns,
    long fromSnapshotId,
    long toSnapshotId,
    long fromRows,
    long toRows,
    long added,
    long removed,
    long changed,
    long unchanged,
    Samples samples) {

  /**
   * Added and removed rows by key (whole rows for a table without a business key); changed rows
   * column by column.
   */
  public record Samples(
      List<Map<String, Object>> added, List<Map<String, Object>> removed, List<Change> changed) {}

  /** One changed row: its key, and the columns that differ with their values before and after. */
  public record Change(
      Map<String, Object> key,
      List<String> changedColumns,
      Map<String, Object> before,
      Map<String, Object> after) {}
}
