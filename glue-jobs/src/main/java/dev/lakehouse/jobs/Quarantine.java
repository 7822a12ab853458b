package dev.lakehouse.jobs;

import dev.lakehouse.core.tables.LakehouseTables;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
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
    String view = "quarantine_replacement_" + Math.abs(System.nanoTime());
    rows.createOrReplaceTempView(view);
    try {
      SqlArgs args = new SqlArgs();
      spark.sql(
          "MERGE INTO "
              + TABLE
              + " t USING "
              + view
              + " s ON false"
              + " WHEN NOT MATCHED THEN INSERT *"
              + " WHEN NOT MATCHED BY SOURCE AND t.stage = "
              + args.bind("stage", stage)
              + " AND t.source_file IN ("
              + args.bindEach("file", sourceFiles)
              + ") THEN DELETE",
          args.map());
    } finally {
      spark.catalog().dropTempView(view);
    }
    return count;
  }

  public static Dataset<Row> frame(SparkSession spark, JavaRDD<Row> rows) {
    return spark.createDataFrame(rows, schema(spark));
  }
}
