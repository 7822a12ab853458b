package dev.lakehouse.core.admin;

import java.util.Map;

/** Row counts a snapshot's summary can give without reading data. */
public final class SnapshotCounts {
  private SnapshotCounts() {}

  /**
   * The rows a reader sees in the snapshot: {@code total-records} minus {@code
   * total-position-deletes}. Spark (merge-on-read) writes position deletes, each removing exactly
   * one row. An equality delete removes every matching row, any number of them, so with equality
   * deletes (or without totals) only a scan could count: null then.
   */
  public static Long liveRecords(Map<String, String> summary) {
    Long total = parse(summary.get("total-records"));
    Long equalityDeletes = parse(summary.get("total-equality-deletes"));
    if (total == null || (equalityDeletes != null && equalityDeletes > 0)) {
      return null;
    }
    Long positionDeletes = parse(summary.get("total-position-deletes"));
    return total - (positionDeletes == null ? 0L : positionDeletes);
  }

  private static Long parse(String value) {
    return value == null ? null : Long.valueOf(value);
  }
}
