package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.rules.BusinessRules;
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
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_CUSTOMERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDER_ITEMS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_PRODUCTS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_ORDERS;

/**
 * raw_orders → curated_orders (one row per order, amounts recomputed in DECIMAL, enriched with the current
 * customer) and curated_order_items (one row per line with the product's category). Also refreshes the
 * order-derived columns of the customers in the batch.
 *
 * <p>One commit per table: quarantine, order lines (a re-landed order's lines are replaced in the same MERGE, so no
 * reader ever sees an order without its lines), customer stats, and last the orders MERGE, whose snapshot carries
 * the bronze watermark and the dates gold must recompute; this order makes a failed run safe to rerun. A batch whose
 * every row is rejected promotes nothing and still records the watermark (see
 * {@link SilverSql#commitNothingPromoted}).
 */
final class OrdersSilver {
  private OrdersSilver() {}

  static JobResult run(SparkSession spark, String executionId, Instant asOf, PlausibleDates plausible) {
    Instant started = Instant.now();
    SilverBatch batch = SilverBatch.pending(spark, RAW_ORDERS, CURATED_ORDERS);
    String raw = SilverSql.view(batch.rows(), "orders_batch");
    long rowsIn = spark.table(raw).count();
    if (rowsIn == 0) {
      return SilverJob.nothingToDo(CURATED_ORDERS.name(), started);
    }
    String now = "TIMESTAMP '" + started + "'";

    String checked = SilverSql.view(SilverSql.supersededWithinFile(spark.sql("""
        SELECT *, CASE
          WHEN order_id IS NULL OR trim(order_id) = '' THEN 'missing order_id'
          WHEN customer_id IS NULL OR trim(customer_id) = '' THEN 'missing customer_id'
          WHEN order_date IS NULL THEN 'missing or unparseable order_date'
          WHEN order_date < TIMESTAMP '%3$s' OR order_date > TIMESTAMP '%4$s'
            THEN concat('implausible order_date ', cast(order_date AS STRING), ': expected from %5$s to %6$s')
          WHEN order_status IS NULL OR trim(order_status) = '' THEN 'missing order_status'
          WHEN lower(trim(order_status)) NOT IN (%1$s) THEN concat('unknown order_status "', order_status, '"')
          WHEN items IS NULL OR size(items) = 0 THEN 'order has no items'
          WHEN exists(items, i -> i IS NULL OR i.product_id IS NULL OR trim(i.product_id) = '') THEN 'order line without product_id'
          WHEN exists(items, i -> i.quantity IS NULL OR i.quantity <= 0) THEN 'quantity must be greater than 0'
          WHEN exists(items, i -> i.unit_price IS NULL OR i.unit_price < 0) THEN 'unit_price must be present and not negative'
          WHEN exists(items, i -> i.discount < 0 OR i.discount >= 1) THEN 'discount must be in [0, 1)'
        END AS _reject_reason
        FROM %2$s""".formatted(SilverSql.sqlList(BusinessRules.ORDER_STATUSES), raw, plausible.earliest(),
        plausible.latest(asOf), plausible.earliest().toString().substring(0, 10), plausible.latest(asOf))), "order_id")
        .localCheckpoint(true), "orders_checked");

    long rejected = SilverJob.quarantine(spark, checked, CURATED_ORDERS.name(), "order_id", executionId, started);

    Dataset<Row> latestRows = spark.sql("""
        SELECT * FROM (
          SELECT *, row_number() OVER (PARTITION BY trim(order_id)
                                       ORDER BY _ingestion_timestamp DESC, _source_line DESC) AS _rank
          FROM %s WHERE _reject_reason IS NULL) WHERE _rank = 1""".formatted(checked)).localCheckpoint(true);
    String latest = SilverSql.view(latestRows, "orders_latest");
    long valid = spark.table(checked).where("_reject_reason IS NULL").count();
    long written = latestRows.count();
    if (written == 0) {
      SilverSql.commitNothingPromoted(spark, CURATED_ORDERS, batch.commitProperties(executionId, ""));
      return SilverJob.nothingPromoted(CURATED_ORDERS, rowsIn, rejected, spark, started);
    }

    String lines = SilverSql.view(spark.sql("""
        SELECT l.order_id, l.line_number, l.product_id, coalesce(p.category, 'unknown') AS category, l.quantity,
               l.unit_price, l.discount,
               CAST(l.quantity * l.unit_price * (1 - l.discount) AS DECIMAL(18,4)) AS item_net,
               CAST(l.quantity * l.unit_price * l.discount AS DECIMAL(18,4)) AS item_discount,
               l.order_date, l.order_status, %s AS _updated_at
        FROM (
          SELECT trim(o.order_id) AS order_id, CAST(x.pos + 1 AS INT) AS line_number,
                 trim(x.item.product_id) AS product_id, x.item.quantity AS quantity, x.item.unit_price AS unit_price,
                 CAST(coalesce(x.item.discount, 0) AS DECIMAL(5,2)) AS discount,
                 o.order_date, lower(trim(o.order_status)) AS order_status
          FROM %s o LATERAL VIEW posexplode(o.items) x AS pos, item) l
        LEFT JOIN %s p ON p.product_id = l.product_id""".formatted(now, latest, CURATED_PRODUCTS.qualifiedName()))
        .localCheckpoint(true), "order_lines");

    String orders = SilverSql.view(spark.sql("""
        SELECT order_id, customer_id, customer_name, customer_email, order_status, order_date, required_date,
               shipped_date, delivery_date, item_count, subtotal, discount_amount, tax_amount, shipping_cost,
               CAST(subtotal + tax_amount + shipping_cost AS DECIMAL(12,2)) AS net_amount,
               total_amount, shipping_city, shipping_state, shipping_country, payment_method, updated_at,
               _source_file, _ingestion_timestamp, _updated_at
        FROM (
          SELECT *, %1$s AS tax_amount,
                 %2$s AS shipping_cost
          FROM (
            SELECT trim(o.order_id) AS order_id,
                   trim(o.customer_id) AS customer_id,
                   c.full_name AS customer_name,
                   c.email AS customer_email,
                   lower(trim(o.order_status)) AS order_status,
                   o.order_date,
                   o.required_date,
                   o.shipped_date,
                   o.delivery_date,
                   size(o.items) AS item_count,
                   CAST(round(a.net, 2) AS DECIMAL(12,2)) AS subtotal,
                   CAST(round(a.discount, 2) AS DECIMAL(12,2)) AS discount_amount,
                   o.total_amount,
                   o.payment_method,
                   o.shipping_address['city'] AS shipping_city,
                   o.shipping_address['state'] AS shipping_state,
                   o.shipping_address['country'] AS shipping_country,
                   o.updated_at,
                   o._source_file,
                   o._ingestion_timestamp,
                   %3$s AS _updated_at
            FROM %4$s o
            JOIN (SELECT order_id, sum(item_net) AS net, sum(item_discount) AS discount FROM %5$s GROUP BY order_id) a
              ON a.order_id = trim(o.order_id)
            LEFT JOIN (SELECT * FROM %6$s WHERE _is_current) c ON c.customer_id = trim(o.customer_id)))
        """.formatted(BusinessRules.Sql.tax("subtotal"), BusinessRules.Sql.shipping("subtotal"), now, latest, lines,
        CURATED_CUSTOMERS.qualifiedName())).localCheckpoint(true), "orders_new");

    // Every order of every customer in the batch, as it will be once merged: stats and gold dates come from it.
    String combined = SilverSql.view(spark.sql("""
        SELECT customer_id, order_date, order_status, net_amount FROM %1$s
        UNION ALL
        SELECT e.customer_id, e.order_date, e.order_status, e.net_amount
        FROM %2$s e LEFT ANTI JOIN %1$s n ON e.order_id = n.order_id""".formatted(orders, CURATED_ORDERS.qualifiedName())),
        "orders_combined");
    String customers = SilverSql.view(spark.sql("""
        SELECT customer_id FROM %1$s
        UNION SELECT e.customer_id FROM %2$s e JOIN %1$s n ON e.order_id = n.order_id""".formatted(orders,
        CURATED_ORDERS.qualifiedName())), "orders_customers");
    // Dates gold must recompute: every date of every order of the batch's customers (segments may move), plus the
    // old dates of re-landed orders. A superset is safe; it is computed before any write, so a rerun gets the same.
    List<String> affectedDates = SilverSql.dates(spark.sql("""
        SELECT to_date(o.order_date) FROM %s o JOIN %s c ON o.customer_id = c.customer_id
        UNION SELECT to_date(e.order_date) FROM %s e JOIN %s n ON e.order_id = n.order_id""".formatted(
        combined, customers, CURATED_ORDERS.qualifiedName(), orders)));
    String stats = SilverSql.view(CustomerStats.compute(spark, customers, combined, started).localCheckpoint(true),
        "customer_stats");

    // Nothing is promoted unless the staged orders and lines pass the declared checks.
    QualityGate.forTable(CURATED_ORDERS.name())
        .complete("order_id", "customer_id", "order_date", "order_status", "net_amount")
        .unique(CURATED_ORDERS.entityKey())
        .nonNegative("subtotal", "discount_amount", "tax_amount", "shipping_cost", "net_amount", "item_count")
        .allowedValues("order_status", BusinessRules.ORDER_STATUSES)
        .enforce(spark.table(orders));
    QualityGate.forTable(CURATED_ORDER_ITEMS.name())
        .complete("order_id", "line_number", "product_id", "category", "item_net")
        .unique(CURATED_ORDER_ITEMS.entityKey())
        .nonNegative("quantity", "unit_price", "discount", "item_net")
        .enforce(spark.table(lines));

    // A re-landed order's lines are replaced in one MERGE: new lines upsert, lines it no longer has are deleted.
    String items = CURATED_ORDER_ITEMS.qualifiedName();
    spark.sql("""
        MERGE INTO %1$s t
        USING (SELECT %2$s, false AS _remove FROM %3$s
               UNION ALL
               SELECT %4$s, true AS _remove
               FROM %1$s e LEFT SEMI JOIN %5$s o ON %10$s
               LEFT ANTI JOIN %3$s l ON %8$s) s
        ON %9$s
        WHEN MATCHED AND s._remove THEN DELETE
        WHEN MATCHED THEN UPDATE SET %6$s
        WHEN NOT MATCHED AND NOT s._remove THEN INSERT (%2$s) VALUES (%7$s)""".formatted(items,
        SilverSql.columns(CURATED_ORDER_ITEMS, ""), lines, SilverSql.columns(CURATED_ORDER_ITEMS, "e."), orders,
        SilverSql.assignments(CURATED_ORDER_ITEMS), SilverSql.columns(CURATED_ORDER_ITEMS, "s."),
        SilverSql.keyMatch(CURATED_ORDER_ITEMS, "e", "l"), SilverSql.keyMatch(CURATED_ORDER_ITEMS, "t", "s"),
        SilverSql.keyMatch(CURATED_ORDERS, "e", "o")));
    spark.sql("""
        MERGE INTO %s t USING %s s
        ON t.customer_id = s.customer_id AND t._is_current
        WHEN MATCHED AND NOT (t.lifetime_value <=> s.lifetime_value AND t.total_orders <=> s.total_orders
                              AND t.first_order_date <=> s.first_order_date AND t.last_order_date <=> s.last_order_date
                              AND t.is_active <=> s.is_active AND t.customer_segment <=> s.customer_segment)
        THEN UPDATE SET lifetime_value = s.lifetime_value, total_orders = s.total_orders,
                        first_order_date = s.first_order_date, last_order_date = s.last_order_date,
                        is_active = s.is_active, customer_segment = s.customer_segment, _updated_at = %s
        """.formatted(CURATED_CUSTOMERS.qualifiedName(), stats, now));
    SilverSql.commitWith(spark, batch.commitProperties(executionId, String.join(",", affectedDates)), """
        MERGE INTO %s t USING %s s ON %s
        WHEN MATCHED THEN UPDATE SET *
        WHEN NOT MATCHED THEN INSERT *""".formatted(CURATED_ORDERS.qualifiedName(), orders,
        SilverSql.keyMatch(CURATED_ORDERS, "t", "s")));

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("superseded", valid - written);
    details.put("affectedDates", affectedDates.size());
    details.put("fullRead", batch.fullRead());
    return JobResult.succeeded(SilverJob.STEP, CURATED_ORDERS.name(), started).withCounts(rowsIn, written, rejected)
        .withSnapshotId(SilverJob.currentSnapshot(spark, CURATED_ORDERS)).withDetails(details);
  }
}
