package dev.lakehouse.jobs;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewritePositionDeleteFiles;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Compaction for one table: rewriting data files (binpack, or sort when the table declares a sort
 * order) and rewriting position delete files, which folds merge-on-read deletes back into the data.
 * Both are Iceberg's Spark actions; a run that finds nothing worth rewriting commits nothing.
 */
@Command(
    name = CompactionJob.STEP,
    description = "Compact one table's data files and position deletes.")
public final class CompactionJob extends BaseSparkJob {
  public static final String STEP = "compaction";

  @Option(
      names = "--table",
      required = true,
      description = "Table to compact, e.g. curated_orders.")
  private String table;

  @Option(
      names = "--target-file-size-bytes",
      description = "Target data file size (default: the table's write.target-file-size-bytes).")
  private Long targetFileSizeBytes;

  @Option(
      names = "--min-input-files",
      defaultValue = "5",
      description =
          "Rewrite a file group only when it has at least this many files (default ${DEFAULT-VALUE}).")
  private int minInputFiles;

  public static void main(String[] args) {
    JobMain.run(new CompactionJob(), args);
  }

  public static CompactionJob fromArgs(String... args) {
    return JobMain.parse(new CompactionJob(), args);
  }

  @Override
  public JobResult execute(SparkSession spark) {
    Instant started = Instant.now();
    TableDefinition definition = LakehouseTables.byName(table);
    Table iceberg = LakehouseSpark.icebergCatalog(spark).loadTable(definition.identifier());
    if (iceberg.currentSnapshot() == null) {
      return JobResult.skipped(STEP, definition.name(), "table is empty", started);
    }
    long before = iceberg.currentSnapshot().snapshotId();
    boolean sorted = iceberg.sortOrder().isSorted();
    RewriteDataFiles rewrite =
        SparkActions.get(spark)
            .rewriteDataFiles(iceberg)
            .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, Integer.toString(minInputFiles))
            .option(RewriteDataFiles.PARTIAL_PROGRESS_ENABLED, "true")
            // Deletes whose data files were just rewritten point at nothing: drop them in the same
            // commit.
            .option(RewriteDataFiles.REMOVE_DANGLING_DELETES, "true");
    if (targetFileSizeBytes != null) {
      rewrite.option(RewriteDataFiles.TARGET_FILE_SIZE_BYTES, Long.toString(targetFileSizeBytes));
    }
    RewriteDataFiles.Result data = (sorted ? rewrite.sort() : rewrite.binPack()).execute();
    RewritePositionDeleteFiles.Result deletes =
        SparkActions.get(spark)
            .rewritePositionDeletes(iceberg)
            .option(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, Integer.toString(minInputFiles))
            .option(SizeBasedFileRewritePlanner.REWRITE_ALL, "false")
            .execute();
    iceberg.refresh();

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rewrittenDataFiles", data.rewrittenDataFilesCount());
    details.put("addedDataFiles", data.addedDataFilesCount());
    details.put("rewrittenBytes", data.rewrittenBytesCount());
    details.put("rewrittenDeleteFiles", deletes.rewrittenDeleteFilesCount());
    details.put("addedDeleteFiles", deletes.addedDeleteFilesCount());
    details.put("strategy", sorted ? "sort" : "binpack");
    long after = iceberg.currentSnapshot().snapshotId();
    JobResult result =
        after == before
            ? JobResult.skipped(STEP, definition.name(), "nothing to compact", started)
            : JobResult.succeeded(STEP, definition.name(), started);
    return result
        .withCounts(data.rewrittenDataFilesCount(), data.addedDataFilesCount(), 0)
        .withSnapshotId(after)
        .withDetails(details);
  }
}
