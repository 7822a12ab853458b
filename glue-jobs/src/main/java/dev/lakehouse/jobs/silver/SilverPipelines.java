package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.Compaction;
import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.LakehouseSpark;
import dev.lakehouse.jobs.Quarantine;
import dev.lakehouse.jobs.SilverJob;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * The silver run every entity shares: pending bronze rows → validate → quarantine the rejects →
 * newest valid row per key → stage → quality gate → commit with the watermark. Running it again
 * with no new bronze rows changes nothing.
 */
public final class SilverPipelines {
  private SilverPipelines() {}

  public static JobResult run(
      SparkSession spark,
      SourceEntity entity,
      String executionId,
      Instant asOf,
      PlausibleDates plausible) {
    SilverEntity<?> silver =
        switch (entity) {
          case CUSTOMERS -> new CustomersSilver(asOf);
          case PRODUCTS -> new ProductsSilver();
          case ORDERS -> new OrdersSilver(asOf, plausible);
        };
    return promote(spark, silver, executionId);
  }

  static <S extends SilverEntity.Staged> JobResult promote(
      SparkSession spark, SilverEntity<S> entity, String executionId) {
    Instant started = Instant.now();
    TableDefinition silver = entity.silver();
    SilverBatch batch = SilverBatch.pending(spark, entity.bronze(), silver);
    if (batch.upToDate()) {
      return JobResult.skipped(SilverJob.STEP, silver.name(), "no new bronze rows", started);
    }
    // The run's one pass over its bronze batch: validated and materialised once; every count, the
    // quarantine and the stage come from this set, so bronze is never read twice.
    Dataset<Row> checked =
        SilverSql.supersededWithinFile(entity.validate(batch.rows()), entity.key())
            .localCheckpoint(true);
    Tally tally = Tally.of(checked, entity.key());
    if (tally.rowsIn() == 0) {
      return JobResult.skipped(SilverJob.STEP, silver.name(), "no new bronze rows", started);
    }
    long rejected = tally.rejected();
    quarantine(spark, checked, tally, silver.name(), entity.key(), executionId, started);
    Dataset<Row> latest = entity.shape(newestValid(checked, entity.key()), started);
    long rowsIn = tally.rowsIn();
    long valid = tally.valid();
    long written = tally.keys();
    if (written == 0) {
      // Every row was rejected: nothing promoted, the watermark still recorded so the rows are not
      // read again.
      SilverSql.commitNothingPromoted(spark, silver, batch.commitProperties(executionId, ""));
      return JobResult.succeeded(SilverJob.STEP, silver.name(), started)
          .withCounts(rowsIn, 0, rejected)
          .withSnapshotId(currentSnapshot(spark, silver))
          .withMessage("every row was rejected: nothing promoted")
          .withDetails(Map.of("nothingPromoted", true));
    }

    S staged = entity.stage(spark, latest, written, started);
    entity.gate(staged);
    entity.commit(
        spark,
        staged,
        batch.commitProperties(executionId, String.join(",", staged.affectedDates())),
        started);
    Long committed = currentSnapshot(spark, silver);

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("superseded", valid - written);
    details.putAll(staged.details());
    details.put("affectedDates", staged.affectedDates().size());
    details.put("fullRead", batch.fullRead());
    Map<String, Object> compacted = compactWritten(spark, entity.written());
    if (!compacted.isEmpty()) {
      details.put("compacted", compacted);
    }
    return JobResult.succeeded(SilverJob.STEP, silver.name(), started)
        .withCounts(rowsIn, written, rejected)
        .withSnapshotId(committed)
        .withDetails(details);
  }

  /**
   * Compacts the partitions of the run's tables that its writes brought to their threshold (see
   * {@link Compaction#afterWrite}), after every commit of the run: what each table rewrote, by
   * name, for the tables that rewrote anything or had to leave it for later.
   */
  static Map<String, Object> compactWritten(SparkSession spark, List<TableDefinition> tables) {
    Map<String, Object> compacted = new LinkedHashMap<>();
    for (TableDefinition table : tables) {
      Map<String, Object> outcome = Compaction.afterWrite(spark, table.identifier());
      if (!outcome.isEmpty()) {
        compacted.put(table.name(), outcome);
      }
    }
    return compacted;
  }

  /**
   * The valid rows of {@code checked}, one per trimmed key: the newest ingest, and within it the
   * last line. Duplicates across files are ordinary updates (a re-sent file); within a file {@link
   * SilverSql#supersededWithinFile} has already rejected the earlier lines.
   */
  static Dataset<Row> newestValid(Dataset<Row> checked, String keyColumn) {
    var newestFirst =
        Window.partitionBy(functions.trim(functions.col(keyColumn)))
            .orderBy(
                functions.col("_ingestion_timestamp").desc(), functions.col("_source_line").desc());
    return checked
        .where(functions.col("_reject_reason").isNull())
        .withColumn("_rank", functions.row_number().over(newestFirst))
        .where(functions.col("_rank").equalTo(1))
        .drop("_rank");
  }

  /**
   * The counts of a checked batch, in one aggregation: rows in, rejected, valid, the distinct valid
   * keys (the rows the run promotes: one per trimmed key) and the source files.
   */
  record Tally(long rowsIn, long rejected, long valid, long keys, List<String> sourceFiles) {
    static Tally of(Dataset<Row> checked, String keyColumn) {
      Column isValid = functions.col("_reject_reason").isNull();
      Row row =
          checked
              .agg(
                  functions.count(functions.lit(1)),
                  functions.count(functions.col("_reject_reason")),
                  functions.count(functions.when(isValid, functions.lit(1))),
                  functions.countDistinct(
                      functions.when(isValid, functions.trim(functions.col(keyColumn)))),
                  functions.collect_set(functions.col("_source_file")))
              .first();
      return new Tally(
          row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getList(4));
    }
  }

  /**
   * Sends the rows of {@code checked} with a {@code _reject_reason} to quarantine (stage silver),
   * replacing the silver rejects of the same source files.
   */
  static void quarantine(
      SparkSession spark,
      Dataset<Row> checked,
      Tally tally,
      String table,
      String keyColumn,
      String executionId,
      Instant at) {
    Column[] sourceColumns =
        Arrays.stream(checked.columns())
            .filter(c -> !c.startsWith("_"))
            .map(functions::col)
            .toArray(Column[]::new);
    Dataset<Row> rejects =
        checked
            .where("_reject_reason IS NOT NULL")
            .select(
                functions.lit(table).as("table_name"),
                functions.lit(SilverJob.STEP).as("stage"),
                functions.col("_source_file").as("source_file"),
                functions.col("_source_line").as("source_line"),
                functions.col(keyColumn).as("record_key"),
                functions.to_json(functions.struct(sourceColumns)).as("raw_record"),
                functions.col("_reject_reason").as("reason"),
                functions.lit(executionId).as("execution_id"),
                functions.lit(Timestamp.from(at)).as("quarantined_at"));
    Dataset<Row> aligned = spark.createDataFrame(rejects.javaRDD(), Quarantine.schema(spark));
    Quarantine.replace(spark, SilverJob.STEP, tally.sourceFiles(), aligned, tally.rejected());
  }

  static Long currentSnapshot(SparkSession spark, TableDefinition table) {
    Snapshot current =
        LakehouseSpark.icebergCatalog(spark).loadTable(table.identifier()).currentSnapshot();
    return current == null ? null : current.snapshotId();
  }
}
