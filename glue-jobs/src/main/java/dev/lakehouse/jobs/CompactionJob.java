package dev.lakehouse.jobs;

import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Compaction for one table: {@code rewrite_data_files} (binpack, or sort when the table declares a sort order) and
 * {@code rewrite_position_delete_files}, which folds merge-on-read deletes back into the data. Both are Iceberg's
 * Spark procedures; a run that finds nothing worth rewriting commits nothing.
 */
@Command(name = "compaction", description = "Compact one table's data files and position deletes.")
public final class CompactionJob {
  public static final String STEP = "compaction";

  @Mixin public JobArguments common = new JobArguments();

  @Option(names = "--table", required = true, description = "Table to compact, e.g. curated_orders.")
  public String table;

  @Option(names = "--target-file-size-bytes", description = "Target data file size (default: the table's write.target-file-size-bytes).")
  public Long targetFileSizeBytes;

  @Option(names = "--min-input-files", defaultValue = "5", description = "Rewrite a file group only when it has at least this many files (default ${DEFAULT-VALUE}).")
  public int minInputFiles;

  public static void main(String[] args) {
    JobMain.run(new CompactionJob(), args, (job, spark) -> job.run(spark));
  }

  public static CompactionJob fromArgs(String... args) {
    return JobMain.parse(new CompactionJob(), args);
  }

  public JobResult run(SparkSession spark) {
    Instant started = Instant.now();
    TableDefinition definition = LakehouseTables.byName(table);
    Table iceberg = LakehouseSpark.icebergCatalog(spark).loadTable(definition.identifier());
    if (iceberg.currentSnapshot() == null) {
      return new JobResult(STEP, definition.name(), RunStatus.SKIPPED, 0, 0, 0, null, "table is empty", started,
          Instant.now(), Map.of());
    }
    long before = iceberg.currentSnapshot().snapshotId();
    String name = "'" + definition.qualifiedName() + "'";
    String strategy = iceberg.sortOrder().isSorted() ? "'sort'" : "'binpack'";
    List<String> options = new java.util.ArrayList<>(List.of(
        "'min-input-files', '" + minInputFiles + "'",
        "'partial-progress.enabled', 'true'",
        // Deletes whose data files were just rewritten point at nothing: drop them in the same commit.
        "'remove-dangling-deletes', 'true'"));
    if (targetFileSizeBytes != null) {
      options.add("'target-file-size-bytes', '" + targetFileSizeBytes + "'");
    }
    Row data = spark.sql("CALL " + catalog() + ".system.rewrite_data_files(table => " + name + ", strategy => " + strategy
        + ", options => map(" + String.join(", ", options) + "))").first();
    Row deletes = spark.sql("CALL " + catalog() + ".system.rewrite_position_delete_files(table => " + name
        + ", options => map('min-input-files', '" + minInputFiles + "', 'rewrite-all', 'false'))").first();
    iceberg.refresh();

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rewrittenDataFiles", data.getAs("rewritten_data_files_count"));
    details.put("addedDataFiles", data.getAs("added_data_files_count"));
    details.put("rewrittenBytes", data.getAs("rewritten_bytes_count"));
    details.put("rewrittenDeleteFiles", deletes.getAs("rewritten_delete_files_count"));
    details.put("addedDeleteFiles", deletes.getAs("added_delete_files_count"));
    details.put("strategy", strategy.replace("'", ""));
    long after = iceberg.currentSnapshot().snapshotId();
    int rewritten = ((Number) data.getAs("rewritten_data_files_count")).intValue();
    return new JobResult(STEP, definition.name(), after == before ? RunStatus.SKIPPED : RunStatus.SUCCEEDED,
        rewritten, ((Number) data.getAs("added_data_files_count")).longValue(), 0, after,
        after == before ? "nothing to compact" : null, started, Instant.now(), details);
  }

  private static String catalog() {
    return dev.lakehouse.core.catalog.CatalogSettings.SPARK_CATALOG_NAME;
  }
}
