package dev.lakehouse.core.admin;

import dev.lakehouse.core.tables.TableDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * What every admin service does first: load a declared table and find the snapshot an argument
 * names.
 */
final class AdminTables {
  private final Catalog catalog;

  AdminTables(Catalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  Table load(TableDefinition def) {
    try {
      return catalog.loadTable(def.identifier());
    } catch (NoSuchTableException e) {
      throw new InvalidArgument(
          def.qualifiedName()
              + " is declared but does not exist in the catalog yet; run "
              + "createTables first",
          e);
    }
  }

  static Snapshot current(TableDefinition def, Table table) {
    Snapshot s = table.currentSnapshot();
    if (s == null) {
      throw new SnapshotNotFound(def.name() + " has no snapshots yet (no data was ever written)");
    }
    return s;
  }

  /** The snapshot with that id, or current at that time, or (neither given) the current one. */
  static Snapshot resolve(
      TableDefinition def, Table table, Long snapshotId, String asOf, String operation) {
    if (snapshotId != null && !Arguments.blank(asOf)) {
      throw new InvalidArgument(operation + ": give either snapshotId or asOf, not both");
    }
    if (snapshotId != null) {
      Snapshot s = table.snapshot(snapshotId);
      if (s == null) {
        List<Long> known = new ArrayList<>();
        table.snapshots().forEach(x -> known.add(x.snapshotId()));
        throw new SnapshotNotFound(
            "snapshot "
                + snapshotId
                + " is not in the history of "
                + def.name()
                + "; known snapshots (oldest first): "
                + (known.size() > 20 ? known.subList(known.size() - 20, known.size()) : known));
      }
      return s;
    }
    if (Arguments.blank(asOf)) {
      return current(def, table);
    }
    Instant at = Arguments.parseInstant(asOf, "asOf");
    current(def, table);
    try {
      return table.snapshot(SnapshotUtil.snapshotIdAsOfTime(table, at.toEpochMilli()));
    } catch (IllegalArgumentException e) {
      throw new SnapshotNotFound(
          def.name()
              + " had no snapshot at or before "
              + at
              + "; its oldest snapshot is from "
              + Instant.ofEpochMilli(SnapshotUtil.oldestAncestor(table).timestampMillis()));
    }
  }

  /** A count from the snapshot summary, null when the summary does not carry it. */
  static Long summaryLong(Snapshot s, String key) {
    String v = s.summary().get(key);
    return v == null ? null : Long.valueOf(v);
  }

  static String topLevelNames(Table table) {
    return String.join(
        ", ", table.schema().columns().stream().map(Types.NestedField::name).toList());
  }
}
