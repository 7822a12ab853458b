package dev.lakehouse.jobs.silver;

import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDER_ITEMS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_PRODUCTS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_PRODUCTS;

import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.quality.QualityGate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * raw_products → curated_products, upsert by product_id (SCD type 1). A product whose category
 * changed (or that arrives after orders referencing it) re-labels its order lines, and the dates of
 * those lines are handed to gold.
 */
final class ProductsSilver implements SilverEntity<ProductsSilver.Staged> {
  /**
   * The products to upsert and the dates of the order lines whose category they change (the lines
   * the re-labelling MERGE updates): a price or name change marks no date, gold does not show it.
   */
  record Staged(Dataset<Row> products, List<String> affectedDates) implements SilverEntity.Staged {}

  @Override
  public TableDefinition bronze() {
    return RAW_PRODUCTS;
  }

  @Override
  public TableDefinition silver() {
    return CURATED_PRODUCTS;
  }

  @Override
  public String key() {
    return "product_id";
  }

  @Override
  public Dataset<Row> validate(Dataset<Row> batch) {
    return batch.selectExpr(
        "*",
        """
        CASE
          WHEN product_id IS NULL OR trim(product_id) = '' THEN 'missing product_id'
          WHEN price < 0 THEN concat('price must not be negative, was ', price)
          WHEN cost < 0 THEN concat('cost must not be negative, was ', cost)
        END AS _reject_reason""");
  }

  /** Trimmed text, a missing category as 'unknown', the margin computed. */
  @Override
  public Dataset<Row> shape(Dataset<Row> newest, Instant now) {
    return newest
        .sparkSession()
        .sql(
            """
        SELECT trim(product_id) AS product_id, trim(sku) AS sku, trim(name) AS product_name,
               trim(description) AS description,
               coalesce(nullif(trim(category), ''), 'unknown') AS category, trim(subcategory) AS subcategory,
               trim(brand) AS brand, price, cost, CAST(price - cost AS DECIMAL(10,2)) AS margin, stock_quantity,
               is_active, attributes, created_at, updated_at, _source_file, :now AS _updated_at
        FROM %s"""
                .formatted(SilverSql.view(newest, "products_newest")),
            Map.of("now", now));
  }

  @Override
  public Staged stage(SparkSession spark, Dataset<Row> latest, long rows, Instant now) {
    // Compared with the category silver has for the product as well as with the line's: the product
    // is committed last, so a rerun after the lines were re-labelled marks the same dates.
    return new Staged(
        latest,
        SilverSql.dates(
            spark.sql(
                """
        SELECT to_date(i.order_date) FROM %s i JOIN %s p ON i.product_id = p.product_id
        LEFT JOIN %s c ON c.product_id = p.product_id
        WHERE i.category <> p.category OR NOT (coalesce(c.category, 'unknown') <=> p.category)"""
                    .formatted(
                        CURATED_ORDER_ITEMS.qualifiedName(),
                        SilverSql.view(latest, "products_latest"),
                        CURATED_PRODUCTS.qualifiedName()))));
  }

  @Override
  public void gate(Staged staged) {
    QualityGate.forTable(CURATED_PRODUCTS.name())
        .complete("product_id", "category")
        .unique(CURATED_PRODUCTS.entityKey())
        .nonNegative("price", "cost")
        .enforce(staged.products());
  }

  @Override
  public void commit(
      SparkSession spark, Staged staged, Map<String, String> watermark, Instant now) {
    String latest = SilverSql.view(staged.products(), "products_latest");
    spark.sql(
        """
        MERGE INTO %s t USING %s s ON %s
        WHEN MATCHED AND t.category <> s.category THEN UPDATE SET category = s.category, _updated_at = s._updated_at
        """
            .formatted(
                CURATED_ORDER_ITEMS.qualifiedName(),
                latest,
                SilverSql.keyMatch(CURATED_PRODUCTS, "t", "s")));
    SilverSql.upsertWith(spark, watermark, CURATED_PRODUCTS, latest, "");
  }
}
