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
        SELECT c.customer_id, %3$s
        FROM (SELECT DISTINCT customer_id FROM %1$s) c
        LEFT JOIN (SELECT customer_id, %4$s FROM %2$s GROUP BY customer_id) s
        ON c.customer_id = s.customer_id"""
                .formatted(
                    SilverSql.view(customers, "stats_customers"),
                    SilverSql.view(orders, "stats_orders"),
                    columns("s."),
                    aggregates("true")),
            Map.of("as_of", asOf))
        .selectExpr("*", BusinessRules.Sql.segment("lifetime_value") + " AS customer_segment");
  }

  /**
   * The stats of the customers a batch touches, as they will be once it is merged, and the segment
   * their orders gave them before it ({@code segment_before}), in one aggregation.
   *
   * @param orders every order of those customers, before and after the batch, with customer_id,
   *     order_date, order_status, net_amount and two flags: {@code _before}, the order counted
   *     before the batch (silver's version), {@code _after}, it counts once merged (the batch's
   *     version, or silver's when the batch does not replace it). A customer is touched when one of
   *     its rows is not in both: the batch brings it, or takes it away from the customer.
   */
  static Dataset<Row> beforeAndAfter(Dataset<Row> orders, Instant asOf) {
    return orders
        .sparkSession()
        .sql(
            """
        SELECT customer_id, %2$s,
               %3$s AS segment_before
        FROM (SELECT customer_id, %4$s,
                     sum(CASE WHEN _before AND %5$s THEN net_amount ELSE 0 END) AS lifetime_value_before
              FROM %1$s GROUP BY customer_id
              HAVING bool_or(NOT (_before AND _after)))"""
                .formatted(
                    SilverSql.view(orders, "stats_orders_tagged"),
                    columns(""),
                    BusinessRules.Sql.segment(money("lifetime_value_before")),
                    aggregates("_after"),
                    BusinessRules.Sql.countsAsRevenue("order_status")),
            Map.of("as_of", asOf))
        .selectExpr("*", BusinessRules.Sql.segment("lifetime_value") + " AS customer_segment");
  }

  /** The per-customer aggregates of the orders for which {@code counted} holds. */
  private static String aggregates(String counted) {
    String revenue = counted + " AND " + BusinessRules.Sql.countsAsRevenue("order_status");
    return """
        sum(CASE WHEN %1$s THEN net_amount ELSE 0 END) AS lifetime_value,
        count(CASE WHEN %1$s THEN 1 END) AS total_orders,
        min(CASE WHEN %2$s THEN order_date END) AS first_order_date,
        max(CASE WHEN %2$s THEN order_date END) AS last_order_date,
        max(CASE WHEN %1$s THEN order_date END) AS last_valid_order"""
        .formatted(revenue, counted);
  }

  /** The stats columns from {@link #aggregates} (a customer without orders has none). */
  private static String columns(String from) {
    return """
        %2$s AS lifetime_value,
        coalesce(%1$stotal_orders, 0) AS total_orders,
        %1$sfirst_order_date AS first_order_date,
        %1$slast_order_date AS last_order_date,
        coalesce(%1$slast_valid_order >= :as_of - INTERVAL 365 DAYS, false) AS is_active"""
        .formatted(from, money(from + "lifetime_value"));
  }

  private static String money(String lifetimeValue) {
    return "CAST(coalesce(" + lifetimeValue + ", 0) AS DECIMAL(12,2))";
  }
}
