package dev.lakehouse.core.maintenance;

import dev.lakehouse.core.admin.InvalidArgument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Rewrites the current snapshot's data manifests, clustered by partition spec and partition, so
 * planning reads few large manifests instead of one small manifest per commit. Iceberg core {@code
 * table.rewriteManifests()}; named apart from Iceberg's {@code RewriteManifests} interface, which
 * that call answers.
 */
public final class ManifestRewrite {
  private final Table table;
  private int minManifests;
  private boolean dryRun;

  ManifestRewrite(Table table, int minManifests) {
    this.table = table;
    this.minManifests = minManifests;
  }

  /** Skip the rewrite when the current snapshot has fewer data manifests than this. */
  public ManifestRewrite minManifests(int value) {
    if (value < 1) {
      throw new InvalidArgument("minManifests must be at least 1, was " + value);
    }
    this.minManifests = value;
    return this;
  }

  public ManifestRewrite dryRun() {
    return dryRun(true);
  }

  public ManifestRewrite dryRun(boolean value) {
    this.dryRun = value;
    return this;
  }

  public record Result(
      String table,
      boolean dryRun,
      boolean rewritten,
      int manifestsBefore,
      int manifestsAfter,
      Long snapshotId,
      String note) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("table", table);
      m.put("operation", "rewriteManifests");
      m.put("dryRun", dryRun);
      m.put("rewritten", rewritten);
      m.put("manifestsBefore", manifestsBefore);
      m.put("manifestsAfter", manifestsAfter);
      m.put("snapshotId", snapshotId);
      m.put("note", note);
      return m;
    }
  }

  public Result execute() {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return new Result(table.name(), dryRun, false, 0, 0, null, "table has no snapshot");
    }
    int before = dataManifests(current);
    if (before < minManifests) {
      return new Result(
          table.name(),
          dryRun,
          false,
          before,
          before,
          current.snapshotId(),
          "fewer than " + minManifests + " data manifests: nothing to do");
    }
    if (dryRun) {
      return new Result(
          table.name(),
          true,
          false,
          before,
          before,
          current.snapshotId(),
          "would rewrite " + before + " data manifests");
    }
    table.rewriteManifests().clusterBy(file -> file.specId() + "/" + file.partition()).commit();
    table.refresh();
    Snapshot after = table.currentSnapshot();
    return new Result(
        table.name(),
        false,
        true,
        before,
        dataManifests(after),
        after.snapshotId(),
        "rewrote " + before + " data manifests");
  }

  private int dataManifests(Snapshot snapshot) {
    List<ManifestFile> all = snapshot.allManifests(table.io());
    return (int) all.stream().filter(m -> m.content() == ManifestContent.DATA).count();
  }
}
