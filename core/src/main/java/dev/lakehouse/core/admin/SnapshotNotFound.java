package dev.lakehouse.core.admin;

/**
 * A snapshot id or time that is not in the table's history (or, for rollback, not an ancestor of
 * the current one).
 */
public final class SnapshotNotFound extends InvalidArgument {
  public SnapshotNotFound(String message) {
    super(message);
  }
}
