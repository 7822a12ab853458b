package dev.lakehouse.core.admin;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.LakehouseTables;
import java.time.Clock;
import java.util.Objects;
import org.apache.iceberg.catalog.Catalog;

/**
 * Table administration over the Iceberg API, one small service or operation per concern, each
 * answering a record: provisioning ({@link #createTables}), inspection ({@link #inspect}), {@link
 * #timeTravel}, {@link #diff}, {@link #rollback}, and in-place {@link #schema} and {@link
 * #partitioning} evolution (metadata only, no rewrite). Every bad argument is an {@link
 * InvalidArgument} (or {@link SnapshotNotFound}, or {@link
 * dev.lakehouse.core.tables.UnknownTableException}, thrown as soon as a table name is given) with
 * an actionable message.
 */
public final class TableAdmin {
  private final Catalog catalog;
  private final CatalogSettings settings;
  private final AdminTables tables;
  private final RunLog runLog;
  private final Clock clock;

  public TableAdmin(Catalog catalog, CatalogSettings settings, Clock clock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.settings = settings;
    this.tables = new AdminTables(catalog);
    this.runLog = new RunLog(catalog);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Creates the namespace and every declared table that does not exist yet (idempotent). */
  public TableProvisioner.Result createTables() {
    if (settings == null) {
      throw new IllegalStateException("createTables needs catalog settings (table locations)");
    }
    return new TableProvisioner(catalog, settings).provision();
  }

  public TableInspector inspect() {
    return new TableInspector(tables);
  }

  public TimeTravel timeTravel(String table) {
    return new TimeTravel(tables, LakehouseTables.byName(table));
  }

  public SnapshotDiff diff(String table) {
    return new SnapshotDiff(tables, LakehouseTables.byName(table));
  }

  public Rollback rollback(String table) {
    return new Rollback(tables, runLog, clock, LakehouseTables.byName(table));
  }

  public SnapshotTag tag(String table) {
    return new SnapshotTag(tables, LakehouseTables.byName(table));
  }

  public SchemaEvolution schema(String table) {
    return new SchemaEvolution(tables, LakehouseTables.byName(table));
  }

  public PartitionEvolution partitioning(String table) {
    return new PartitionEvolution(tables, LakehouseTables.byName(table));
  }
}
