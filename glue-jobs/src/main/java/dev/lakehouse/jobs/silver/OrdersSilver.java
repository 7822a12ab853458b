package dev.lakehouse.jobs.silver;

import static dev.lakehouse.core.tables.LakehouseTables.CURATED_CUSTOMERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDER_ITEMS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_PRODUCTS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_ORDERS;

import dev.lakehouse.core.rules.BusinessRules;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.Watermarks;
import dev.lakehouse.jobs.LakehouseSpark;
import dev.lakehouse.jobs.SqlArgs;
import dev.lakehouse.jobs.quality.QualityGate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * raw_orders → curated_orders (one row per order, amounts recomputed in DECIMAL, enriched with the
 * current customer) and curated_order_items (one row per line with the product's category). Also
 * refreshes the order-derived columns of the customers in the batch.
 *
 * <p>One commit per table: quarantine, order lines (a re-landed order's lines are replaced in the
 * same MERGE, so no reader ever sees an order without its lines), customer stats, and last the
 * orders MERGE, whose snapshot carries the bronze watermark and the dates gold must recompute; this
 * order makes a failed run safe to rerun. A batch whose every row is rejected promotes nothing and
 * still records the watermark (see {@link SilverSql#commitNothingPromoted}).
 */
final class OrdersSilver implements SilverEntity<OrdersSilver.Staged> {
  private final Instant asOf;
  private final PlausibleDates plausible;

  /**
   * @param asOf the run time the plausible window ends after
   * @param plausible the window an order_date must fall in
   */
  OrdersSilver(Instant asOf, PlausibleDates plausible) {
    this.asOf = asOf;
    this.plausible = plausible;
  }

  /**
   * @param lines the order lines of the batch's orders
   * @param orders the batch's orders
   * @param priorLines silver's lines of the batch's orders before the run (none when append-only)
   * @param customerStats the order-derived columns of the batch's customers (old orders included)
   *     that differ from their current version, with {@code segment_changed} (see {@link
   *     #changedStats})
   * @param changedCustomers how many rows {@code customerStats} has (none: no customers commit)
   * @param orderTargets the MERGE condition's filter on curated_orders (see {@link
   *     SilverSql#keyIn}): the batch's orders silver has; {@code lineTargets} on
   *     curated_order_items: the orders of {@code priorLines}; {@code customerTargets} on
   *     curated_customers: the customers of {@code customerStats}
   */
  record Staged(
      Dataset<Row> lines,
      Dataset<Row> orders,
      Dataset<Row> priorLines,
      Dataset<Row> customerStats,
      long changedCustomers,
      List<String> affectedDates,
      boolean appendOnly,
      String orderTargets,
      String lineTargets,
      String customerTargets)
      implements SilverEntity.Staged {
    @Override
    public Map<String, Object> details() {
      return Map.of("changedCustomers", changedCustomers, "appendOnly", appendOnly);
    }
  }

  @Override
  public TableDefinition bronze() {
    return RAW_ORDERS;
  }

  @Override
  public TableDefinition silver() {
    return CURATED_ORDERS;
  }

  /**
   * The lines, the customers' order-derived columns, the orders: the order {@link #commit} uses.
   */
  @Override
  public List<TableDefinition> written() {
    return List.of(CURATED_ORDER_ITEMS, CURATED_CUSTOMERS, CURATED_ORDERS);
  }

  @Override
  public String key() {
    return "order_id";
  }

  @Override
  public Dataset<Row> validate(Dataset<Row> batch) {
    SqlArgs args = new SqlArgs();
    Instant latest = plausible.latest(asOf);
    return batch
        .sparkSession()
        .sql(
            """
        SELECT *, CASE
          WHEN order_id IS NULL OR trim(order_id) = '' THEN 'missing order_id'
          WHEN customer_id IS NULL OR trim(customer_id) = '' THEN 'missing customer_id'
          WHEN order_date IS NULL THEN 'missing or unparseable order_date'
          WHEN order_date < %1$s OR order_date > %2$s
            THEN concat('implausible order_date ', cast(order_date AS STRING), ': expected ', %3$s)
          WHEN order_status IS NULL OR trim(order_status) = '' THEN 'missing order_status'
          WHEN lower(trim(order_status)) NOT IN (%4$s) THEN concat('unknown order_status "', order_status, '"')
          WHEN items IS NULL OR size(items) = 0 THEN 'order has no items'
          WHEN exists(items, i -> i IS NULL OR i.product_id IS NULL OR trim(i.product_id) = '')
            THEN 'order line without product_id'
          WHEN exists(items, i -> i.quantity IS NULL OR i.quantity <= 0) THEN 'quantity must be greater than 0'
          WHEN exists(items, i -> i.unit_price IS NULL OR i.unit_price < 0)
            THEN 'unit_price must be present and not negative'
          WHEN exists(items, i -> i.discount < 0 OR i.discount >= 1) THEN 'discount must be in [0, 1)'
        END AS _reject_reason
        FROM %5$s"""
                .formatted(
                    args.bind("earliest", plausible.earliest()),
                    args.bind("latest", latest),
                    // The window as the reason states it: the first day, and the exact latest
                    // instant.
                    args.bind(
                        "window",
                        "from "
                            + plausible.earliest().toString().substring(0, 10)
                            + " to "
                            + latest),
                    args.bindEach("status", BusinessRules.ORDER_STATUSES),
                    SilverSql.view(batch, "orders_batch")),
            args.map());
  }

  /**
   * Orders are staged from the bronze row as it is: its lines and amounts come from {@link
   * #lines}/{@link #orders}.
   */
  @Override
  public Dataset<Row> shape(Dataset<Row> newest, Instant now) {
    return newest;
  }

  /**
   * One row per item of each order, with the product's category ('unknown' until the product is
   * known).
   */
  static Dataset<Row> lines(Dataset<Row> latest, Dataset<Row> products, Instant now) {
    return latest
        .sparkSession()
        .sql(
            """
        SELECT l.order_id, l.line_number, l.product_id, coalesce(p.category, 'unknown') AS category, l.quantity,
               l.unit_price, l.discount,
               CAST(l.quantity * l.unit_price * (1 - l.discount) AS DECIMAL(18,4)) AS item_net,
               CAST(l.quantity * l.unit_price * l.discount AS DECIMAL(18,4)) AS item_discount,
               l.order_date, l.order_status, :now AS _updated_at
        FROM (
          SELECT trim(o.order_id) AS order_id, CAST(x.pos + 1 AS INT) AS line_number,
                 trim(x.item.product_id) AS product_id, x.item.quantity AS quantity, x.item.unit_price AS unit_price,
                 CAST(coalesce(x.item.discount, 0) AS DECIMAL(5,2)) AS discount,
                 o.order_date, lower(trim(o.order_status)) AS order_status
          FROM %1$s o LATERAL VIEW posexplode(o.items) x AS pos, item) l
        LEFT JOIN %2$s p ON p.product_id = l.product_id"""
                .formatted(
                    SilverSql.view(latest, "orders_latest"),
                    SilverSql.view(products, "order_products")),
            Map.of("now", now));
  }

  /**
   * One row per order: amounts from its {@code lines}, tax and shipping by the business rules, the
   * customer's name.
   */
  static Dataset<Row> orders(
      Dataset<Row> latest, Dataset<Row> lines, Dataset<Row> currentCustomers, Instant now) {
    return latest
        .sparkSession()
        .sql(
            """
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
                   :now AS _updated_at
            FROM %3$s o
            JOIN (SELECT order_id, sum(item_net) AS net, sum(item_discount) AS discount FROM %4$s GROUP BY order_id) a
              ON a.order_id = trim(o.order_id)
            LEFT JOIN %5$s c ON c.customer_id = trim(o.customer_id)))
        """
                .formatted(
                    BusinessRules.Sql.tax("subtotal"),
                    BusinessRules.Sql.shipping("subtotal"),
                    SilverSql.view(latest, "orders_latest"),
                    SilverSql.view(lines, "order_lines"),
                    SilverSql.view(currentCustomers, "order_customers")),
            Map.of("now", now));
  }

  @Override
  public Staged stage(SparkSession spark, Dataset<Row> latest, long rows, Instant now) {
    Dataset<Row> lines =
        lines(latest, spark.table(CURATED_PRODUCTS.qualifiedName()), now).localCheckpoint(true);
    Dataset<Row> current = spark.table(CURATED_CUSTOMERS.qualifiedName()).where("_is_current");
    Dataset<Row> orderRows = orders(latest, lines, current, now).localCheckpoint(true);
    String orders = SilverSql.view(orderRows, "orders_new");
    // The run's one read of curated_orders: every order of every customer the batch touches (its
    // orders' customers now and before), the batch's own orders as silver has them included.
    Dataset<Row> priorRows =
        spark
            .sql(
                """
        SELECT %3$s e.order_id, e.customer_id, e.order_date, e.order_status, e.net_amount
        FROM %2$s e LEFT SEMI JOIN (
          SELECT customer_id FROM %1$s
          UNION SELECT %4$s r.customer_id FROM %2$s r LEFT SEMI JOIN %1$s n ON r.order_id = n.order_id) c
        ON e.customer_id = c.customer_id"""
                    .formatted(
                        orders,
                        CURATED_ORDERS.qualifiedName(),
                        SilverSql.broadcastHint(rows, "c"),
                        SilverSql.broadcastHint(rows, "n")))
            .localCheckpoint(true);
    String prior = SilverSql.view(priorRows, "orders_prior");
    // Those customers' orders before the run and once merged, flagged: their stats before and
    // after come from one aggregation.
    Dataset<Row> taggedRows =
        spark.sql(
            """
        SELECT customer_id, order_date, order_status, net_amount, false AS _before, true AS _after
        FROM %1$s
        UNION ALL
        SELECT p.customer_id, p.order_date, p.order_status, p.net_amount, true AS _before,
               n.order_id IS NULL AS _after
        FROM %2$s p LEFT JOIN (SELECT order_id FROM %1$s) n ON p.order_id = n.order_id"""
                .formatted(orders, prior));
    Dataset<Row> combinedRows = taggedRows.where("_after");
    Dataset<Row> stats =
        changedStats(CustomerStats.beforeAndAfter(taggedRows, now), current).localCheckpoint(true);
    Optional<List<String>> existing = SilverSql.keys(spark.sql(SEMI_JOIN.formatted(orders, prior)));
    boolean appendOnly = existing.map(List::isEmpty).orElse(false) && linesInStep(spark);
    // The lines silver has for the batch's orders, read once for the dates they leave and the
    // lines a re-landed order drops. Only orders silver already has can have lines: an append-only
    // batch reads none.
    Dataset<Row> priorLines =
        appendOnly
            ? spark.table(CURATED_ORDER_ITEMS.qualifiedName()).limit(0)
            : spark
                .sql(
                    "SELECT %s i.* FROM %s i LEFT SEMI JOIN %s n ON i.order_id = n.order_id"
                        .formatted(
                            SilverSql.broadcastHint(rows, "n"),
                            CURATED_ORDER_ITEMS.qualifiedName(),
                            orders))
                .localCheckpoint(true);
    List<String> affectedDates =
        SilverSql.dates(
            affectedDates(
                orderRows, lines, priorRows, priorLines, combinedRows, stats, appendOnly, rows));
    Optional<List<String>> customers = SilverSql.keys(stats.select("customer_id"));
    return new Staged(
        lines,
        orderRows,
        priorLines,
        stats,
        customers.map(c -> (long) c.size()).orElseGet(stats::count),
        affectedDates,
        appendOnly,
        SilverSql.keyIn("t.order_id", existing),
        appendOnly
            ? ""
            : SilverSql.keyIn("t.order_id", SilverSql.keys(priorLines.select("order_id"))),
        SilverSql.keyIn("t.customer_id", customers));
  }

  private static final String SEMI_JOIN =
      "SELECT n.order_id FROM %s n LEFT SEMI JOIN %s p ON p.order_id = n.order_id";

  /**
   * Whether curated_order_items consumed exactly the bronze rows curated_orders did. Each run
   * commits the lines first and the orders last; a run cut between the two leaves the lines a
   * watermark ahead, and its rerun must MERGE them again rather than append them twice. A home
   * whose lines carry no watermark yet (written before they did) also takes the MERGE.
   */
  private static boolean linesInStep(SparkSession spark) {
    var catalog = LakehouseSpark.icebergCatalog(spark);
    return Watermarks.newestText(
            catalog.loadTable(CURATED_ORDER_ITEMS.identifier()),
            SilverBatch.SUMMARY_BRONZE_SNAPSHOT)
        .equals(
            Watermarks.newestText(
                catalog.loadTable(CURATED_ORDERS.identifier()),
                SilverBatch.SUMMARY_BRONZE_SNAPSHOT));
  }

  /**
   * The {@code stats} (from {@link CustomerStats#beforeAndAfter}) of customers that differ from
   * their {@code current} version or whose segment (the one customer attribute gold shows) moves
   * from what their orders made it before the batch, with {@code segment_changed}. The segment is
   * compared with the orders before the run, not with the current version, so a rerun after a
   * failure between the customers commit and the orders commit marks the same dates. Customers
   * without a current version are left out: there is no row to update, gold shows their orders as
   * 'unknown'.
   */
  static Dataset<Row> changedStats(Dataset<Row> stats, Dataset<Row> current) {
    return stats
        .sparkSession()
        .sql(
            """
        SELECT s.*, NOT (s.segment_before <=> s.customer_segment) AS segment_changed
        FROM %s s JOIN %s c ON s.customer_id = c.customer_id
        WHERE NOT (s.segment_before <=> s.customer_segment)
           OR NOT (c.lifetime_value <=> s.lifetime_value AND c.total_orders <=> s.total_orders
                   AND c.first_order_date <=> s.first_order_date AND c.last_order_date <=> s.last_order_date
                   AND c.is_active <=> s.is_active AND c.customer_segment <=> s.customer_segment)"""
                .formatted(
                    SilverSql.view(stats, "customer_stats"),
                    SilverSql.view(current, "customers_current")));
  }

  /**
   * The dates (one date column) gold must recompute for this batch: those of new orders; the new
   * and old dates of orders whose gold-visible attributes changed (UTC date, whether it counts as
   * revenue, net amount, customer, or the category and net of a line); and every date of the orders
   * of customers whose segment changed. An order re-landed as it was, or moved on from pending to
   * shipped, changes no metric and marks no date.
   *
   * @param orders the staged orders; {@code lines} their staged lines
   * @param prior silver's orders of the batch's customers before the run; {@code priorLines} the
   *     lines silver has for the batch's orders
   * @param combined the batch's customers' orders once merged; {@code stats} from {@link
   *     #changedStats}
   * @param appendOnly none of {@code orders} is in silver yet (see {@link #commit})
   * @param rows how many orders the batch has (joins broadcast the batch-sized sides up to {@link
   *     SilverSql#BROADCAST_MAX_ROWS})
   */
  static Dataset<Row> affectedDates(
      Dataset<Row> orders,
      Dataset<Row> lines,
      Dataset<Row> prior,
      Dataset<Row> priorLines,
      Dataset<Row> combined,
      Dataset<Row> stats,
      boolean appendOnly,
      long rows) {
    String o = SilverSql.view(orders, "orders_new");
    String lineSignature =
        "sort_array(collect_list(named_struct('category', %1$s.category, 'item_net', %1$s.item_net)))";
    // Every order of an append-only batch is new: nothing to compare, its dates are the changes.
    String changed =
        appendOnly
            ? "SELECT order_date AS new_date, CAST(NULL AS TIMESTAMP) AS old_date FROM %1$s"
            : CHANGED_ORDERS;
    return orders
        .sparkSession()
        .sql(
            ("WITH changed AS (" + changed + ")\n" + AFFECTED_DATES)
                .formatted(
                    o,
                    SilverSql.view(prior, "orders_prior"),
                    SilverSql.view(lines, "order_lines"),
                    SilverSql.view(priorLines, "order_items_prior"),
                    SilverSql.view(combined, "orders_combined"),
                    lineSignature.formatted("l"),
                    lineSignature.formatted("i"),
                    BusinessRules.Sql.countsAsRevenue("p.order_status"),
                    BusinessRules.Sql.countsAsRevenue("n.order_status"),
                    SilverSql.view(stats, "customer_stats"),
                    SilverSql.broadcastHint(rows, "p", "nl", "pl"),
                    SilverSql.broadcastHint(rows, "s")));
  }

  /** The batch's orders that are new or changed what gold shows, with their new and old dates. */
  private static final String CHANGED_ORDERS =
      """
          SELECT %11$s n.order_date AS new_date, p.order_date AS old_date
          FROM %1$s n
          LEFT JOIN %2$s p ON p.order_id = n.order_id
          LEFT JOIN (SELECT l.order_id, %6$s AS sig FROM %3$s l GROUP BY l.order_id) nl
            ON nl.order_id = n.order_id
          LEFT JOIN (SELECT i.order_id, %7$s AS sig FROM %4$s i GROUP BY i.order_id) pl
            ON pl.order_id = n.order_id
          WHERE p.order_id IS NULL
             OR NOT (to_date(p.order_date) <=> to_date(n.order_date) AND p.customer_id <=> n.customer_id
                     AND (%8$s) <=> (%9$s) AND p.net_amount <=> n.net_amount AND pl.sig <=> nl.sig)""";

  /**
   * The changed orders' new and old dates (one pass over them) and every date of the customers
   * whose segment changed.
   */
  private static final String AFFECTED_DATES =
      """
        SELECT d FROM changed LATERAL VIEW explode(array(to_date(new_date), to_date(old_date))) x AS d
        UNION SELECT %12$s to_date(o.order_date) FROM %5$s o JOIN %10$s s ON o.customer_id = s.customer_id
              WHERE s.segment_changed""";

  /** Nothing is promoted unless the staged orders and lines pass the declared checks. */
  @Override
  public void gate(Staged staged) {
    QualityGate.forTable(CURATED_ORDERS.name())
        .complete("order_id", "customer_id", "order_date", "order_status", "net_amount")
        .unique(CURATED_ORDERS.entityKey())
        .nonNegative(
            "subtotal",
            "discount_amount",
            "tax_amount",
            "shipping_cost",
            "net_amount",
            "item_count")
        .allowedValues("order_status", BusinessRules.ORDER_STATUSES)
        .enforce(staged.orders());
    QualityGate.forTable(CURATED_ORDER_ITEMS.name())
        .complete("order_id", "line_number", "product_id", "category", "item_net")
        .unique(CURATED_ORDER_ITEMS.entityKey())
        .nonNegative("quantity", "unit_price", "discount", "item_net")
        .enforce(staged.lines());
  }

  /**
   * A batch of only orders silver does not have yet (most batches of a live shop) appends its
   * orders and lines: there is nothing to match, and an append reads neither table. Otherwise its
   * lines and orders are MERGEd. Either way the lines commit first and carry the bronze watermark
   * (see {@link #linesInStep}), the orders commit last with the full watermark.
   */
  @Override
  public void commit(
      SparkSession spark, Staged staged, Map<String, String> watermark, Instant now) {
    Map<String, String> linesWatermark =
        Map.of(
            SilverBatch.SUMMARY_BRONZE_SNAPSHOT,
            watermark.get(SilverBatch.SUMMARY_BRONZE_SNAPSHOT),
            SilverBatch.SUMMARY_EXECUTION_ID,
            watermark.get(SilverBatch.SUMMARY_EXECUTION_ID));
    if (staged.appendOnly()) {
      SilverSql.appendWith(linesWatermark, staged.lines(), CURATED_ORDER_ITEMS);
    } else {
      mergeLines(spark, staged, linesWatermark);
    }
    // The stats are staged only where they differ from the current version: none, no commit.
    if (staged.changedCustomers() > 0) {
      updateCustomerStats(spark, staged, now);
    }
    if (staged.appendOnly()) {
      SilverSql.appendWith(watermark, staged.orders(), CURATED_ORDERS);
      return;
    }
    SilverSql.upsertWith(
        spark,
        watermark,
        CURATED_ORDERS,
        SilverSql.view(staged.orders(), "orders_new"),
        staged.orderTargets());
  }

  /**
   * A re-landed order's lines are replaced in one MERGE: new lines upsert, lines it no longer has
   * are deleted.
   */
  private static void mergeLines(
      SparkSession spark, Staged staged, Map<String, String> linesWatermark) {
    String lines = SilverSql.view(staged.lines(), "order_lines");
    String priorLines = SilverSql.view(staged.priorLines(), "order_items_prior");
    SilverSql.commitWith(
        spark,
        linesWatermark,
        """
        MERGE INTO %1$s t
        USING (SELECT %2$s, false AS _remove FROM %3$s
               UNION ALL
               SELECT %4$s, true AS _remove
               FROM %5$s e LEFT ANTI JOIN %3$s l ON %8$s) s
        ON %9$s%10$s
        WHEN MATCHED AND s._remove THEN DELETE
        WHEN MATCHED THEN UPDATE SET %6$s
        WHEN NOT MATCHED AND NOT s._remove THEN INSERT (%2$s) VALUES (%7$s)"""
            .formatted(
                CURATED_ORDER_ITEMS.qualifiedName(),
                SilverSql.columns(CURATED_ORDER_ITEMS, ""),
                lines,
                SilverSql.columns(CURATED_ORDER_ITEMS, "e."),
                priorLines,
                SilverSql.assignments(CURATED_ORDER_ITEMS),
                SilverSql.columns(CURATED_ORDER_ITEMS, "s."),
                SilverSql.keyMatch(CURATED_ORDER_ITEMS, "e", "l"),
                SilverSql.keyMatch(CURATED_ORDER_ITEMS, "t", "s"),
                staged.lineTargets()),
        Map.of());
  }

  private static void updateCustomerStats(SparkSession spark, Staged staged, Instant now) {
    spark.sql(
        """
        MERGE INTO %s t USING %s s
        ON t.customer_id = s.customer_id AND t._is_current%s
        WHEN MATCHED THEN UPDATE SET lifetime_value = s.lifetime_value, total_orders = s.total_orders,
                        first_order_date = s.first_order_date, last_order_date = s.last_order_date,
                        is_active = s.is_active, customer_segment = s.customer_segment, _updated_at = :now
        """
            .formatted(
                CURATED_CUSTOMERS.qualifiedName(),
                SilverSql.view(staged.customerStats(), "customer_stats"),
                staged.customerTargets()),
        Map.of("now", now));
  }
}
