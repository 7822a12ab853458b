package dev.lakehouse.jobs.silver;

import static dev.lakehouse.core.tables.LakehouseTables.RAW_CUSTOMERS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_ORDERS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_PRODUCTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.JobTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-entity Dataset functions of silver on tiny in-memory frames: no table is read or written.
 */
class SilverEntitiesTest {
  static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
  static final String ITEMS =
      "array<struct<product_id:string,quantity:int,unit_price:decimal(10,2),discount:decimal(5,2)>>";

  @TempDir Path home;
  SparkSession spark;

  @BeforeEach
  void start() {
    spark = JobTestSupport.lakehouse(home);
  }

  @Test
  void productsRejectMissingIdsAndNegativeAmounts() {
    Dataset<Row> batch =
        bronze(
            RAW_PRODUCTS,
            """
        SELECT * FROM VALUES ('P1', 10.00, 6.00), ('  ', 1.00, 1.00), ('P2', -1.00, 1.00), ('P3', 1.00, -2.50)
        AS t(product_id, price, cost)""");

    assertThat(strings(new ProductsSilver().validate(batch).select("product_id", "_reject_reason")))
        .containsExactlyInAnyOrder(
            "[P1,null]",
            "[  ,missing product_id]",
            "[P2,price must not be negative, was -1.00]",
            "[P3,cost must not be negative, was -2.50]");
  }

  @Test
  void productsAreTrimmedGetAMarginAndAnUnknownCategoryWhenBlank() {
    Dataset<Row> newest =
        bronze(
            RAW_PRODUCTS,
            """
        SELECT ' P1 ' AS product_id, ' SKU-1 ' AS sku, ' Novel ' AS name, '  ' AS category, 10.00 AS price,
               6.00 AS cost, 'f1.jsonl' AS _source_file""");

    assertThat(
            strings(
                new ProductsSilver()
                    .shape(newest, NOW)
                    .selectExpr(
                        "product_id",
                        "sku",
                        "product_name",
                        "category",
                        "margin",
                        "_source_file",
                        "CAST(_updated_at AS STRING)")))
        .containsExactly("[P1,SKU-1,Novel,unknown,4.00,f1.jsonl,2026-11-20 08:00:00]");
  }

  @Test
  void customersRejectMissingIdsAndEmailsThatAreNoAddress() {
    Dataset<Row> batch =
        bronze(
            RAW_CUSTOMERS,
            """
        SELECT * FROM VALUES ('C1', 'ann@example.com'), ('', 'x@y.z'), ('C2', ' Bob@Example.COM '),
          ('C3', 'not-an-email'), ('C4', NULL), ('C5', 'a b@c.de') AS t(customer_id, email)""");

    assertThat(
            strings(
                new CustomersSilver(NOW).validate(batch).select("customer_id", "_reject_reason")))
        .containsExactlyInAnyOrder(
            "[C1,null]",
            "[,missing customer_id]",
            "[C2,null]",
            "[C3,email is not an address: not-an-email]",
            "[C4,null]",
            "[C5,email is not an address: a b@c.de]");
  }

  @Test
  void customerProfilesAreNormalisedAndHashed() {
    Dataset<Row> profile = new CustomersSilver(NOW).shape(annLee(), NOW);

    assertThat(
            strings(
                profile.selectExpr(
                    "customer_id",
                    "email",
                    "full_name",
                    "phone",
                    "city",
                    "state",
                    "country",
                    "postal_code",
                    "source_system",
                    "CAST(_valid_from AS STRING)",
                    "_source_file",
                    "_profile_hash")))
        .containsExactly(
            "[C1,ann.lee@example.com,Ann Lee,+15550000001,Denver,CO,US,80202,null,2026-11-01 00:00:00,"
                + "f1.jsonl,"
                + sha256("ann.lee@example.com|Ann Lee|+15550000001|Denver|CO|US")
                + "]");
  }

  @Test
  void onlyNewCustomersAndChangedProfilesAreChanged() {
    Dataset<Row> latest =
        spark.sql(
            "SELECT * FROM VALUES ('C1', 'h1'), ('C2', 'h2-new'), ('C3', 'h3') AS t(customer_id, _profile_hash)");
    Dataset<Row> current =
        spark.sql(
            "SELECT * FROM VALUES ('C1', 'h1'), ('C2', 'h2-old') AS t(customer_id, _profile_hash)");

    assertThat(strings(CustomersSilver.changed(latest, current)))
        .containsExactlyInAnyOrder("[C2,h2-new]", "[C3,h3]");
  }

  @Test
  void aNewVersionIsCurrentOpenEndedAndCarriesTheOrderStats() {
    Dataset<Row> changed = new CustomersSilver(NOW).shape(annLee(), NOW);
    Dataset<Row> orders =
        spark.sql(
            """
        SELECT customer_id, CAST(order_date AS TIMESTAMP) AS order_date, order_status, net_amount
        FROM VALUES ('C1', '2026-11-01 10:00:00', 'delivered', 245.16) AS t(customer_id, order_date, order_status,
          net_amount)""");

    Dataset<Row> versions =
        CustomersSilver.versions(changed, CustomerStats.compute(changed, orders, NOW), NOW);

    assertThat(
            strings(
                versions.selectExpr(
                    "customer_id",
                    "customer_segment",
                    "lifetime_value",
                    "total_orders",
                    "is_active",
                    "CAST(_valid_from AS STRING)",
                    "_valid_to",
                    "_is_current",
                    "CAST(_updated_at AS STRING)")))
        .containsExactly(
            "[C1,low,245.16,1,true,2026-11-01 00:00:00,null,true,2026-11-20 08:00:00]");
  }

  @Test
  void customerStatsCountNonCancelledOrdersAndActivityInTheYearBeforeTheRun() {
    Dataset<Row> customers =
        spark.sql("SELECT * FROM VALUES ('C1'), ('C2'), ('C3') AS t(customer_id)");
    Dataset<Row> orders =
        spark.sql(
            """
        SELECT customer_id, CAST(order_date AS TIMESTAMP) AS order_date, order_status,
               CAST(net_amount AS DECIMAL(12,2)) AS net_amount
        FROM VALUES ('C1', '2025-01-01 00:00:00', 'delivered', 30.00), ('C1', '2026-11-01 00:00:00', 'pending', 100.00),
          ('C1', '2026-11-05 00:00:00', 'cancelled', 50.00), ('C3', '2025-11-20 07:59:59', 'delivered', 5000.00),
          ('C9', '2026-11-01 00:00:00', 'delivered', 1.00)
        AS t(customer_id, order_date, order_status, net_amount)""");

    Dataset<Row> stats = CustomerStats.compute(customers, orders, NOW);

    // C3's only order is one second older than a year before the run: not active. 5000.00 is
    // medium's floor.
    assertThat(statsStrings(stats))
        .containsExactlyInAnyOrder(
            "[C1,130.00,2,2025-01-01 00:00:00,2026-11-05 00:00:00,true,low]",
            "[C2,0.00,0,null,null,false,none]",
            "[C3,5000.00,1,2025-11-20 07:59:59,2025-11-20 07:59:59,false,medium]");
  }

  @Test
  void customerStatsBeforeAndAfterABatchComeFromOneAggregationOfFlaggedOrders() {
    // O1 moves from C1 to C2 (a re-landed order), O3 is new for C3; C4 is untouched (all its rows
    // count before and after) and is left out.
    Dataset<Row> orders =
        spark.sql(
            """
        SELECT customer_id, CAST(order_date AS TIMESTAMP) AS order_date, order_status,
               CAST(net_amount AS DECIMAL(12,2)) AS net_amount, _before, _after
        FROM VALUES ('C1', '2026-10-01 00:00:00', 'delivered', 6000.00, true, false),
          ('C1', '2024-01-01 00:00:00', 'delivered', 20.00, true, true),
          ('C2', '2026-10-01 00:00:00', 'delivered', 6000.00, false, true),
          ('C3', '2026-11-02 00:00:00', 'cancelled', 80.00, false, true),
          ('C4', '2026-11-02 00:00:00', 'delivered', 15.00, true, true)
        AS t(customer_id, order_date, order_status, net_amount, _before, _after)""");

    Dataset<Row> stats = CustomerStats.beforeAndAfter(orders, NOW);

    assertThat(statsStrings(stats, "segment_before"))
        .containsExactlyInAnyOrder(
            "[C1,20.00,1,2024-01-01 00:00:00,2024-01-01 00:00:00,false,low,medium]",
            "[C2,6000.00,1,2026-10-01 00:00:00,2026-10-01 00:00:00,true,medium,none]",
            "[C3,0.00,0,2026-11-02 00:00:00,2026-11-02 00:00:00,false,none,none]");
  }

  @Test
  void ordersAreRejectedWithTheFirstRuleTheyBreak() {
    OrdersSilver orders =
        new OrdersSilver(
            NOW, new PlausibleDates(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofHours(24)));
    String line =
        "array(named_struct('product_id', 'P1', 'quantity', 1, 'unit_price', 10.00, 'discount', 0.10))";
    Dataset<Row> batch =
        bronze(
            RAW_ORDERS,
            String.join(
                " UNION ALL ",
                order("O1", "C1", "2026-11-01 10:00:00", "pending", line),
                order("O2", " ", "2026-11-01 10:00:00", "pending", line),
                order("O3", "C1", "1999-12-31 23:59:59", "pending", line),
                order("O4", "C1", "2026-11-21 08:00:01", "pending", line),
                order("O5", "C1", "2026-11-21 08:00:00", " Delivered ", line),
                order("O6", "C1", "2026-11-01 10:00:00", "it's", line),
                order("O7", "C1", "2026-11-01 10:00:00", "pending", "array()"),
                order(
                    "O8",
                    "C1",
                    "2026-11-01 10:00:00",
                    "pending",
                    line.replace("'quantity', 1", "'quantity', 0")),
                order("O9", "C1", "2026-11-01 10:00:00", "pending", line.replace("0.10", "1.00")),
                order("O10", "C1", "2026-11-01 10:00:00", "pending", line.replace("'P1'", "''"))));

    assertThat(strings(orders.validate(batch).select("order_id", "_reject_reason")))
        .containsExactlyInAnyOrder(
            "[O1,null]",
            "[O2,missing customer_id]",
            "[O3,implausible order_date 1999-12-31 23:59:59: expected from 2000-01-01 to 2026-11-21T08:00:00Z]",
            "[O4,implausible order_date 2026-11-21 08:00:01: expected from 2000-01-01 to 2026-11-21T08:00:00Z]",
            "[O5,null]",
            "[O6,unknown order_status \"it's\"]",
            "[O7,order has no items]",
            "[O8,quantity must be greater than 0]",
            "[O9,discount must be in [0, 1)]",
            "[O10,order line without product_id]");
  }

  @Test
  void orderLinesAndAmountsAreComputedInDecimal() {
    // 3 × 10.00 × 0.90 = 27.0000 and 200.0000: subtotal 227.00, discount 3.00, tax 8% 18.16, free
    // shipping.
    Dataset<Row> latest =
        bronze(
            RAW_ORDERS,
            order(
                "O1",
                " C1 ",
                "2026-11-01 10:00:00",
                " Pending ",
                """
        array(named_struct('product_id', ' P1 ', 'quantity', 3, 'unit_price', 10.00, 'discount', 0.10),
              named_struct('product_id', 'P2', 'quantity', 1, 'unit_price', 200.00, 'discount', NULL))"""));
    Dataset<Row> products = spark.sql("SELECT 'P1' AS product_id, 'Books' AS category");
    Dataset<Row> customers =
        spark.sql("SELECT 'C1' AS customer_id, 'Ann Lee' AS full_name, 'ann@example.com' AS email");

    Dataset<Row> lines = OrdersSilver.lines(latest, products, NOW);
    Dataset<Row> orders = OrdersSilver.orders(latest, lines, customers, NOW);

    assertThat(
            strings(
                lines.selectExpr(
                    "order_id",
                    "line_number",
                    "product_id",
                    "category",
                    "discount",
                    "item_net",
                    "item_discount",
                    "order_status",
                    "CAST(_updated_at AS STRING)")))
        .containsExactlyInAnyOrder(
            "[O1,1,P1,Books,0.10,27.0000,3.0000,pending,2026-11-20 08:00:00]",
            "[O1,2,P2,unknown,0.00,200.0000,0.0000,pending,2026-11-20 08:00:00]");
    assertThat(
            strings(
                orders.selectExpr(
                    "order_id",
                    "customer_id",
                    "customer_name",
                    "customer_email",
                    "order_status",
                    "item_count",
                    "subtotal",
                    "discount_amount",
                    "tax_amount",
                    "shipping_cost",
                    "net_amount",
                    "shipping_city",
                    "CAST(_updated_at AS STRING)")))
        .containsExactly(
            "[O1,C1,Ann Lee,ann@example.com,pending,2,227.00,3.00,18.16,0.00,245.16,Denver,2026-11-20 08:00:00]");
  }

  private Dataset<Row> annLee() {
    return bronze(
        RAW_CUSTOMERS,
        """
        SELECT ' C1 ' AS customer_id, ' Ann.Lee@Example.COM ' AS email, ' Ann ' AS first_name, 'Lee' AS last_name,
               '+1 (555) 000-0001' AS phone,
               map('city', ' Denver ', 'state', 'CO', 'country', 'US', 'zip', '80202') AS address,
               '  ' AS source_system, '2026-11-01 00:00:00' AS _ingestion_timestamp, 'f1.jsonl' AS _source_file""");
  }

  /** One bronze order as a SELECT; {@code items} is SQL. */
  private static String order(
      String id, String customer, String orderDate, String status, String items) {
    return """
        SELECT '%s' AS order_id, '%s' AS customer_id, '%s' AS order_status, '%s' AS order_date,
               CAST(%s AS %s) AS items, map('city', 'Denver') AS shipping_address, 'f1.jsonl' AS _source_file,
               '2026-11-20 07:00:00' AS _ingestion_timestamp"""
        .formatted(id, customer, status.replace("'", "\\'"), orderDate, items, ITEMS);
  }

  /**
   * Rows shaped like {@code raw}'s table: the columns {@code sql} selects, cast to their type;
   * every other NULL.
   */
  private Dataset<Row> bronze(TableDefinition raw, String sql) {
    Dataset<Row> given = spark.sql(sql);
    Set<String> names = Set.of(given.columns());
    Column[] columns =
        Arrays.stream(spark.table(raw.qualifiedName()).schema().fields())
            .map(
                f ->
                    (names.contains(f.name()) ? functions.col(f.name()) : functions.lit(null))
                        .cast(f.dataType())
                        .as(f.name()))
            .toArray(Column[]::new);
    return given.select(columns);
  }

  private static List<String> strings(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).toList();
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The stats' columns (and {@code more}), dates as text. */
  private static List<String> statsStrings(Dataset<Row> stats, String... more) {
    List<String> columns =
        new java.util.ArrayList<>(
            List.of(
                "customer_id",
                "lifetime_value",
                "total_orders",
                "CAST(first_order_date AS STRING)",
                "CAST(last_order_date AS STRING)",
                "is_active",
                "customer_segment"));
    columns.addAll(List.of(more));
    return strings(stats.selectExpr(columns.toArray(String[]::new)));
  }
}
