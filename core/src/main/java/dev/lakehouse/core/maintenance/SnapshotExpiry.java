package dev.lakehouse.core.maintenance;

import dev.lakehouse.core.admin.InvalidArgument;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsBulkOperations;

/**
 * Expires snapshots older than an age while always keeping the last K, through Iceberg's core
 * {@code table.expireSnapshots()}; files no longer reachable are deleted through the table's
 * FileIO, in bulk when it supports it ({@link SupportsBulkOperations}). Named apart from Iceberg's
 * {@code ExpireSnapshots} interface, which {@code table.expireSnapshots()} answers. In dry-run mode
 * it only answers which snapshots would expire.
 */
public final class SnapshotExpiry {
  private final Table table;
  private final Clock clock;
  private Duration olderThan;
  private int retainLast;
  private boolean dryRun;

  SnapshotExpiry(Table table, Clock clock, Duration olderThan, int retainLast) {
    this.table = table;
    this.clock = clock;
    this.olderThan = olderThan;
    this.retainLast = retainLast;
  }

  public SnapshotExpiry olderThan(Duration value) {
    if (value == null || value.isNegative()) {
      throw new InvalidArgument("olderThan must be zero or positive, was " + value);
    }
    this.olderThan = value;
    return this;
  }

  public SnapshotExpiry retainLast(int value) {
    if (value < 1) {
      throw new InvalidArgument(
          "retainLast must be at least 1 (the current snapshot is always kept), was " + value);
    }
    this.retainLast = value;
    return this;
  }

  public SnapshotExpiry dryRun() {
    return dryRun(true);
  }

  public SnapshotExpiry dryRun(boolean value) {
    this.dryRun = value;
    return this;
  }

  /** What expiring did, or would do in dry-run mode (file counts are then unknown: null). */
  public record Result(
      String table,
      boolean dryRun,
      Instant expiredBefore,
      int retainLast,
      List<Long> expiredSnapshotIds,
      int snapshotsBefore,
      int snapshotsAfter,
      Long deletedDataFiles,
      Long deletedDeleteFiles,
      Long deletedManifests,
      Long deletedManifestLists,
      Long deletedOtherFiles,
      Long deletedBytes) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("table", table);
      m.put("operation", "expireSnapshots");
      m.put("dryRun", dryRun);
      m.put("expiredBefore", expiredBefore.toString());
      m.put("retainLast", retainLast);
      m.put("expiredSnapshots", expiredSnapshotIds.size());
      m.put("expiredSnapshotIds", expiredSnapshotIds);
      m.put("snapshotsBefore", snapshotsBefore);
      m.put("snapshotsAfter", snapshotsAfter);
      m.put("deletedDataFiles", deletedDataFiles);
      m.put("deletedDeleteFiles", deletedDeleteFiles);
      m.put("deletedManifests", deletedManifests);
      m.put("deletedManifestLists", deletedManifestLists);
      m.put("deletedOtherFiles", deletedOtherFiles);
      m.put("deletedBytes", deletedBytes);
      return m;
    }
  }

  public Result execute() {
    table.refresh();
    Instant cutoff = clock.instant().minus(olderThan);
    List<Long> before = snapshotIds(table);
    String name = table.name();
    if (before.isEmpty()) {
      return new Result(
          name,
          dryRun,
          cutoff,
          retainLast,
          List.of(),
          0,
          0,
          dryRun ? null : 0L,
          dryRun ? null : 0L,
          dryRun ? null : 0L,
          dryRun ? null : 0L,
          dryRun ? null : 0L,
          dryRun ? null : 0L);
    }
    var expire =
        table.expireSnapshots().expireOlderThan(cutoff.toEpochMilli()).retainLast(retainLast);
    if (dryRun) {
      // apply() answers the snapshots that would be removed, without committing or deleting
      // anything.
      List<Long> expired = new ArrayList<>();
      for (Snapshot s : expire.apply()) {
        expired.add(s.snapshotId());
      }
      expired.sort(java.util.Comparator.comparingInt(before::indexOf));
      return new Result(
          name,
          true,
          cutoff,
          retainLast,
          expired,
          before.size(),
          before.size() - expired.size(),
          null,
          null,
          null,
          null,
          null,
          null);
    }
    FileIO io = table.io();
    // Iceberg names the files no snapshot references any more; they are deleted after the commit,
    // all at once, so a
    // FileIO with bulk deletion (S3FileIO: one DeleteObjects request per batch of keys) is not
    // asked file by file.
    Map<String, Long> unreferenced = new ConcurrentHashMap<>();
    expire.deleteWith(path -> unreferenced.put(path, lengthOf(io, path))).commit();
    long data = 0;
    long deletes = 0;
    long manifests = 0;
    long manifestLists = 0;
    long other = 0;
    long bytes = 0;
    for (String path : delete(io, unreferenced.keySet())) {
      bytes += Math.max(unreferenced.get(path), 0);
      String file = path.substring(path.lastIndexOf('/') + 1);
      if (file.startsWith("snap-")) {
        manifestLists++;
      } else if (file.endsWith(".avro")) {
        manifests++;
      } else if (file.contains("-deletes") || file.contains("delete")) {
        deletes++;
      } else if (file.endsWith(".parquet") || file.endsWith(".orc")) {
        data++;
      } else {
        other++;
      }
    }
    table.refresh();
    List<Long> after = snapshotIds(table);
    List<Long> expired = new ArrayList<>(before);
    expired.removeAll(after);
    return new Result(
        name,
        false,
        cutoff,
        retainLast,
        expired,
        before.size(),
        after.size(),
        data,
        deletes,
        manifests,
        manifestLists,
        other,
        bytes);
  }

  /**
   * Deletes the files, in bulk when the FileIO supports it, and answers those that are gone. A file
   * that cannot be deleted is left in place, as Iceberg's own cleanup leaves it: the snapshot is
   * already expired, and orphan removal deletes the file later.
   */
  private static Collection<String> delete(FileIO io, Collection<String> paths) {
    if (paths.isEmpty()) {
      return List.of();
    }
    if (io instanceof SupportsBulkOperations bulk) {
      try {
        bulk.deleteFiles(paths);
        return paths;
      } catch (BulkDeletionFailureException e) {
        // It counts the failures without naming them: the files still there are the ones that
        // failed.
        return paths.stream().filter(path -> !exists(io, path)).toList();
      }
    }
    List<String> deleted = new ArrayList<>();
    for (String path : paths) {
      try {
        io.deleteFile(path);
        deleted.add(path);
      } catch (RuntimeException leftForOrphanRemoval) {
        // see above
      }
    }
    return deleted;
  }

  private static boolean exists(FileIO io, String path) {
    try {
      return io.newInputFile(path).exists();
    } catch (RuntimeException unknown) {
      return true;
    }
  }

  private static long lengthOf(FileIO io, String path) {
    try {
      return io.newInputFile(path).getLength();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static List<Long> snapshotIds(Table table) {
    List<Long> ids = new ArrayList<>();
    table.snapshots().forEach(s -> ids.add(s.snapshotId()));
    return ids;
  }
}
