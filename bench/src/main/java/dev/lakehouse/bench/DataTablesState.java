package dev.lakehouse.bench;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.Zone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The current snapshot of every bronze, silver and gold table, so that two ways of loading the same
 * data can each start from the same lakehouse: capture, run A, {@link #restore}, run B. The
 * operations tables (run log, quarantine) are left alone: they keep the record of both runs.
 */
record DataTablesState(Map<TableDefinition, Long> snapshots) {

  static DataTablesState capture(Catalog catalog) {
    Map<TableDefinition, Long> snapshots = new LinkedHashMap<>();
    for (TableDefinition definition : dataTables()) {
      Snapshot current = catalog.loadTable(definition.identifier()).currentSnapshot();
      if (current == null) {
        throw new IllegalStateException(
            definition.name() + " has no snapshot yet: load the lakehouse before capturing it");
      }
      snapshots.put(definition, current.snapshotId());
    }
    return new DataTablesState(Map.copyOf(snapshots));
  }

  /** Makes each table's captured snapshot current again (one metadata commit per table). */
  void restore(Catalog catalog) {
    snapshots.forEach(
        (definition, snapshotId) -> {
          Table table = catalog.loadTable(definition.identifier());
          if (table.currentSnapshot().snapshotId() != snapshotId) {
            table.manageSnapshots().setCurrentSnapshot(snapshotId).commit();
          }
        });
  }

  /**
   * Gold's business content, sorted: every column but the ones saying when and by which execution a
   * row was computed.
   */
  static List<String> goldRows(Catalog catalog) {
    Table gold = catalog.loadTable(LakehouseTables.AGG_DAILY_METRICS.identifier());
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(gold).build()) {
      for (Record r : records) {
        rows.add(
            r.getField("metric_date")
                + " "
                + r.getField("metric_type")
                + " "
                + r.getField("dimension_key")
                + "="
                + r.getField("dimension_value")
                + " "
                + r.getField("metric_value")
                + " "
                + r.getField("metric_count"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + gold.name(), e);
    }
    rows.sort(null);
    return rows;
  }

  private static List<TableDefinition> dataTables() {
    List<TableDefinition> tables = new ArrayList<>();
    for (Zone zone : List.of(Zone.BRONZE, Zone.SILVER, Zone.GOLD)) {
      tables.addAll(LakehouseTables.inZone(zone));
    }
    return tables;
  }
}
