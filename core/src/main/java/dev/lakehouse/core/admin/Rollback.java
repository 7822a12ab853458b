package dev.lakehouse.core.admin;

import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.Watermarks;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Makes an earlier snapshot of the current history current again: {@code
 * admin.rollback("curated_products").toSnapshot(id).by("alice").because("bad price
 * file").execute()}. Refuses a snapshot that is not an ancestor of the current one, a request
 * without who and why, and (unless told gold will recompute) a silver rollback that takes gold's
 * input snapshot out of the current history.
 *
 * <p>Audit: an Iceberg rollback only moves the current-snapshot pointer and writes no snapshot, so
 * there is no snapshot summary to annotate. Who and why go into the table properties ({@code
 * lakehouse.rollback.*}, the last rollback, committed atomically with it) and into a {@code
 * pipeline_runs} row (step {@code rollback}, every one).
 */
public final class Rollback {
  public static final String STEP = "rollback";
  public static final String PROPERTY_PREFIX = "lakehouse.rollback.";

  private final AdminTables tables;
  private final RunLog runLog;
  private final Clock clock;
  private final TableDefinition def;
  private Long snapshotId;
  private String asOf;
  private String actor;
  private String reason;
  private String executionId;
  private boolean recomputeGold;

  Rollback(AdminTables tables, RunLog runLog, Clock clock, TableDefinition def) {
    this.tables = tables;
    this.runLog = runLog;
    this.clock = clock;
    this.def = def;
  }

  public Rollback toSnapshot(Long id) {
    this.snapshotId = id;
    return this;
  }

  /** A time as {@link Arguments#parseInstant} reads it: back to the snapshot current then. */
  public Rollback asOf(String time) {
    this.asOf = time;
    return this;
  }

  /** Who asks for it. */
  public Rollback by(String who) {
    this.actor = who;
    return this;
  }

  public Rollback because(String why) {
    this.reason = why;
    return this;
  }

  /** The {@code pipeline_runs} execution id to record under; default {@code admin-<uuid>}. */
  public Rollback executionId(String id) {
    this.executionId = id;
    return this;
  }

  /**
   * Accept that the rollback takes out of the current history the snapshot gold's metrics were
   * computed from: gold's next run then recomputes every date (it does so whenever its watermark is
   * no longer an ancestor). Without it such a rollback is refused, so gold never silently reports
   * data silver no longer has.
   */
  public Rollback recomputeGold(boolean value) {
    this.recomputeGold = value;
    return this;
  }

  public RolledBack execute() {
    if (Arguments.blank(actor)) {
      throw new InvalidArgument(
          "rollback needs 'actor': who asks for it (recorded in the table and pipeline_runs)");
    }
    if (Arguments.blank(reason)) {
      throw new InvalidArgument(
          "rollback needs 'reason': why (recorded in the table and pipeline_runs)");
    }
    if (snapshotId == null && Arguments.blank(asOf)) {
      throw new InvalidArgument("rollback needs snapshotId or asOf");
    }
    Table table = tables.load(def);
    Snapshot current = AdminTables.current(def, table);
    Snapshot target = AdminTables.resolve(def, table, snapshotId, asOf, "rollback");
    if (!SnapshotUtil.isAncestorOf(table, current.snapshotId(), target.snapshotId())) {
      throw new SnapshotNotFound(
          "snapshot "
              + target.snapshotId()
              + " of "
              + def.name()
              + " is not in the current "
              + "history (not an ancestor of current snapshot "
              + current.snapshotId()
              + "); rollback only goes back "
              + "along the current history; see the 'history' operation for candidates");
    }
    Instant at = clock.instant();
    boolean changed = target.snapshotId() != current.snapshotId();
    if (changed && !recomputeGold && Watermarks.GOLD_SOURCES.contains(def)) {
      Optional<Long> goldInput =
          Watermarks.newest(
              tables.load(LakehouseTables.AGG_DAILY_METRICS), Watermarks.goldKey(def));
      if (goldInput.isPresent()
          && goldInput.get() != target.snapshotId()
          && !SnapshotUtil.isAncestorOf(table, target.snapshotId(), goldInput.get())) {
        throw new InvalidArgument(
            "rolling back "
                + def.name()
                + " to "
                + target.snapshotId()
                + " would leave "
                + LakehouseTables.AGG_DAILY_METRICS.name()
                + " computed from its snapshot "
                + goldInput.get()
                + ", which the rollback takes out of the current history; to roll back anyway and have the next gold "
                + "run recompute every date, pass recomputeGold (CLI: --recompute-gold)");
      }
    }
    if (changed) {
      Transaction tx = table.newTransaction();
      tx.manageSnapshots().rollbackTo(target.snapshotId()).commit();
      tx.updateProperties()
          .set(PROPERTY_PREFIX + "by", actor)
          .set(PROPERTY_PREFIX + "reason", reason)
          .set(PROPERTY_PREFIX + "at", at.toString())
          .set(PROPERTY_PREFIX + "from-snapshot-id", Long.toString(current.snapshotId()))
          .set(PROPERTY_PREFIX + "to-snapshot-id", Long.toString(target.snapshotId()))
          .commit();
      tx.commitTransaction();
    }
    String execution = Arguments.blank(executionId) ? "admin-" + UUID.randomUUID() : executionId;
    String message =
        (changed
                ? "rolled back from " + current.snapshotId() + " to " + target.snapshotId()
                : "already at " + target.snapshotId())
            + " by "
            + actor
            + ": "
            + reason;
    runLog.record(
        PipelineRun.builder(execution, STEP)
            .table(def.name())
            .snapshotId(target.snapshotId())
            .message(message)
            .started(at)
            .finished(clock.instant())
            .build());
    return new RolledBack(
        def.name(),
        current.snapshotId(),
        target.snapshotId(),
        changed,
        actor,
        reason,
        execution,
        at);
  }
}
