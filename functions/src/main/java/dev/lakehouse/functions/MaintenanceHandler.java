package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.maintenance.ManifestRewrite;
import dev.lakehouse.core.maintenance.RemoveOrphanFiles;
import dev.lakehouse.core.maintenance.SnapshotExpiry;
import dev.lakehouse.core.maintenance.TableMaintenance;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.functions.support.Args;
import dev.lakehouse.functions.support.Clients;
import dev.lakehouse.functions.support.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Table maintenance: {@code {"operation": "expireSnapshots" | "rewriteManifests" |
 * "removeOrphanFiles" | "all", "table": "curated_orders", "olderThanDays": 7, "retainLast": 5,
 * "dryRun": false}}. Without {@code table}, every declared table. Defaults come from table
 * properties (see {@link TableMaintenance}).
 *
 * <p>Orphan removal lists at most {@code maxListedFiles} files per call (default {@value
 * #DEFAULT_MAX_LISTED_FILES}, well inside the 15-minute limit) and answers {@code continueAfter}:
 * the next call passes it as {@code startAfter} to go on ("" when the table's listing is complete).
 * The maintenance state machine loops on it.
 */
public final class MaintenanceHandler extends SnapStartHandler {
  public static final List<String> OPERATIONS =
      List.of("expireSnapshots", "rewriteManifests", "removeOrphanFiles", "all");
  public static final long DEFAULT_MAX_LISTED_FILES = 200_000;

  /** Which part of a table's listing one orphan-removal call decides. */
  private record Window(String startAfter, long maxListedFiles) {}

  private final Supplier<TableMaintenance> maintenance;

  public MaintenanceHandler() {
    this.maintenance =
        Clients.Lazy.of(() -> new TableMaintenance(Clients.catalog().get(), Clock.systemUTC()));
    registerForSnapStart();
  }

  public MaintenanceHandler(TableMaintenance maintenance) {
    this.maintenance = () -> maintenance;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Args args = new Args(event);
    String operation = args.string("operation");
    return Telemetry.invoke(
        "Maintenance",
        operation == null ? "none" : operation,
        context,
        correlationId(event, context),
        rec -> {
          if (operation == null || !OPERATIONS.contains(operation)) {
            throw new InvalidArgument(
                "unknown or missing operation '" + operation + "'; one of " + OPERATIONS);
          }
          boolean dryRun = args.bool("dryRun", false);
          Duration olderThan = duration(args);
          Integer retainLast = args.intValue("retainLast");
          Long max = args.longValue("maxListedFiles");
          long maxListed = max == null ? DEFAULT_MAX_LISTED_FILES : max;
          if (args.has("table")) {
            String table = LakehouseTables.byName(args.string("table")).name();
            rec.annotate("Table", table);
            return forTable(
                operation,
                table,
                olderThan,
                retainLast,
                dryRun,
                new Window(args.string("startAfter"), maxListed),
                rec);
          }
          List<Object> results = new ArrayList<>();
          for (TableDefinition t : LakehouseTables.all()) {
            results.add(
                forTable(
                    operation,
                    t.name(),
                    olderThan,
                    retainLast,
                    dryRun,
                    new Window(null, maxListed),
                    rec));
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("operation", operation);
          out.put("dryRun", dryRun);
          out.put("results", results);
          return out;
        });
  }

  private Map<String, Object> forTable(
      String operation,
      String table,
      Duration olderThan,
      Integer retainLast,
      boolean dryRun,
      Window window,
      Telemetry.Recorder rec) {
    TableMaintenance m = maintenance.get();
    return switch (operation) {
      case "expireSnapshots" -> expire(m, table, olderThan, retainLast, dryRun, rec);
      case "rewriteManifests" -> rewrite(m, table, dryRun, rec);
      case "removeOrphanFiles" -> orphans(m, table, olderThan, dryRun, window, rec);
      default -> {
        // "all": each step with its table-property defaults, in the order that frees the most.
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("table", table);
        out.put("operation", "all");
        out.put("expireSnapshots", expire(m, table, null, null, dryRun, rec));
        out.put("rewriteManifests", rewrite(m, table, dryRun, rec));
        out.put("removeOrphanFiles", orphans(m, table, null, dryRun, window, rec));
        yield out;
      }
    };
  }

  private static Map<String, Object> expire(
      TableMaintenance m,
      String table,
      Duration olderThan,
      Integer retainLast,
      boolean dryRun,
      Telemetry.Recorder rec) {
    SnapshotExpiry op = m.expireSnapshots(table).dryRun(dryRun);
    if (olderThan != null) {
      op.olderThan(olderThan);
    }
    if (retainLast != null) {
      op.retainLast(retainLast);
    }
    SnapshotExpiry.Result r = op.execute();
    rec.count("SnapshotsExpired", r.expiredSnapshotIds().size());
    if (r.deletedDataFiles() != null) {
      rec.count(
          "FilesDeleted",
          r.deletedDataFiles()
              + r.deletedDeleteFiles()
              + r.deletedManifests()
              + r.deletedManifestLists()
              + r.deletedOtherFiles());
      rec.bytes("BytesDeleted", r.deletedBytes());
    }
    return r.toMap();
  }

  private static Map<String, Object> rewrite(
      TableMaintenance m, String table, boolean dryRun, Telemetry.Recorder rec) {
    ManifestRewrite.Result r = m.rewriteManifests(table).dryRun(dryRun).execute();
    rec.count("ManifestsRewritten", r.rewritten() ? r.manifestsBefore() : 0);
    return r.toMap();
  }

  private static Map<String, Object> orphans(
      TableMaintenance m,
      String table,
      Duration olderThan,
      boolean dryRun,
      Window window,
      Telemetry.Recorder rec) {
    RemoveOrphanFiles op =
        m.removeOrphanFiles(table)
            .dryRun(dryRun)
            .startAfter(window.startAfter())
            .maxListedFiles(window.maxListedFiles());
    if (olderThan != null) {
      op.olderThan(olderThan);
    }
    RemoveOrphanFiles.Result r = op.execute();
    rec.count("OrphanFiles", r.orphanFiles()).count("FilesDeleted", r.deletedFiles());
    rec.bytes("BytesDeleted", dryRun ? 0 : r.orphanBytes());
    return r.toMap();
  }

  private static Duration duration(Args args) {
    Double days = args.doubleValue("olderThanDays");
    Double hours = args.doubleValue("olderThanHours");
    if (days != null && hours != null) {
      throw new InvalidArgument("give olderThanDays or olderThanHours, not both");
    }
    if (days != null) {
      return Duration.ofMillis(Math.round(days * 86_400_000d));
    }
    return hours == null ? null : Duration.ofMillis(Math.round(hours * 3_600_000d));
  }
}
