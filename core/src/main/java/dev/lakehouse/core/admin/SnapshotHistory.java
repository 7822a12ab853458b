package dev.lakehouse.core.admin;

import java.time.Instant;
import java.util.List;

/** When each snapshot became current (rollbacks included), oldest first. */
public record SnapshotHistory(String table, List<Entry> history) {

  public record Entry(long snapshotId, Instant madeCurrentAt, boolean isCurrentAncestor) {}
}
