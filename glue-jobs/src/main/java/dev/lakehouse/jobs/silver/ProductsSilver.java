package dev.lakehouse.jobs.silver;

import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDER_ITEMS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_PRODUCTS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_PRODUCTS;

import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.SilverJob;
import dev.lakehouse.jobs.quality.QualityGate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * raw_products → curated_products, upsert by product_id (SCD type 1). A product whose category changed (or that
 * arrives after orders referencing it) re-labels its order lines, and the dates of those lines are handed to gold.
 */
final class ProductsSilver {
  private ProductsSilver() {}

  static JobResult run(SparkSession spark, String executionId) {
    Instant started = Instant.now();
    SilverBatch batch = SilverBatch.pending(spark, RAW_PRODUCTS, CURATED_PRODUCTS);
    String raw = SilverSql.view(batch.rows(), "products_batch");
    long rowsIn = spark.table(raw).count();
    if (rowsIn == 0) {
      return SilverJob.nothingToDo(CURATED_PRODUCTS.name(), started);
    }
    String now = "TIMESTAMP '" + started + "'";
    String checked = SilverSql.view(SilverSql.supersededWithinFile(spark.sql("""
        SELECT *, CASE
          WHEN product_id IS NULL OR trim(product_id) = '' THEN 'missing product_id'
          WHEN price < 0 THEN concat('price must not be negative, was ', price)
          WHEN cost < 0 THEN concat('cost must not be negative, was ', cost)
        END AS _reject_reason
        FROM %s""".formatted(raw)), "product_id").localCheckpoint(true), "products_checked");
    long rejected = SilverJob.quarantine(spark, checked, CURATED_PRODUCTS.name(), "product_id", executionId, started);

    Dataset<Row> latestRows = spark.sql("""
        SELECT trim(product_id) AS product_id, trim(sku) AS sku, trim(name) AS product_name,
               trim(description) AS description,
               coalesce(nullif(trim(category), ''), 'unknown') AS category, trim(subcategory) AS subcategory,
               trim(brand) AS brand, price, cost, CAST(price - cost AS DECIMAL(10,2)) AS margin, stock_quantity,
               is_active, attributes, created_at, updated_at, _source_file, %s AS _updated_at
        FROM (SELECT *, row_number() OVER (PARTITION BY trim(product_id)
                                           ORDER BY _ingestion_timestamp DESC, _source_line DESC) AS _rank
              FROM %s WHERE _reject_reason IS NULL)
        WHERE _rank = 1""".formatted(now, checked)).localCheckpoint(true);
    String latest = SilverSql.view(latestRows, "products_latest");
    long valid = spark.table(checked).where("_reject_reason IS NULL").count();
    long written = latestRows.count();
    if (written == 0) {
      SilverSql.commitNothingPromoted(spark, CURATED_PRODUCTS, batch.commitProperties(executionId, ""));
      return SilverJob.nothingPromoted(CURATED_PRODUCTS, rowsIn, rejected, spark, started);
    }

    List<String> affectedDates = SilverSql.dates(spark.sql("""
        SELECT to_date(i.order_date) FROM %s i JOIN %s p ON i.product_id = p.product_id""".formatted(
        CURATED_ORDER_ITEMS.qualifiedName(), latest)));

    QualityGate.forTable(CURATED_PRODUCTS.name())
        .complete("product_id", "category")
        .unique(CURATED_PRODUCTS.entityKey())
        .nonNegative("price", "cost")
        .enforce(latestRows);

    spark.sql("""
        MERGE INTO %s t USING %s s ON %s
        WHEN MATCHED AND t.category <> s.category THEN UPDATE SET category = s.category, _updated_at = s._updated_at
        """.formatted(CURATED_ORDER_ITEMS.qualifiedName(), latest, SilverSql.keyMatch(CURATED_PRODUCTS, "t", "s")));
    SilverSql.commitWith(spark, batch.commitProperties(executionId, String.join(",", affectedDates)), """
        MERGE INTO %s t USING %s s ON %s
        WHEN MATCHED THEN UPDATE SET *
        WHEN NOT MATCHED THEN INSERT *""".formatted(CURATED_PRODUCTS.qualifiedName(), latest,
        SilverSql.keyMatch(CURATED_PRODUCTS, "t", "s")));

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("superseded", valid - written);
    details.put("affectedDates", affectedDates.size());
    details.put("fullRead", batch.fullRead());
    return JobResult.succeeded(SilverJob.STEP, CURATED_PRODUCTS.name(), started).withCounts(rowsIn, written, rejected)
        .withSnapshotId(SilverJob.currentSnapshot(spark, CURATED_PRODUCTS)).withDetails(details);
  }
}
