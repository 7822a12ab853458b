package dev.lakehouse.jobs;

import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.silver.PlausibleDates;
import dev.lakehouse.jobs.silver.SilverPipelines;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Silver: validates, deduplicates and MERGEs the bronze rows of one entity that no silver run has consumed yet.
 * Running it again with no new bronze rows changes nothing. Invalid records go to quarantine with the reason.
 */
@Command(name = SilverJob.STEP, description = "Curate the pending bronze rows of one entity.")
public final class SilverJob implements SparkJob {
  public static final String STEP = "silver";

  @Mixin private final JobArguments common = new JobArguments();

  @Option(names = "--entity", required = true, description = "customers | products | orders")
  private String entity;

  @Option(names = "--as-of", description = "Run time for time-relative rules such as is_active (default: now).")
  private Instant asOf;

  @Option(names = "--plausible-since", defaultValue = PlausibleDates.DEFAULT_SINCE,
      description = "Order dates before this day (UTC) are quarantined as implausible (default ${DEFAULT-VALUE}).")
  private java.time.LocalDate plausibleSince;

  @Option(names = "--plausible-ahead-hours", defaultValue = PlausibleDates.DEFAULT_AHEAD_HOURS,
      description = "Order dates more than this many hours after the run are quarantined (default ${DEFAULT-VALUE}).")
  private int plausibleAheadHours;

  public static void main(String[] args) {
    JobMain.run(new SilverJob(), args);
  }

  public static SilverJob fromArgs(String... args) {
    return JobMain.parse(new SilverJob(), args);
  }

  @Override
  public JobArguments common() {
    return common;
  }

  @Override
  public String step() {
    return STEP;
  }

  @Override
  public JobResult execute(SparkSession spark) {
    SourceEntity source = SourceEntity.find(entity).orElseThrow(() ->
        new IllegalArgumentException("unknown entity '" + entity + "': expected customers, products or orders"));
    Instant runTime = asOf != null ? asOf : Instant.now();
    return SilverPipelines.run(spark, source, common.executionIdOrNew(), runTime,
        new PlausibleDates(plausibleSince.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
            java.time.Duration.ofHours(plausibleAheadHours)));
  }

  public static JobResult nothingToDo(String table, Instant started) {
    return JobResult.skipped(STEP, table, "no new bronze rows", started);
  }

  /** Every row of the batch was rejected: quarantined with reasons, nothing promoted, the watermark recorded. */
  public static JobResult nothingPromoted(TableDefinition table, long rowsIn, long rejected, SparkSession spark,
      Instant started) {
    return JobResult.succeeded(STEP, table.name(), started).withCounts(rowsIn, 0, rejected)
        .withSnapshotId(currentSnapshot(spark, table)).withMessage("every row was rejected: nothing promoted")
        .withDetails(Map.of("nothingPromoted", true));
  }

  public static Long currentSnapshot(SparkSession spark, TableDefinition table) {
    Snapshot current = LakehouseSpark.icebergCatalog(spark).loadTable(table.identifier()).currentSnapshot();
    return current == null ? null : current.snapshotId();
  }

  /**
   * Sends the rows of {@code checkedView} with a {@code _reject_reason} to quarantine (stage silver), replacing the
   * silver rejects of the same source files. Returns how many were rejected.
   */
  public static long quarantine(SparkSession spark, String checkedView, String table, String keyColumn,
      String executionId, Instant at) {
    Dataset<Row> checked = spark.table(checkedView);
    List<String> sourceFiles = checked.select("_source_file").distinct().collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    String[] sourceColumns = java.util.Arrays.stream(checked.columns())
        .filter(c -> !c.startsWith("_")).toArray(String[]::new);
    Dataset<Row> rejects = checked.where("_reject_reason IS NOT NULL").select(
        functions.lit(table).as("table_name"),
        functions.lit(STEP).as("stage"),
        functions.col("_source_file").as("source_file"),
        functions.col("_source_line").as("source_line"),
        functions.col(keyColumn).as("record_key"),
        functions.to_json(functions.struct(java.util.Arrays.stream(sourceColumns).map(functions::col)
            .toArray(org.apache.spark.sql.Column[]::new))).as("raw_record"),
        functions.col("_reject_reason").as("reason"),
        functions.lit(executionId).as("execution_id"),
        functions.lit(Timestamp.from(at)).as("quarantined_at"));
    Dataset<Row> aligned = spark.createDataFrame(rejects.javaRDD(), Quarantine.schema(spark));
    return Quarantine.replace(spark, STEP, sourceFiles, aligned);
  }
}
