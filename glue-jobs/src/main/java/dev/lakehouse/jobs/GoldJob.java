package dev.lakehouse.jobs;

import static dev.lakehouse.core.tables.LakehouseTables.AGG_DAILY_METRICS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_CUSTOMERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDER_ITEMS;

import dev.lakehouse.core.rules.BusinessRules;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.Watermarks;
import dev.lakehouse.jobs.quality.QualityGate;
import dev.lakehouse.jobs.silver.SilverBatch;
import dev.lakehouse.jobs.silver.SilverSql;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Gold: {@code agg_daily_metrics} recomputed for the affected dates only, and always equal to a
 * full recompute.
 *
 * <p>Each silver commit lists in its snapshot summary the order dates it may have changed; gold
 * remembers, in its own snapshot summary, the last snapshot of each silver table it has seen. A run
 * collects the dates listed by the silver snapshots since then, recomputes all three metric types
 * for exactly those dates and replaces them in one atomic MERGE. If a remembered snapshot is no
 * longer an ancestor (silver was rolled back), the run falls back to a full recompute.
 */
@Command(name = GoldJob.STEP, description = "Recompute daily metrics for the dates silver changed.")
public final class GoldJob extends BaseSparkJob {
  public static final String STEP = "gold";

  @Option(names = "--full", description = "Recompute every date instead of the affected ones.")
  private boolean full;

  public static void main(String[] args) {
    JobMain.run(new GoldJob(), args);
  }

  public static GoldJob fromArgs(String... args) {
    return JobMain.parse(new GoldJob(), args);
  }

  @Override
  public JobResult execute(SparkSession spark) {
    Instant started = Instant.now();
    String executionId = common.executionIdOrNew();
    Catalog catalog = LakehouseSpark.icebergCatalog(spark);
    Table gold = catalog.loadTable(AGG_DAILY_METRICS.identifier());

    Map<String, String> watermarks = new LinkedHashMap<>();
    TreeSet<String> dates = new TreeSet<>();
    boolean recomputeAll = full;
    for (TableDefinition source : Watermarks.GOLD_SOURCES) {
      Table silver = catalog.loadTable(source.identifier());
      Snapshot current = silver.currentSnapshot();
      if (current == null) {
        continue;
      }
      watermarks.put(Watermarks.goldKey(source), Long.toString(current.snapshotId()));
      Optional<Long> seen = Watermarks.newest(gold, Watermarks.goldKey(source));
      if (seen.isPresent() && seen.get() == current.snapshotId()) {
        continue;
      }
      if (seen.isPresent()
          && !SnapshotUtil.isAncestorOf(silver, current.snapshotId(), seen.get())) {
        recomputeAll = true;
        continue;
      }
      // Never seen: every snapshot of the table's lineage lists its dates, starting with its first
      // load.
      for (Snapshot snapshot :
          SnapshotUtil.ancestorsBetween(silver, current.snapshotId(), seen.orElse(null))) {
        String listed = snapshot.summary().get(SilverBatch.SUMMARY_AFFECTED_DATES);
        if (listed != null && !listed.isBlank()) {
          dates.addAll(Arrays.asList(listed.split(",")));
        }
      }
    }
    if (recomputeAll) {
      dates.addAll(
          SilverSql.dates(
              spark.sql("SELECT to_date(order_date) FROM " + CURATED_ORDERS.qualifiedName())));
      dates.addAll(
          SilverSql.dates(
              spark.sql("SELECT metric_date FROM " + AGG_DAILY_METRICS.qualifiedName())));
    }
    if (dates.isEmpty()) {
      return JobResult.skipped(
              STEP, AGG_DAILY_METRICS.name(), "no silver changes since the last gold run", started)
          .withSnapshotId(currentId(gold))
          .withDetails(Map.of("affectedDates", 0));
    }

    List<java.time.LocalDate> dateValues = dates.stream().map(java.time.LocalDate::parse).toList();
    SqlArgs filterArgs = new SqlArgs();
    String dateFilter = dayRanges("o.order_date", dateValues, filterArgs);
    Dataset<Row> metrics =
        metricsFor(spark, dateFilter, filterArgs, started, executionId).localCheckpoint(true);
    long rows =
        QualityGate.forTable(AGG_DAILY_METRICS.name())
            .complete(
                "metric_date",
                "metric_type",
                "dimension_key",
                "dimension_value",
                "metric_value",
                "metric_count")
            .unique(AGG_DAILY_METRICS.entityKey())
            .nonNegative("metric_value", "metric_count")
            .allowedValues(
                "metric_type", List.of("daily_revenue", "segment_revenue", "category_revenue"))
            .enforce(metrics)
            .rows();
    String view = SilverSql.view(metrics, "gold_metrics");
    SqlArgs mergeArgs = new SqlArgs();
    SilverSql.commitWith(
        spark,
        watermarks,
        """
        MERGE INTO %s t USING %s s
        ON %s
        WHEN MATCHED THEN UPDATE SET *
        WHEN NOT MATCHED THEN INSERT *
        WHEN NOT MATCHED BY SOURCE AND t.metric_date IN (%s) THEN DELETE"""
            .formatted(
                AGG_DAILY_METRICS.qualifiedName(),
                view,
                SilverSql.keyMatch(AGG_DAILY_METRICS, "t", "s"),
                mergeArgs.bindEach("date", dateValues)),
        mergeArgs.map());
    gold.refresh();

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("affectedDates", dates.size());
    details.put("fullRecompute", recomputeAll);
    return JobResult.succeeded(STEP, AGG_DAILY_METRICS.name(), started)
        .withCounts(dates.size(), rows, 0)
        .withSnapshotId(currentId(gold))
        .withDetails(details);
  }

  /**
   * The three metric types for the orders matching {@code orderFilter} (over alias {@code o}, its
   * values bound in {@code filterArgs}, which also receives the run's own values), cancelled orders
   * excluded. Dates are the UTC dates of order_date (the session time zone is UTC).
   */
  public static Dataset<Row> metricsFor(
      SparkSession spark,
      String orderFilter,
      SqlArgs filterArgs,
      Instant computedAt,
      String executionId) {
    String at = filterArgs.bind("computed_at", computedAt);
    String exec = filterArgs.bind("execution_id", executionId);
    // Daily and segment revenue are two groupings of the same orders: one read of curated_orders.
    return spark.sql(
        """
        SELECT metric_date,
               CASE WHEN grouping(segment) = 1 THEN 'daily_revenue' ELSE 'segment_revenue' END AS metric_type,
               CASE WHEN grouping(segment) = 1 THEN 'all' ELSE 'customer_segment' END AS dimension_key,
               CASE WHEN grouping(segment) = 1 THEN 'all' ELSE segment END AS dimension_value,
               CAST(sum(net_amount) AS DECIMAL(18,2)) AS metric_value,
               count(*) AS metric_count, %1$s AS _computed_at, %2$s AS _execution_id
        FROM (SELECT to_date(o.order_date) AS metric_date, coalesce(c.customer_segment, 'unknown') AS segment,
                     o.net_amount
              FROM %3$s o LEFT JOIN (SELECT customer_id, customer_segment FROM %5$s WHERE _is_current) c
                ON o.customer_id = c.customer_id
              WHERE %7$s AND %4$s)
        GROUP BY GROUPING SETS ((metric_date), (metric_date, segment))
        UNION ALL
        SELECT to_date(o.order_date), 'category_revenue', 'category', o.category,
               CAST(round(sum(o.item_net), 2) AS DECIMAL(18,2)), count(*), %1$s, %2$s
        FROM %6$s o WHERE %7$s AND %4$s
        GROUP BY to_date(o.order_date), o.category
        """
            .formatted(
                at,
                exec,
                CURATED_ORDERS.qualifiedName(),
                orderFilter,
                CURATED_CUSTOMERS.qualifiedName(),
                CURATED_ORDER_ITEMS.qualifiedName(),
                BusinessRules.Sql.countsAsRevenue("o.order_status")),
        filterArgs.map());
  }

  /**
   * The orders of the given UTC days, as half-open timestamp ranges over {@code column}
   * (consecutive days merged): a predicate Iceberg prunes by, through the month partitions and the
   * files' min/max order dates, where {@code to_date(order_date) IN (...)} would make every run
   * read the whole of silver.
   */
  static String dayRanges(String column, Collection<LocalDate> days, SqlArgs args) {
    List<LocalDate> sorted = new ArrayList<>(new TreeSet<>(days));
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < sorted.size(); ) {
      LocalDate from = sorted.get(i);
      LocalDate until = from.plusDays(1);
      while (++i < sorted.size() && sorted.get(i).equals(until)) {
        until = until.plusDays(1);
      }
      int n = ranges.size();
      ranges.add(
          "("
              + column
              + " >= "
              + args.bind("from_" + n, from.atStartOfDay(ZoneOffset.UTC).toInstant())
              + " AND "
              + column
              + " < "
              + args.bind("until_" + n, until.atStartOfDay(ZoneOffset.UTC).toInstant())
              + ")");
    }
    return "(" + String.join(" OR ", ranges) + ")";
  }

  private static Long currentId(Table table) {
    Snapshot current = table.currentSnapshot();
    return current == null ? null : current.snapshotId();
  }
}
