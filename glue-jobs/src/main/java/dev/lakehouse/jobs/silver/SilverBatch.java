package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.tables.CommitSummary;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.Watermarks;
import dev.lakehouse.jobs.LakehouseSpark;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The bronze rows a silver run has not consumed yet. The watermark (the last bronze snapshot
 * consumed) is written into the summary of the silver table's final commit, in the same commit as
 * the data, so it can never claim rows that were not merged; rolling the silver table back rolls
 * the watermark back with it.
 */
public record SilverBatch(
    Dataset<Row> rows, Long bronzeSnapshotId, Long consumedSnapshotId, boolean fullRead) {
  public static final String SUMMARY_BRONZE_SNAPSHOT = CommitSummary.BRONZE_SNAPSHOT;
  public static final String SUMMARY_AFFECTED_DATES = CommitSummary.AFFECTED_DATES;
  public static final String SUMMARY_EXECUTION_ID = CommitSummary.EXECUTION_ID;

  public static SilverBatch pending(
      SparkSession spark, TableDefinition bronze, TableDefinition silverPrimary) {
    Catalog catalog = LakehouseSpark.icebergCatalog(spark);
    Table bronzeTable = catalog.loadTable(bronze.identifier());
    Table silverTable = catalog.loadTable(silverPrimary.identifier());
    Snapshot bronzeCurrent = bronzeTable.currentSnapshot();
    Optional<Long> consumed = Watermarks.newest(silverTable, SUMMARY_BRONZE_SNAPSHOT);
    if (bronzeCurrent == null
        || consumed.map(id -> id == bronzeCurrent.snapshotId()).orElse(false)) {
      Dataset<Row> empty = spark.table(bronze.qualifiedName()).limit(0);
      return new SilverBatch(
          empty,
          bronzeCurrent == null ? null : bronzeCurrent.snapshotId(),
          consumed.orElse(null),
          false);
    }
    boolean incremental =
        consumed.isPresent()
            && SnapshotUtil.isAncestorOf(bronzeTable, bronzeCurrent.snapshotId(), consumed.get());
    var reader = spark.read().format("iceberg");
    Dataset<Row> rows =
        incremental
            ? reader
                .option("start-snapshot-id", consumed.get())
                .option("end-snapshot-id", bronzeCurrent.snapshotId())
                .load(bronze.qualifiedName())
            // First run, or the watermark's snapshot expired: read everything; MERGE makes
            // re-reading harmless.
            : reader.option("snapshot-id", bronzeCurrent.snapshotId()).load(bronze.qualifiedName());
    return new SilverBatch(rows, bronzeCurrent.snapshotId(), consumed.orElse(null), !incremental);
  }

  /**
   * True when silver has consumed bronze's current snapshot (or bronze is empty): nothing to read.
   */
  public boolean upToDate() {
    return bronzeSnapshotId == null || bronzeSnapshotId.equals(consumedSnapshotId);
  }

  /** Summary properties of the final silver commit. */
  public Map<String, String> commitProperties(String executionId, String affectedDates) {
    return Map.of(
        SUMMARY_BRONZE_SNAPSHOT, String.valueOf(bronzeSnapshotId),
        SUMMARY_AFFECTED_DATES, affectedDates,
        SUMMARY_EXECUTION_ID, executionId);
  }
}
