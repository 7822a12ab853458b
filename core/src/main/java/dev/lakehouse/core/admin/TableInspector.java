package dev.lakehouse.core.admin;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortField;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Read-only views of the declared tables: the list, one table's metadata, its snapshots and its
 * history.
 */
public final class TableInspector {
  private final AdminTables tables;

  TableInspector(AdminTables tables) {
    this.tables = tables;
  }

  public TableList listTables() {
    return new TableList(
        LakehouseTables.NAMESPACE,
        LakehouseTables.all().stream()
            .map(t -> new TableList.Entry(t.name(), t.zone().label()))
            .toList());
  }

  public TableDescription describe(String tableName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = tables.load(def);
    List<String> sort = new ArrayList<>();
    for (SortField f : table.sortOrder().fields()) {
      sort.add(
          table.schema().findColumnName(f.sourceId())
              + " "
              + f.direction().name().toLowerCase(Locale.ROOT)
              + (f.transform().isIdentity() ? "" : " (" + f.transform() + ")"));
    }
    Snapshot current = table.currentSnapshot();
    long snapshotCount = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshotCount++;
    }
    return new TableDescription(
        def.name(),
        def.qualifiedName(),
        def.zone().label(),
        table.location(),
        ((HasTableOperations) table).operations().current().formatVersion(),
        table.schema().schemaId(),
        Column.of(table.schema().asStruct()),
        table.spec().specId(),
        SpecField.of(table),
        sort,
        def.businessKey(),
        new TreeMap<>(table.properties()),
        current == null ? null : current.snapshotId(),
        snapshotCount,
        total(current, "total-records"),
        total(current, "total-data-files"));
  }

  /** Every snapshot still in the metadata, oldest first. */
  public SnapshotList snapshots(String tableName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = tables.load(def);
    Long current = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
    List<SnapshotList.Entry> list = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      list.add(
          new SnapshotList.Entry(
              s.snapshotId(),
              s.parentId(),
              s.sequenceNumber(),
              Instant.ofEpochMilli(s.timestampMillis()),
              s.operation(),
              new TreeMap<>(s.summary()),
              Objects.equals(current, s.snapshotId())));
    }
    return new SnapshotList(def.name(), current, list);
  }

  /** When each snapshot became current (rollbacks included), oldest first. */
  public SnapshotHistory history(String tableName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = tables.load(def);
    List<Long> ancestors =
        table.currentSnapshot() == null ? List.of() : SnapshotUtil.currentAncestorIds(table);
    List<SnapshotHistory.Entry> list = new ArrayList<>();
    for (HistoryEntry e : table.history()) {
      list.add(
          new SnapshotHistory.Entry(
              e.snapshotId(),
              Instant.ofEpochMilli(e.timestampMillis()),
              ancestors.contains(e.snapshotId())));
    }
    return new SnapshotHistory(def.name(), list);
  }

  /** A total of the current snapshot's summary; 0 for an empty table or a summary without it. */
  private static long total(Snapshot current, String key) {
    Long v = current == null ? null : AdminTables.summaryLong(current, key);
    return v == null ? 0L : v;
  }
}
