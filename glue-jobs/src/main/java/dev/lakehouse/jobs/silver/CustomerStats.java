package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.rules.BusinessRules;
import java.time.Instant;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Order-derived customer columns: lifetime_value = Σ net_amount of non-cancelled orders,
 * total_orders = their count, first/last order dates over all orders, is_active = a non-cancelled
 * order in the year before the run, segment from lifetime value. Computed for a set of customers
 * over a given view of the orders.
 */
final class CustomerStats {
  private CustomerStats() {}

  /**
   * @param customers rows with a {@code customer_id} column: whose stats to compute (customers
   *     without orders get zeros and segment 'none')
   * @param orders rows with customer_id, order_date, order_status, net_amount
   */
  static Dataset<Row> compute(Dataset<Row> customers, Dataset<Row> orders, Instant asOf) {
    return customers
        .sparkSession()
        .sql(
            """
        SELECT c.customer_id,
               CAST(coalesce(s.lifetime_value, 0) AS DECIMAL(12,2)) AS lifetime_value,
               coalesce(s.total_orders, 0) AS total_orders,
               s.first_order_date,
               s.last_order_date,
               coalesce(s.last_valid_order >= :as_of - INTERVAL 365 DAYS, false) AS is_active
        FROM (SELECT DISTINCT customer_id FROM %1$s) c
        LEFT JOIN (
          SELECT customer_id,
                 sum(CASE WHEN %3$s THEN net_amount ELSE 0 END) AS lifetime_value,
                 count(CASE WHEN %3$s THEN 1 END) AS total_orders,
                 min(order_date) AS first_order_date,
                 max(order_date) AS last_order_date,
                 max(CASE WHEN %3$s THEN order_date END) AS last_valid_order
          FROM %2$s GROUP BY customer_id) s
        ON c.customer_id = s.customer_id
        """
                .formatted(
                    SilverSql.view(customers, "stats_customers"),
                    SilverSql.view(orders, "stats_orders"),
                    BusinessRules.Sql.countsAsRevenue("order_status")),
            Map.of("as_of", asOf))
        .selectExpr("*", BusinessRules.Sql.segment("lifetime_value") + " AS customer_segment");
  }
}
