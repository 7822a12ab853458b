package dev.lakehouse.jobs;

import static dev.lakehouse.jobs.JobTestSupport.rows;
import static dev.lakehouse.jobs.JobTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.runs.RunStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty-odd ways an orders file goes wrong, in one file: each line lands in quarantine at the
 * stage that can tell (bronze for structure, silver for business rules) with its own reason, the
 * good lines are curated, and the counts reconcile: lines in = rows kept + rows quarantined, at
 * each stage.
 */
class BadInputMatrixTest {
  static final String GOOD_ITEMS =
      "\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":10.00,\"discount\":0}]";

  @TempDir Path home;

  /**
   * Line text → the reason it is quarantined with (null: kept). Lines are numbered from 1 in this
   * order.
   */
  static Map<String, String> cases() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(order("G1", "\"C1\"", "\"pending\"", "\"2026-11-01T10:00:00Z\"", GOOD_ITEMS), null);
    c.put(
        "{\"order_id\":\"B1\",\"customer_id\":",
        "malformed JSON: Unexpected end-of-input within/between Object entries");
    c.put("[1,2]", "record is not a JSON object");
    c.put("\"just text\"", "record is not a JSON object");
    c.put("{\"customer_id\":\"C1\"}", "missing required field order_id");
    c.put("{\"order_id\":null,\"customer_id\":\"C1\"}", "missing required field order_id");
    c.put(
        order(
            "B6",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":\"abc\"}]"),
        "field items[0].unit_price: expected decimal(10,2), got string \"abc\"");
    c.put(
        order(
            "B7",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":1.005}]"),
        "field items[0].unit_price: 1.005 has more than 2 decimal places for decimal(10,2)");
    c.put(
        order(
            "B8",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":2.5,\"unit_price\":1}]"),
        "field items[0].quantity: expected int, got 2.5");
    c.put(
        order(
            "B9",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":3000000000,\"unit_price\":1}]"),
        "field items[0].quantity: 3000000000 is out of range for int");
    c.put(
        order("B10", "\"C1\"", "\"pending\"", "\"yesterday\"", GOOD_ITEMS),
        "field order_date: expected ISO-8601 timestamp, got \"yesterday\"");
    c.put(
        order("B11", "\"C1\"", "\"pending\"", "12345", GOOD_ITEMS),
        "field order_date: expected ISO-8601 timestamp, got number 12345");
    c.put(
        order("B12", "\"C1\"", "\"pending\"", "\"2026-11-01\"", "\"items\":{}"),
        "field items: expected array, got object");
    c.put(
        order("B13", "\"C1\"", "\"pending\"", "\"2026-11-01\"", "\"items\":[1]"),
        "field items[0]: expected object, got number 1");
    c.put(
        "{\"order_id\":\"B14\",\"shipping_address\":\"Main St\"}",
        "field shipping_address: expected object, got string \"Main St\"");
    c.put(
        "{\"order_id\":\"B15\",\"total_amount\":12345678901.00}",
        "field total_amount: 12345678901 is out of range for decimal(12,2)");
    c.put(
        "{\"order_id\":\"B16\",\"customer_id\":\"C1\",\"order_id\":\"B16b\"}",
        "malformed JSON: Duplicate field 'order_id'");
    c.put(
        "{\"order_id\":\"B17\",\"customer_id\":\"C1\\u0000\"}",
        "field customer_id: contains a NUL character");
    c.put(
        order(
            "B18",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":{\"amount\":1}}]"),
        "field items[0].unit_price: expected decimal(10,2), got object");
    c.put(
        order(
            "B19",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":1,\"discount\":\"abc\"}]"),
        "field items[0].discount: expected decimal(5,2), got string \"abc\"");
    // silver: business rules
    c.put(order("S1", "null", "\"pending\"", "\"2026-11-01\"", GOOD_ITEMS), "missing customer_id");
    c.put(order("S2", "\"C1\"", "null", "\"2026-11-01\"", GOOD_ITEMS), "missing order_status");
    c.put(
        order("S3", "\"C1\"", "\"teleported\"", "\"2026-11-01\"", GOOD_ITEMS),
        "unknown order_status \"teleported\"");
    c.put(
        order("S4", "\"C1\"", "\"pending\"", "\"2026-11-01\"", "\"items\":[]"),
        "order has no items");
    c.put(
        order(
            "S5",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"quantity\":1,\"unit_price\":1}]"),
        "order line without product_id");
    c.put(
        order(
            "S6",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":0,\"unit_price\":1}]"),
        "quantity must be greater than 0");
    c.put(
        order(
            "S7",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":-1}]"),
        "unit_price must be present and not negative");
    c.put(
        order(
            "S8",
            "\"C1\"",
            "\"pending\"",
            "\"2026-11-01\"",
            "\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":1,\"discount\":1.5}]"),
        "discount must be in [0, 1)");
    c.put(
        order("S9", "\"C1\"", "\"pending\"", "\"9999-12-31T00:00:00Z\"", GOOD_ITEMS),
        "implausible order_date 9999-12-31 00:00:00: expected from 2000-01-01 to 2026-11-21T00:00:00Z");
    c.put(
        order("S10", "\"C1\"", "\"pending\"", "\"1970-01-01T00:00:00Z\"", GOOD_ITEMS),
        "implausible order_date 1970-01-01 00:00:00: expected from 2000-01-01 to 2026-11-21T00:00:00Z");
    c.put(
        order("S11", "\"C1\"", "\"pending\"", "null", GOOD_ITEMS),
        "missing or unparseable order_date");
    c.put(order("  ", "\"C1\"", "\"pending\"", "\"2026-11-01\"", GOOD_ITEMS), "missing order_id");
    c.put(
        order("S13", "\"  \"", "\"pending\"", "\"2026-11-01\"", GOOD_ITEMS), "missing customer_id");
    c.put(
        order("G2", "\"C1\"", "\"pending\"", "\"2026-11-02T10:00:00Z\"", GOOD_ITEMS),
        "superseded by line 35 of the same file");
    c.put(order("G2", "\"C1\"", "\" Shipped \"", "\"2026-11-02 10:00:00\"", GOOD_ITEMS), null);
    return c;
  }

  @Test
  void everyKindOfBadLineIsQuarantinedWithItsReasonAndTheCountsReconcile() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Map<String, String> cases = cases();
    Path file = write(home, "in/orders.jsonl", String.join("\n", cases.keySet()) + "\n");

    JobResult bronze =
        BronzeIngestJob.fromArgs(
                "--execution-id",
                "exec-1",
                "--bucket",
                "landing",
                "--key",
                "landing/orders/matrix.jsonl",
                "--etag",
                "m1",
                "--source-path",
                file.toUri().toString())
            .execute(spark);
    JobResult silver =
        SilverJob.fromArgs(
                "--entity", "orders", "--execution-id", "exec-1", "--as-of", "2026-11-20T00:00:00Z")
            .execute(spark);

    List<String> expected = new java.util.ArrayList<>();
    int line = 0;
    long bronzeRejects = 0;
    long silverRejects = 0;
    for (String reason : cases.values()) {
      line++;
      if (reason != null) {
        boolean atSilver = line > 20;
        expected.add((atSilver ? "silver" : "bronze") + "|" + line + "|" + reason);
        bronzeRejects += atSilver ? 0 : 1;
        silverRejects += atSilver ? 1 : 0;
      }
    }
    assertThat(
            rows(
                    spark,
                    "SELECT stage, source_line, reason FROM ecommerce_lakehouse.quarantine ORDER BY source_line")
                .stream()
                .map(r -> r.getString(0) + "|" + r.getLong(1) + "|" + r.getString(2))
                .toList())
        .containsExactlyElementsOf(expected);
    assertThat(bronze.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(bronze.rowsIn()).isEqualTo(cases.size());
    assertThat(bronze.rowsRejected()).isEqualTo(bronzeRejects);
    assertThat(bronze.rowsWritten()).isEqualTo(bronze.rowsIn() - bronzeRejects);
    assertThat(silver.rowsIn()).isEqualTo(bronze.rowsWritten());
    assertThat(silver.rowsRejected()).isEqualTo(silverRejects);
    assertThat(silver.rowsWritten()).isEqualTo(silver.rowsIn() - silverRejects);
    assertThat(
            rows(
                    spark,
                    "SELECT order_id, order_status FROM ecommerce_lakehouse.curated_orders ORDER BY order_id")
                .stream()
                .map(Object::toString)
                .toList())
        .containsExactly("[G1,pending]", "[G2,shipped]");
  }

  static String order(String id, String customer, String status, String date, String items) {
    return "{\"order_id\":\""
        + id
        + "\",\"customer_id\":"
        + customer
        + ",\"order_status\":"
        + status
        + ",\"order_date\":"
        + date
        + ","
        + items
        + "}";
  }
}
