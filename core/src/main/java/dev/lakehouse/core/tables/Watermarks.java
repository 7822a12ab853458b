package dev.lakehouse.core.tables;

import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * How a table remembers what it consumed: a summary property on its commits naming the snapshot of
 * its source it was built from. Silver remembers bronze's; gold remembers each silver table it
 * reads ({@link #GOLD_SOURCES}) under {@link #goldKey}. Gold's job reads these to find the dates to
 * recompute; a rollback of a silver table reads them to tell whether it would take gold's input out
 * of the current history.
 */
public final class Watermarks {
  /** The silver tables gold's metrics are computed from. */
  public static final List<TableDefinition> GOLD_SOURCES =
      List.of(
          LakehouseTables.CURATED_ORDERS,
          LakehouseTables.CURATED_CUSTOMERS,
          LakehouseTables.CURATED_PRODUCTS);

  private static final String GOLD_PREFIX = "lakehouse.watermark.";

  private Watermarks() {}

  /**
   * The summary property of gold's commits holding the snapshot of {@code source} it was computed
   * from.
   */
  public static String goldKey(TableDefinition source) {
    return GOLD_PREFIX + source.name();
  }

  /** The newest value of a summary property along the table's current lineage. */
  public static Optional<Long> newest(Table table, String property) {
    return newestText(table, property).map(Long::parseLong);
  }

  /** The newest value of a summary property along the table's current lineage, as written. */
  public static Optional<String> newestText(Table table, String property) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return Optional.empty();
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
      String value = snapshot.summary().get(property);
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
