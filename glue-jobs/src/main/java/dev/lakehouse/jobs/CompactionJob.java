package dev.lakehouse.jobs;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.TableProperties;
import java.time.Instant;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Nightly compaction of one table ({@link Compaction} with position deletes, committing partition
 * groups as they finish): folds small files and merge-on-read deletes back into the data. A run
 * that finds nothing worth rewriting commits nothing.
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
      description =
          "Rewrite a partition's files only once it holds at least this many (default: the table's "
              + TableProperties.COMPACT_MIN_INPUT_FILES
              + ", "
              + TableProperties.DEFAULT_COMPACT_MIN_INPUT_FILES
              + " when unset).")
  private Integer minInputFiles;

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
    Compaction compaction = Compaction.of(spark, iceberg).withPositionDeletes().partialProgress();
    if (minInputFiles != null) {
      compaction.minInputFiles(minInputFiles);
    }
    if (targetFileSizeBytes != null) {
      compaction.targetFileSizeBytes(targetFileSizeBytes);
    }
    Compaction.Result done = compaction.execute();
    iceberg.refresh();
    long after = iceberg.currentSnapshot().snapshotId();
    JobResult result =
        after == before
            ? JobResult.skipped(STEP, definition.name(), "nothing to compact", started)
            : JobResult.succeeded(STEP, definition.name(), started);
    return result
        .withCounts(done.rewrittenDataFiles(), done.addedDataFiles(), 0)
        .withSnapshotId(after)
        .withDetails(done.details());
  }
}
