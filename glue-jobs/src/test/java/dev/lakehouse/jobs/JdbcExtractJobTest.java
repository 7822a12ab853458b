package dev.lakehouse.jobs;

import static dev.lakehouse.jobs.JobTestSupport.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.runs.RunStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC extract against a real PostgreSQL (zonky's embedded binaries): first, incremental,
 * interrupted loads.
 */
class JdbcExtractJobTest {
  static EmbeddedPostgres postgres;
  static String url;

  @TempDir Path home;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
    url = postgres.getJdbcUrl("postgres", "postgres");
    sql(
        "CREATE TABLE customers (customer_id text PRIMARY KEY, email text, first_name text, last_name text,"
            + " phone text, address jsonb, created_at timestamptz, updated_at timestamptz)",
        "CREATE TABLE shop_products (product_id text PRIMARY KEY, name text, category text, price numeric(10,2),"
            + " cost numeric(10,2), stock_quantity bigint, is_active boolean, updated_at timestamptz)",
        "INSERT INTO customers VALUES"
            + " ('C1', 'ann@example.com', 'Ann', 'Lee', NULL, '{\"city\":\"Denver\",\"state\":\"CO\",\"country\":\"US\"}',"
            + " '2026-10-01T08:00:00Z', '2026-11-01T10:00:00Z'),"
            + " ('C2', 'bob@example.com', 'Bob', 'Ray', NULL, NULL, '2026-10-02T08:00:00Z', '2026-11-01T09:00:00Z')",
        "INSERT INTO shop_products VALUES"
            + " ('P1', 'Novel', 'Books', 10.00, 6.00, 5, true, '2026-11-01T08:00:00Z'),"
            + " ('P2', 'Phone', 'Electronics', 200.00, 150.00, 3, true, '2026-11-01T08:30:00Z'),"
            + " ('PX', 'Pallet', 'Toys', 5.00, 1.00, 9999999999, true, '2026-11-01T08:45:00Z')");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  static void sql(String... statements) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  static JdbcExtractJob extract(String table, String execution, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--url", url, "--table", table, "--source", "shop", "--execution-id", execution));
    args.addAll(List.of(more));
    return JdbcExtractJob.fromArgs(args.toArray(String[]::new));
  }

  @Test
  void firstIncrementalAndInterruptedLoadsAppendEachChangedRowOnceThenFlowThroughSilverToGold()
      throws Exception {
    SparkSession spark = JobTestSupport.lakehouse(home);

    JobResult first = extract("customers", "e1").execute(spark);
    assertThat(List.of(first.rowsIn(), first.rowsWritten(), first.rowsRejected()))
        .containsExactly(2L, 2L, 0L);
    assertThat(first.details())
        .containsEntry("watermarkFrom", null)
        .containsEntry("watermarkTo", "2026-11-01T10:00:00Z");
    JobResult products =
        extract("products", "e1", "--source-table", "shop_products").execute(spark);
    assertThat(List.of(products.rowsIn(), products.rowsWritten(), products.rowsRejected()))
        .containsExactly(3L, 2L, 1L);
    assertThat(
            strings(
                spark,
                "SELECT source_file, source_line, record_key, reason FROM ecommerce_lakehouse.quarantine"))
        .containsExactly(
            "jdbc:shop/shop_products|3|PX|field stock_quantity: 9999999999 is out of range for int");
    assertThat(
            strings(
                spark,
                "SELECT customer_id, address['city'], CAST(updated_at AS STRING), _source_file,"
                    + " _source_line FROM ecommerce_lakehouse.raw_customers ORDER BY _source_line"))
        .containsExactly(
            "C2|null|2026-11-01 09:00:00|jdbc:shop/customers|1",
            "C1|Denver|2026-11-01 10:00:00|jdbc:shop/customers|2");

    // Incremental: the rows changed since the watermark, and only those.
    sql(
        "UPDATE customers SET email = 'ann.lee@example.com', updated_at = '2026-11-02T10:00:00Z' WHERE customer_id = 'C1'",
        "INSERT INTO customers VALUES ('C3', 'cy@example.com', 'Cy', 'Fox', NULL, NULL, '2026-11-02T08:00:00Z',"
            + " '2026-11-02T08:00:00Z')");
    JobResult second = extract("customers", "e2").execute(spark);
    assertThat(List.of(second.rowsIn(), second.rowsWritten())).containsExactly(2L, 2L);
    assertThat(
            strings(
                spark,
                "SELECT customer_id, email, _source_file, _source_line FROM"
                    + " ecommerce_lakehouse.raw_customers WHERE _execution_id = 'e2' ORDER BY _source_line"))
        .containsExactly(
            "C3|cy@example.com|jdbc:shop/customers?updated_at>2026-11-01T10:00:00Z|1",
            "C1|ann.lee@example.com|jdbc:shop/customers?updated_at>2026-11-01T10:00:00Z|2");

    // Interrupted: the run fails after pulling, before its commit; the watermark stays, the rerun
    // loads each once.
    sql(
        "UPDATE customers SET last_name = 'Roy', updated_at = '2026-11-03T09:00:00Z' WHERE customer_id = 'C2'",
        "INSERT INTO customers VALUES ('C4', 'di@example.com', 'Di', 'Ng', NULL, NULL, '2026-11-03T08:00:00Z',"
            + " '2026-11-03T08:00:00Z')");
    assertThatThrownBy(
            () ->
                extract("customers", "e3")
                    .beforeCommit(
                        () -> {
                          throw new IllegalStateException("worker lost");
                        })
                    .execute(spark))
        .hasMessage("worker lost");
    assertThat(count(spark, "raw_customers")).isEqualTo(4);
    JobResult rerun = extract("customers", "e4").execute(spark);
    assertThat(rerun.rowsWritten()).isEqualTo(2);
    assertThat(rerun.details())
        .containsEntry("watermarkFrom", "2026-11-02T10:00:00Z")
        .containsEntry("watermarkTo", "2026-11-03T09:00:00Z");
    assertThat(
            strings(
                spark,
                "SELECT customer_id, count(*) FROM ecommerce_lakehouse.raw_customers"
                    + " GROUP BY customer_id ORDER BY customer_id"))
        .containsExactly("C1|2", "C2|2", "C3|1", "C4|1");
    JobResult nothing = extract("customers", "e5").execute(spark);
    assertThat(nothing.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(nothing.message())
        .isEqualTo("no rows of customers changed after 2026-11-03T09:00:00Z");

    // Through silver to gold once, with an order file landed beside them.
    assertThat(silver(spark, "customers").rowsWritten()).isEqualTo(4);
    assertThat(silver(spark, "products").rowsWritten()).isEqualTo(2);
    java.nio.file.Path orders =
        JobTestSupport.write(
            home,
            "landing/orders-1.jsonl",
            "{\"order_id\":\"O1\",\"customer_id\":\"C1\",\"order_date\":\"2026-11-03T10:00:00Z\",\"order_status\":"
                + "\"delivered\",\"items\":[{\"product_id\":\"P1\",\"quantity\":3,\"unit_price\":10.00,\"discount\":0},"
                + "{\"product_id\":\"P2\",\"quantity\":1,\"unit_price\":200.00,\"discount\":0}]}\n");
    BronzeIngestJob.fromArgs(
            "--execution-id",
            "e6",
            "--bucket",
            "landing",
            "--key",
            "landing/orders/orders-1.jsonl",
            "--etag",
            "etag-1",
            "--source-path",
            orders.toUri().toString())
        .execute(spark);
    silver(spark, "orders");
    assertThat(GoldJob.fromArgs("--execution-id", "e7").execute(spark).status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(
            strings(
                spark,
                "SELECT c.email, c.last_name FROM ecommerce_lakehouse.curated_customers c"
                    + " WHERE c._is_current ORDER BY c.customer_id"))
        .containsExactly(
            "ann.lee@example.com|Lee",
            "bob@example.com|Roy",
            "cy@example.com|Fox",
            "di@example.com|Ng");
    assertThat(
            strings(
                spark,
                "SELECT dimension_value, CAST(metric_value AS STRING) FROM"
                    + " ecommerce_lakehouse.agg_daily_metrics WHERE metric_type = 'category_revenue' ORDER BY dimension_value"))
        .containsExactly("Books|30.00", "Electronics|200.00");
  }

  @Test
  void ordersAndUnsafeNamesAreRefusedInOneLine() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    assertThatThrownBy(() -> extract("orders", "x").execute(spark))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("orders carry nested items");
    assertThatThrownBy(
            () ->
                extract("customers", "x", "--source-table", "customers; DROP TABLE x")
                    .execute(spark))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'customers; DROP TABLE x' is not a plain SQL identifier (letters, digits, '_', one optional "
                + "schema.)");
  }

  static JobResult silver(SparkSession spark, String entity) {
    return SilverJob.fromArgs(
            "--entity",
            entity,
            "--execution-id",
            "silver-" + entity,
            "--as-of",
            "2026-11-20T00:00:00Z")
        .execute(spark);
  }

  static List<String> strings(SparkSession spark, String query) {
    return spark.sql(query).collectAsList().stream()
        .map(
            r -> {
              StringBuilder b = new StringBuilder();
              for (int i = 0; i < r.length(); i++) {
                b.append(i == 0 ? "" : "|").append(r.get(i));
              }
              return b.toString();
            })
        .toList();
  }
}
