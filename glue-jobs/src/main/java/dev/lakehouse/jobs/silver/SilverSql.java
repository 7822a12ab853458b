package dev.lakehouse.jobs.silver;

import dev.lakehouse.jobs.LakehouseSpark;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Small helpers shared by the silver and gold jobs. */
public final class SilverSql {
  /** Customer segment by lifetime value (Σ net_amount of non-cancelled orders). */
  public static final String SEGMENT_CASE = "CASE WHEN lifetime_value >= 20000.00 THEN 'vip'"
      + " WHEN lifetime_value >= 10000.00 THEN 'high' WHEN lifetime_value >= 5000.00 THEN 'medium'"
      + " WHEN lifetime_value > 0 THEN 'low' ELSE 'none' END";

  public static final List<String> ORDER_STATUSES =
      List.of("pending", "processing", "shipped", "delivered", "cancelled", "returned");

  private SilverSql() {}

  /** Runs SQL statements so that the commit they make carries {@code properties} in its snapshot summary. */
  public static void commitWith(SparkSession spark, Map<String, String> properties, String sql) {
    LakehouseSpark.write(() -> CommitMetadata.withCommitProperties(properties, () -> spark.sql(sql), RuntimeException.class));
  }

  /** A temp view that lives for one job run. */
  public static String view(Dataset<Row> rows, String name) {
    String view = name + "_" + Long.toHexString(System.nanoTime());
    rows.createOrReplaceTempView(view);
    return view;
  }

  public static String sqlList(List<String> values) {
    return values.stream().map(v -> "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'")
        .collect(Collectors.joining(", "));
  }

  /** Sorted distinct dates (yyyy-MM-dd) of a single date column. */
  public static List<String> dates(Dataset<Row> rows) {
    return rows.distinct().collectAsList().stream()
        .filter(r -> !r.isNullAt(0))
        .map(r -> r.get(0).toString())
        .sorted()
        .distinct()
        .toList();
  }
}
