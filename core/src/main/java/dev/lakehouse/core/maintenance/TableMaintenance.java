package dev.lakehouse.core.maintenance;

import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.TableProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * Entry point of table maintenance, in Iceberg's own fluent style:
 *
 * <pre>{@code
 * maintenance.expireSnapshots("curated_orders").olderThan(Duration.ofDays(7)).retainLast(5).dryRun().execute();
 * maintenance.rewriteManifests("curated_orders").execute();
 * maintenance.removeOrphanFiles("curated_orders").olderThan(Duration.ofDays(3)).dryRun().execute();
 * }</pre>
 *
 * Defaults come from each table's properties ({@link #PROP_EXPIRE_AGE}, {@link #PROP_EXPIRE_KEEP},
 * {@link #PROP_ORPHAN_AGE}, {@link #PROP_REWRITE_MIN_MANIFESTS}), falling back to the lakehouse
 * defaults. The clock is injectable so age rules are testable.
 */
public final class TableMaintenance {
  /** Iceberg's own property: snapshots older than this are expired. */
  public static final String PROP_EXPIRE_AGE = "history.expire.max-snapshot-age-ms";

  /** Iceberg's own property: this many most recent snapshots are always kept. */
  public static final String PROP_EXPIRE_KEEP = "history.expire.min-snapshots-to-keep";

  /** Only files older than this can be orphans (a running job may be writing younger ones). */
  public static final String PROP_ORPHAN_AGE = "lakehouse.maintenance.orphan-min-age-ms";

  /**
   * Manifests are rewritten only when the current snapshot has at least this many data manifests.
   */
  public static final String PROP_REWRITE_MIN_MANIFESTS =
      "lakehouse.maintenance.rewrite-min-manifests";

  public static final Duration DEFAULT_ORPHAN_AGE = Duration.ofDays(3);

  /**
   * Orphan removal refuses ages below this: a Glue job can run for hours before it commits the
   * files it writes.
   */
  public static final Duration MIN_ORPHAN_AGE = Duration.ofDays(1);

  public static final int DEFAULT_REWRITE_MIN_MANIFESTS = 2;

  private final Catalog catalog;
  private final Clock clock;

  public TableMaintenance(Catalog catalog, Clock clock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public SnapshotExpiry expireSnapshots(String tableName) {
    Table table = load(tableName);
    return new SnapshotExpiry(
        table,
        clock,
        Duration.ofMillis(
            longProperty(table, PROP_EXPIRE_AGE, TableProperties.MAX_SNAPSHOT_AGE_MS)),
        (int) longProperty(table, PROP_EXPIRE_KEEP, TableProperties.MIN_SNAPSHOTS_TO_KEEP));
  }

  public ManifestRewrite rewriteManifests(String tableName) {
    Table table = load(tableName);
    return new ManifestRewrite(
        table,
        (int) longProperty(table, PROP_REWRITE_MIN_MANIFESTS, DEFAULT_REWRITE_MIN_MANIFESTS));
  }

  public RemoveOrphanFiles removeOrphanFiles(String tableName) {
    Table table = load(tableName);
    return new RemoveOrphanFiles(
        table,
        clock,
        Duration.ofMillis(longProperty(table, PROP_ORPHAN_AGE, DEFAULT_ORPHAN_AGE.toMillis())));
  }

  private Table load(String tableName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    return catalog.loadTable(def.identifier());
  }

  private static long longProperty(Table table, String name, long fallback) {
    Map<String, String> props = table.properties();
    String v = props.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new InvalidArgument(
          "table property " + name + " of " + table.name() + " is not a number: '" + v + "'");
    }
  }
}
