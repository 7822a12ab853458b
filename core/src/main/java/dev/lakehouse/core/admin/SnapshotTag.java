package dev.lakehouse.core.admin;

import dev.lakehouse.core.tables.TableDefinition;
import java.time.Duration;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Names a snapshot with an Iceberg tag, e.g. a month-end close: {@code
 * admin.tag("agg_daily_metrics").named("month-end-2026-11").retainDays(400).execute()}. Snapshot
 * expiry keeps a tagged snapshot (and its files) while the tag lives: forever, or {@code
 * retainDays} after the tag's snapshot was committed. Queries read it by name ({@code VERSION AS OF
 * 'month-end-2026-11'}). Defaults to the current snapshot; an existing tag is not moved (a tag is a
 * fixed point: drop and recreate it on purpose instead).
 */
public final class SnapshotTag {
  private final AdminTables tables;
  private final TableDefinition def;
  private String name;
  private Long snapshotId;
  private Integer retainDays;

  SnapshotTag(AdminTables tables, TableDefinition def) {
    this.tables = tables;
    this.def = def;
  }

  public SnapshotTag named(String tag) {
    this.name = tag;
    return this;
  }

  /** The snapshot to tag; the current one when not given. */
  public SnapshotTag snapshot(Long id) {
    this.snapshotId = id;
    return this;
  }

  /** How long expiry keeps the tagged snapshot, counted from its commit; forever when not given. */
  public SnapshotTag retainDays(Integer days) {
    this.retainDays = days;
    return this;
  }

  public Tagged execute() {
    if (Arguments.blank(name) || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new InvalidArgument(
          "a tag name starts with a letter or digit and holds only letters, digits, '.', '_' "
              + "and '-', was '"
              + name
              + "'");
    }
    if (retainDays != null && retainDays < 1) {
      throw new InvalidArgument("retainDays must be at least 1, was " + retainDays);
    }
    Table table = tables.load(def);
    Snapshot target =
        snapshotId == null
            ? AdminTables.current(def, table)
            : AdminTables.resolve(def, table, snapshotId, null, "tag");
    if (table.refs().containsKey(name)) {
      throw new InvalidArgument(
          def.name()
              + " already has a "
              + (table.refs().get(name).isTag() ? "tag" : "branch")
              + " named '"
              + name
              + "' (on snapshot "
              + table.refs().get(name).snapshotId()
              + ")");
    }
    ManageSnapshots change = table.manageSnapshots().createTag(name, target.snapshotId());
    Long maxAgeMs = retainDays == null ? null : Duration.ofDays(retainDays).toMillis();
    if (maxAgeMs != null) {
      change.setMaxRefAgeMs(name, maxAgeMs);
    }
    change.commit();
    return new Tagged(def.name(), name, target.snapshotId(), retainDays);
  }

  /** A tag made: on which snapshot, kept for how many days (null: until dropped). */
  public record Tagged(String table, String tag, long snapshotId, Integer retainDays) {}
}
