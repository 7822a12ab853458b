package dev.lakehouse.core.admin;

import dev.lakehouse.core.json.JsonValues;
import dev.lakehouse.core.tables.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Compares two snapshots of a table by its business key (tables without one, e.g. bronze, match
 * whole rows: a change shows as one removed and one added row): {@code
 * admin.diff("curated_products").from(s1).to(s2).sample(5).execute()}. {@code to} defaults to the
 * current snapshot. Reads both snapshots in memory: meant for admin use on curated and aggregate
 * tables.
 */
public final class SnapshotDiff {
  private final AdminTables tables;
  private final TableDefinition def;
  private Long fromSnapshotId;
  private String fromAsOf;
  private Long toSnapshotId;
  private String toAsOf;
  private Integer sampleSize;
  private List<String> key;

  SnapshotDiff(AdminTables tables, TableDefinition def) {
    this.tables = tables;
    this.def = def;
  }

  public SnapshotDiff from(Long snapshotId) {
    this.fromSnapshotId = snapshotId;
    return this;
  }

  public SnapshotDiff fromAsOf(String time) {
    this.fromAsOf = time;
    return this;
  }

  public SnapshotDiff to(Long snapshotId) {
    this.toSnapshotId = snapshotId;
    return this;
  }

  public SnapshotDiff toAsOf(String time) {
    this.toAsOf = time;
    return this;
  }

  /**
   * How many rows of each kind to show, 0 to {@value Arguments#MAX_SAMPLE} (default {@value
   * Arguments#DEFAULT_SAMPLE}).
   */
  public SnapshotDiff sample(Integer size) {
    this.sampleSize = size;
    return this;
  }

  /**
   * Match rows by these columns instead of the table's business key (e.g. {@code category} to
   * compare per category, on a table whose rows it identifies); they must identify a row in both
   * snapshots.
   */
  public SnapshotDiff by(List<String> columns) {
    this.key = columns == null || columns.isEmpty() ? null : List.copyOf(columns);
    return this;
  }

  public Diff execute() {
    Table table = tables.load(def);
    if (fromSnapshotId == null && fromAsOf == null) {
      throw new InvalidArgument("diff needs fromSnapshotId or fromAsOf");
    }
    Snapshot from = AdminTables.resolve(def, table, fromSnapshotId, fromAsOf, "diff");
    Snapshot to =
        toSnapshotId == null && toAsOf == null
            ? AdminTables.current(def, table)
            : AdminTables.resolve(def, table, toSnapshotId, toAsOf, "diff");
    int max = Arguments.sample(sampleSize);
    List<String> keyColumns = key == null ? def.businessKey() : key;
    for (String column : keyColumns) {
      if (table.schema().findField(column) == null) {
        throw new InvalidArgument(
            "diff: " + def.name() + " has no column " + column + " to match rows by");
      }
    }
    Map<List<Object>, Map<String, Object>> before = keyed(table, from, keyColumns);
    Map<List<Object>, Map<String, Object>> after = keyed(table, to, keyColumns);

    List<Map<String, Object>> addedSample = new ArrayList<>();
    List<Map<String, Object>> removedSample = new ArrayList<>();
    List<Diff.Change> changedSample = new ArrayList<>();
    long added = 0;
    long removed = 0;
    long changed = 0;
    long unchanged = 0;
    for (var e : after.entrySet()) {
      Map<String, Object> old = before.get(e.getKey());
      if (old == null) {
        added++;
        if (addedSample.size() < max) {
          addedSample.add(keyMap(keyColumns, e.getKey(), e.getValue()));
        }
      } else if (!old.equals(e.getValue())) {
        changed++;
        if (changedSample.size() < max) {
          changedSample.add(
              change(keyMap(keyColumns, e.getKey(), e.getValue()), old, e.getValue()));
        }
      } else {
        unchanged++;
      }
    }
    for (var e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        removed++;
        if (removedSample.size() < max) {
          removedSample.add(keyMap(keyColumns, e.getKey(), e.getValue()));
        }
      }
    }
    return new Diff(
        def.name(),
        keyColumns.isEmpty() ? List.of("<whole row>") : keyColumns,
        from.snapshotId(),
        to.snapshotId(),
        before.size(),
        after.size(),
        added,
        removed,
        changed,
        unchanged,
        new Diff.Samples(addedSample, removedSample, changedSample));
  }

  private static Diff.Change change(
      Map<String, Object> key, Map<String, Object> old, Map<String, Object> now) {
    List<String> columns = new ArrayList<>();
    Map<String, Object> was = new LinkedHashMap<>();
    Map<String, Object> is = new LinkedHashMap<>();
    for (String column : now.keySet()) {
      if (!Objects.equals(old.get(column), now.get(column))) {
        columns.add(column);
        was.put(column, old.get(column));
        is.put(column, now.get(column));
      }
    }
    return new Diff.Change(key, columns, was, is);
  }

  private static Map<List<Object>, Map<String, Object>> keyed(
      Table table, Snapshot snapshot, List<String> keyColumns) {
    Map<List<Object>, Map<String, Object>> rows = new HashMap<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).build()) {
      for (Record r : records) {
        Map<String, Object> row = JsonValues.row(r);
        List<Object> key;
        if (keyColumns.isEmpty()) {
          key = new ArrayList<>(row.values());
        } else {
          key = new ArrayList<>(keyColumns.size());
          for (String c : keyColumns) {
            key.add(row.get(c));
          }
        }
        if (rows.put(key, row) != null && !keyColumns.isEmpty()) {
          throw new InvalidArgument(
              "diff: "
                  + String.join(", ", keyColumns)
                  + " does not identify a row of "
                  + table.name().substring(table.name().lastIndexOf('.') + 1)
                  + " in snapshot "
                  + snapshot.snapshotId()
                  + " (more than one row has "
                  + keyMap(keyColumns, key, row)
                  + "); match by columns that do");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static Map<String, Object> keyMap(
      List<String> keyColumns, List<Object> key, Map<String, Object> row) {
    if (keyColumns.isEmpty()) {
      return row;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyColumns.size(); i++) {
      m.put(keyColumns.get(i), key.get(i));
    }
    return m;
  }
}
