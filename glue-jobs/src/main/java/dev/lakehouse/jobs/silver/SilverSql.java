package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.LakehouseSpark;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Small helpers shared by the silver and gold jobs. */
public final class SilverSql {
  private SilverSql() {}

  /**
   * {@code t.k1 = s.k1 AND t.k2 = s.k2} over the table's entity key: a MERGE's ON, from the
   * declaration.
   */
  public static String keyMatch(TableDefinition table, String target, String source) {
    return String.join(
        " AND ",
        table.entityKey().stream().map(c -> target + "." + c + " = " + source + "." + c).toList());
  }

  /**
   * Runs a statement, its values bound to its named parameters ({@code args}), so that the commit
   * it makes carries {@code properties} in its snapshot summary.
   */
  public static void commitWith(
      SparkSession spark, Map<String, String> properties, String sql, Map<String, Object> args) {
    LakehouseSpark.write(
        () ->
            CommitMetadata.withCommitProperties(
                properties, () -> spark.sql(sql, args), RuntimeException.class));
  }

  /**
   * Upserts the rows of view {@code source} into {@code table} by its entity key in one MERGE whose
   * commit carries {@code properties}; {@code targetFilter} (from {@link #keyIn}, or empty) narrows
   * the target rows the MERGE joins.
   */
  public static void upsertWith(
      SparkSession spark,
      Map<String, String> properties,
      TableDefinition table,
      String source,
      String targetFilter) {
    commitWith(
        spark,
        properties,
        """
        MERGE INTO %s t USING %s s ON %s%s
        WHEN MATCHED THEN UPDATE SET *
        WHEN NOT MATCHED THEN INSERT *"""
            .formatted(table.qualifiedName(), source, keyMatch(table, "t", "s"), targetFilter),
        Map.of());
  }

  /**
   * Appends the table's columns of {@code rows} (matched by name; others are left out) to {@code
   * table} in one commit carrying {@code properties} in its snapshot summary.
   */
  public static void appendWith(
      Map<String, String> properties, Dataset<Row> rows, TableDefinition table) {
    LakehouseSpark.write(
        () ->
            CommitMetadata.withCommitProperties(
                properties,
                () -> {
                  rows.selectExpr(
                          table.schema().columns().stream()
                              .map(c -> c.name())
                              .toArray(String[]::new))
                      .writeTo(table.qualifiedName())
                      .append();
                  return null;
                },
                org.apache.spark.sql.catalyst.analysis.NoSuchTableException.class));
  }

  /**
   * Records that a silver run consumed its bronze batch without promoting anything (every row was
   * rejected, or nothing changed): one commit that adds no data and carries the watermark, so the
   * same rows are not read again.
   */
  public static void commitNothingPromoted(
      SparkSession spark, TableDefinition silver, Map<String, String> properties) {
    Table table = LakehouseSpark.icebergCatalog(spark).loadTable(silver.identifier());
    AppendFiles append = table.newAppend();
    properties.forEach(append::set);
    LakehouseSpark.write(append::commit);
  }

  /**
   * {@code t.c = s.c} for every column of the table: an explicit MERGE assignment list from the
   * declaration.
   */
  public static String assignments(TableDefinition table) {
    return table.schema().columns().stream()
        .map(c -> "t." + c.name() + " = s." + c.name())
        .collect(Collectors.joining(", "));
  }

  /** The table's columns, comma-separated, optionally qualified ({@code s.}). */
  public static String columns(TableDefinition table, String qualifier) {
    return table.schema().columns().stream()
        .map(c -> qualifier + c.name())
        .collect(Collectors.joining(", "));
  }

  /**
   * Marks rows a later line of the same file supersedes (same key, both otherwise valid) as
   * rejected with the line that wins, so a duplicate inside one file is quarantined visibly instead
   * of dropped silently. Duplicates across files (a re-sent or renamed file) are ordinary updates:
   * the newest ingest wins without a reject.
   */
  public static Dataset<Row> supersededWithinFile(Dataset<Row> checked, String keyColumn) {
    org.apache.spark.sql.expressions.WindowSpec sameKeySameFile =
        org.apache.spark.sql.expressions.Window.partitionBy(
            functions.col("_source_file"), functions.trim(functions.col(keyColumn)));
    Column lastValidLine =
        functions
            .max(
                functions.when(
                    functions.col("_reject_reason").isNull(), functions.col("_source_line")))
            .over(sameKeySameFile);
    return checked.withColumn(
        "_reject_reason",
        functions
            .when(
                functions
                    .col("_reject_reason")
                    .isNull()
                    .and(functions.col("_source_line").lt(lastValidLine)),
                functions.concat(
                    functions.lit("superseded by line "),
                    lastValidLine.cast("string"),
                    functions.lit(" of the same file")))
            .otherwise(functions.col("_reject_reason")));
  }

  /**
   * A batch of up to this many rows is small beside the silver tables it is joined with: it (and
   * what is derived from it, such as its customers' orders) is broadcast into the join, so the
   * table is scanned once and never shuffled (a shuffle of every curated_order_items row was most
   * of an incremental run at 500k orders). Larger batches (a full reload) leave the joins to Spark,
   * which keeps the driver's memory bounded.
   */
  static final long BROADCAST_MAX_ROWS = 250_000;

  /**
   * MERGE targets are narrowed to at most this many keys listed in the statement (see {@link
   * #keyIn}); more keys would make the statement itself the cost.
   */
  static final int TARGET_KEYS_MAX = 20_000;

  /**
   * {@code /*+ BROADCAST(relations) *}{@code /} when a batch of {@code rows} rows is small enough
   * to broadcast (see {@link #BROADCAST_MAX_ROWS}), else nothing: a hint for the SELECT whose joins
   * read the batch under the names {@code relations}.
   */
  static String broadcastHint(long rows, String... relations) {
    return rows <= BROADCAST_MAX_ROWS
        ? "/*+ BROADCAST(" + String.join(", ", relations) + ") */"
        : "";
  }

  /**
   * {@code AND column IN ('k1', …)} for a MERGE condition when {@code keys} are known and at most
   * {@link #TARGET_KEYS_MAX}, else nothing. A MERGE that inserts joins the whole target table with
   * its source (an outer join, which cannot broadcast the source), shuffling every row of the
   * table; a condition on the target alone is applied to the table's scan, so only the rows that
   * can match are joined. The literals are written by Spark ({@code Column.isin}), quoted as its
   * parser reads them.
   */
  static String keyIn(String column, Optional<List<String>> keys) {
    if (keys.isEmpty() || keys.get().size() > TARGET_KEYS_MAX) {
      return "";
    }
    if (keys.get().isEmpty()) {
      return " AND false";
    }
    return " AND " + functions.col(column).isin(keys.get().toArray()).expr().sql();
  }

  /**
   * The distinct values of {@code rows}' first (string) column when there are at most {@link
   * #TARGET_KEYS_MAX}, for {@link #keyIn}; empty when there are more.
   */
  static Optional<List<String>> keys(Dataset<Row> rows) {
    List<String> keys =
        rows.distinct().limit(TARGET_KEYS_MAX + 1).collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    return keys.size() > TARGET_KEYS_MAX ? Optional.empty() : Optional.of(keys);
  }

  /** A temp view that lives for one job run. */
  public static String view(Dataset<Row> rows, String name) {
    String view = name + "_" + Long.toHexString(System.nanoTime());
    rows.createOrReplaceTempView(view);
    return view;
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
