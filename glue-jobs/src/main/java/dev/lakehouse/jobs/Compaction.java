package dev.lakehouse.jobs;

import dev.lakehouse.core.tables.TableProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewritePositionDeleteFiles;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * Compacting one table with Iceberg's Spark actions: a partition's data files are rewritten
 * (binpack, or sort when the table declares a sort order) once it holds {@link #minInputFiles} of
 * them or one of its files carries that many delete files (or Iceberg's 30% of its rows deleted);
 * optionally the deletes they pointed at are dropped and position delete files rewritten. Planning
 * reads only the table's manifests, so a table with nothing worth rewriting costs no Spark job and
 * no commit.
 *
 * <p>Used by the nightly {@link CompactionJob} and by the silver jobs right after their commits
 * (see {@link #afterWrite}), so a table's partitions stay near one file each between nights.
 */
public final class Compaction {
  private final SparkSession spark;
  private final Table table;

  /** Set by {@link #minInputFiles(int)}; otherwise the table's, read when the compaction runs. */
  private Integer minInputFiles;

  private Long targetFileSizeBytes;
  private boolean positionDeletes;
  private boolean partialProgress;

  private Compaction(SparkSession spark, Table table) {
    this.spark = spark;
    this.table = table;
  }

  /** Compaction of {@code table} at its declared threshold, data files only, one commit. */
  public static Compaction of(SparkSession spark, Table table) {
    return new Compaction(spark, table);
  }

  /** Rewrite a partition's files only once it holds at least this many (default: the table's). */
  public Compaction minInputFiles(int files) {
    if (files < 1) {
      throw new IllegalArgumentException("min input files must be at least 1, was " + files);
    }
    this.minInputFiles = files;
    return this;
  }

  /**
   * The size files are rewritten to (default: the table's {@code write.target-file-size-bytes}).
   */
  public Compaction targetFileSizeBytes(long bytes) {
    this.targetFileSizeBytes = bytes;
    return this;
  }

  /**
   * Also drop the deletes of rewritten data files, and rewrite position delete files that reach the
   * threshold (the nightly run does; each takes a commit of its own).
   */
  public Compaction withPositionDeletes() {
    this.positionDeletes = true;
    return this;
  }

  /**
   * Commit partition groups as they finish instead of once at the end: a long rewrite of a large
   * table keeps what it did when a later group loses to a concurrent writer.
   */
  public Compaction partialProgress() {
    this.partialProgress = true;
    return this;
  }

  public Result execute() {
    // An explicit threshold stands even when the table's property is malformed: an operator can
    // still compact the table while the property is being fixed.
    int minInputFiles =
        this.minInputFiles != null
            ? this.minInputFiles
            : TableProperties.compactMinInputFiles(table.properties());
    boolean sorted = table.sortOrder().isSorted();
    if (table.currentSnapshot() == null) {
      return new Result(sorted ? "sort" : "binpack", minInputFiles, 0, 0, 0, 0, 0);
    }
    String threshold = Integer.toString(minInputFiles);
    RewriteDataFiles rewrite =
        SparkActions.get(spark)
            .rewriteDataFiles(table)
            .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, threshold)
            .option(BinPackRewriteFilePlanner.DELETE_FILE_THRESHOLD, threshold)
            .option(RewriteDataFiles.PARTIAL_PROGRESS_ENABLED, Boolean.toString(partialProgress))
            // Deletes whose data files were just rewritten point at nothing: the nightly run drops
            // them, in a commit of its own. No scan opens them meanwhile (each names the one data
            // file it belongs to), so a compaction after a write stays one commit.
            .option(RewriteDataFiles.REMOVE_DANGLING_DELETES, Boolean.toString(positionDeletes));
    if (targetFileSizeBytes != null) {
      rewrite.option(RewriteDataFiles.TARGET_FILE_SIZE_BYTES, Long.toString(targetFileSizeBytes));
    }
    RewriteDataFiles.Result data = (sorted ? rewrite.sort() : rewrite.binPack()).execute();
    RewritePositionDeleteFiles.Result deletes =
        positionDeletes
            ? SparkActions.get(spark)
                .rewritePositionDeletes(table)
                .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, threshold)
                .option(SizeBasedFileRewritePlanner.REWRITE_ALL, "false")
                .execute()
            : null;
    return new Result(
        sorted ? "sort" : "binpack",
        minInputFiles,
        data.rewrittenDataFilesCount(),
        data.addedDataFilesCount(),
        data.rewrittenBytesCount(),
        data.removedDeleteFilesCount()
            + (deletes == null ? 0 : deletes.rewrittenDeleteFilesCount()),
        deletes == null ? 0 : deletes.addedDeleteFilesCount());
  }

  /**
   * What a silver job does after its commits: compact the partitions of the table that reached its
   * threshold, unless the table turns it off ({@value TableProperties#COMPACT_AFTER_WRITE}). Its
   * details, or none when nothing reached the threshold. The rows are already committed with their
   * watermark, so a compaction that fails (a concurrent writer rewrote the same files, storage went
   * away) loses nothing and must not fail the run: its rerun would find the rows consumed and not
   * compact either. It is reported and left to the next run or the nightly maintenance.
   */
  public static Map<String, Object> afterWrite(SparkSession spark, TableIdentifier identifier) {
    Map<String, Object> outcome = new LinkedHashMap<>();
    try {
      Table table = LakehouseSpark.icebergCatalog(spark).loadTable(identifier);
      if (TableProperties.compactAfterWrite(table.properties(), table.spec().isPartitioned())) {
        Result result = of(spark, table).execute();
        if (result.rewroteAnything()) {
          outcome.putAll(result.details());
        }
      }
    } catch (RuntimeException e) {
      outcome.put("compactionDeferred", String.valueOf(e.getMessage()));
    }
    return outcome;
  }

  /** What one compaction rewrote; nothing when no partition reached the threshold. */
  public record Result(
      String strategy,
      int minInputFiles,
      long rewrittenDataFiles,
      long addedDataFiles,
      long rewrittenBytes,
      long removedDeleteFiles,
      long addedDeleteFiles) {
    public boolean rewroteAnything() {
      return rewrittenDataFiles > 0 || removedDeleteFiles > 0;
    }

    public Map<String, Object> details() {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("rewrittenDataFiles", rewrittenDataFiles);
      details.put("addedDataFiles", addedDataFiles);
      details.put("rewrittenBytes", rewrittenBytes);
      details.put("removedDeleteFiles", removedDeleteFiles);
      details.put("addedDeleteFiles", addedDeleteFiles);
      details.put("strategy", strategy);
      details.put("minInputFiles", minInputFiles);
      return details;
    }
  }
}
