package dev.lakehouse.jobs;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.jobs.silver.SilverSql;
import java.sql.Timestamp;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Writes rejected records to {@code quarantine}. A write replaces the earlier rejects of the same
 * stage for the same sources in one atomic overwrite, so a rerun of a step never duplicates them.
 */
public final class Quarantine {
  public static final String TABLE = LakehouseTables.QUARANTINE.qualifiedName();

  private static final String SOURCE_FILE = "source_file";

  private Quarantine() {}

  /** Quarantine's Spark schema, from the table itself. */
  public static StructType schema(SparkSession spark) {
    return spark.table(TABLE).schema();
  }

  /** A quarantine row in table column order. */
  public static Row row(
      String table,
      String stage,
      String sourceFile,
      Long line,
      String recordKey,
      String raw,
      String reason,
      String executionId,
      Timestamp at) {
    return RowFactory.create(
        table, stage, sourceFile, line, recordKey, raw, reason, executionId, at);
  }

  /**
   * Replaces the rejects of {@code stage} for {@code sourceFiles} with {@code rows} in one atomic
   * commit (a MERGE that inserts the new rejects and deletes the old ones). Does nothing when there
   * is nothing to remove or add.
   */
  public static long replace(
      SparkSession spark, String stage, List<String> sourceFiles, Dataset<Row> rows) {
    return replace(spark, stage, sourceFiles, rows, rows.count());
  }

  /**
   * {@link #replace(SparkSession, String, List, Dataset)} when the caller already knows how many
   * {@code rows} there are: no pass to count them, and quarantine is only looked at when there is
   * nothing to add (whether earlier rejects are left to remove).
   */
  public static long replace(
      SparkSession spark, String stage, List<String> sourceFiles, Dataset<Row> rows, long count) {
    var condition =
        functions
            .col("stage")
            .equalTo(stage)
            .and(functions.col("source_file").isin(sourceFiles.toArray()));
    if (count == 0 && spark.table(TABLE).where(condition).isEmpty()) {
      return 0;
    }
    // The MERGE joins quarantine on the replaced sources only: its condition names them, so the
    // scan reads (and copy-on-write rewrites) just the files that hold their earlier rejects, not
    // the whole history, and the new rejects are appended beside them.
    String suffix = "_" + Math.abs(System.nanoTime());
    String view = "quarantine_replacement" + suffix;
    String replaced = "quarantine_replaced_sources" + suffix;
    rows.createOrReplaceTempView(view);
    spark
        .createDataset(sourceFiles, Encoders.STRING())
        .toDF(SOURCE_FILE)
        .distinct()
        .createOrReplaceTempView(replaced);
    String columns = SilverSql.columns(LakehouseTables.QUARANTINE, "");
    String sourceOnly =
        LakehouseTables.QUARANTINE.schema().columns().stream()
            .map(c -> c.name().equals(SOURCE_FILE) ? SOURCE_FILE : "NULL AS " + c.name())
            .collect(Collectors.joining(", "));
    try {
      SqlArgs args = new SqlArgs();
      spark.sql(
          """
          MERGE INTO %1$s t
          USING (SELECT %2$s, false AS _remove FROM %3$s
                 UNION ALL
                 SELECT %4$s, true AS _remove FROM %5$s) s
          ON s._remove AND t.source_file = s.source_file
             AND t.stage = %6$s AND t.source_file IN (%7$s)
          WHEN MATCHED THEN DELETE
          WHEN NOT MATCHED AND NOT s._remove THEN INSERT (%2$s) VALUES (%8$s)"""
              .formatted(
                  TABLE,
                  columns,
                  view,
                  sourceOnly,
                  replaced,
                  args.bind("stage", stage),
                  args.bindEach("file", sourceFiles),
                  SilverSql.columns(LakehouseTables.QUARANTINE, "s.")),
          args.map());
    } finally {
      spark.catalog().dropTempView(view);
      spark.catalog().dropTempView(replaced);
    }
    return count;
  }

  public static Dataset<Row> frame(SparkSession spark, JavaRDD<Row> rows) {
    return spark.createDataFrame(rows, schema(spark));
  }
}
