package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.PipelineEndToEndTest.gold;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The design document's data contract through the local stack: files shaped exactly like its
 * generator's output reach gold with nothing rejected and nothing renamed away, and a batch whose
 * every row is rejected is a successful execution that changes nothing but quarantine and the run
 * log.
 */
class SeedContractEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void seedShapedFilesReachGoldIntactAndAllRejectedBatchesSucceedChangingNothingButQuarantine()
      throws Exception {
    SeedShapedData.Files3 seed =
        new SeedShapedData(2026).write(dir.resolve("seed"), 300, 100, 1000);
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(dir.resolve("home"))).build()) {
      for (Path file : List.of(seed.customers(), seed.products(), seed.orders())) {
        Execution execution =
            stack.ingest(stack.upload(file, file.getFileName().toString().replace(".jsonl", "")));
        assertThat(execution.status())
            .as(execution.historyTable())
            .isEqualTo(ExecutionStatus.SUCCEEDED);
      }
      SparkSession spark = stack.lakehouse().spark();
      RunLog runLog = new RunLog(stack.lakehouse().catalog());

      assertThat(runLog.all())
          .filteredOn(r -> r.step().equals("bronze") || r.step().equals("silver"))
          .extracting(
              r ->
                  r.step()
                      + " "
                      + r.tableName()
                      + " "
                      + r.rowsIn()
                      + "/"
                      + r.rowsWritten()
                      + "/"
                      + r.rowsRejected())
          .containsExactlyInAnyOrder(
              "bronze raw_customers 300/300/0", "silver curated_customers 300/300/0",
              "bronze raw_products 100/100/0", "silver curated_products 100/100/0",
              "bronze raw_orders 1000/1000/0", "silver curated_orders 1000/1000/0");
      assertThat(spark.table("ecommerce_lakehouse.quarantine").count()).isZero();
      assertThat(spark.table("ecommerce_lakehouse.raw_orders").columns())
          .as("no schema drift")
          .doesNotContain("status", "_drift_order_status")
          .contains("order_status", "required_date", "shipped_date");

      assertThat(
              strings(
                  spark,
                  "SELECT customer_id, full_name, postal_code, city, state, country, source_system,"
                      + " registration_date FROM ecommerce_lakehouse.curated_customers WHERE _is_current ORDER BY customer_id"))
          .isEqualTo(
              expected(
                  seed.customers(),
                  c ->
                      c.get("customer_id").asText()
                          + "|"
                          + c.get("first_name").asText()
                          + " "
                          + c.get("last_name").asText()
                          + "|"
                          + c.at("/address/zip").asText()
                          + "|"
                          + c.at("/address/city").asText()
                          + "|"
                          + c.at("/address/state").asText()
                          + "|"
                          + c.at("/address/country").asText()
                          + "|"
                          + c.get("source_system").asText()
                          + "|"
                          + ExpectedGold.utc(c.get("created_at").asText())));
      assertThat(
              strings(
                  spark,
                  "SELECT product_id, product_name, sku, description, price, cost,"
                      + " attributes['warranty'] FROM ecommerce_lakehouse.curated_products ORDER BY product_id"))
          .isEqualTo(
              expected(
                  seed.products(),
                  p ->
                      p.get("product_id").asText()
                          + "|"
                          + p.get("name").asText()
                          + "|"
                          + p.get("sku").asText()
                          + "|"
                          + p.get("description").asText()
                          + "|"
                          + p.get("price").asText()
                          + "|"
                          + p.get("cost").asText()
                          + "|"
                          + p.at("/attributes/warranty").asText()));
      assertThat(
              strings(
                  spark,
                  "SELECT order_id, order_status, order_date, required_date, shipped_date, shipping_city,"
                      + " item_count FROM ecommerce_lakehouse.curated_orders ORDER BY order_id"))
          .isEqualTo(
              expected(
                  seed.orders(),
                  o ->
                      o.get("order_id").asText()
                          + "|"
                          + o.get("order_status").asText()
                          + "|"
                          + ExpectedGold.utc(o.get("order_date").asText())
                          + "|"
                          + ExpectedGold.utc(o.get("required_date").asText())
                          + "|"
                          + (o.get("shipped_date").isNull()
                              ? "null"
                              : ExpectedGold.utc(o.get("shipped_date").asText()))
                          + "|"
                          + o.at("/shipping_address/city").asText()
                          + "|"
                          + o.get("items").size()));
      assertThat(
              strings(
                  spark,
                  "SELECT count(*), count(shipped_date), sum(total_amount) FROM ecommerce_lakehouse.raw_orders"))
          .as("totals with sub-cent digits are rounded to cents at bronze, not rejected")
          .containsExactly(expectedRawTotals(seed.orders()));
      assertThat(gold(spark)).isEqualTo(ExpectedGold.from(seed.products(), seed.orders()));

      // A batch whose every row fails silver: a successful execution, quarantine holds each row
      // with its reason.
      List<List<String>> before = curatedAndGold(spark);
      StringBuilder unknown = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        unknown
            .append(
                JSON.writeValueAsString(
                    JSON.createObjectNode()
                        .put("order_id", "ORD-LOST" + i)
                        .put("customer_id", "CUST-00000001")
                        .put("order_status", "teleported")
                        .put("order_date", "2026-10-01 10:00:00")
                        .set(
                            "items",
                            JSON.readTree(
                                "[{\"product_id\":\"PROD-1\",\"quantity\":1,\"unit_price\":\"9.99\",\"discount\":\"0.00\"}]"))))
            .append('\n');
      }
      Execution allRejected =
          stack.ingest(
              stack.upload(
                  Files.writeString(dir.resolve("orders-unknown-status.jsonl"), unknown),
                  "orders"));

      assertThat(allRejected.status())
          .as(allRejected.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(
              strings(
                  spark,
                  "SELECT stage, reason, count(*), count(DISTINCT execution_id) FROM"
                      + " ecommerce_lakehouse.quarantine GROUP BY stage, reason"))
          .containsExactly("silver|unknown order_status \"teleported\"|50|1");
      assertThat(curatedAndGold(spark)).as("silver and gold unchanged").isEqualTo(before);
      assertThat(runLog.forExecution(allRejected.id()))
          .extracting(
              r ->
                  r.step()
                      + " "
                      + r.status()
                      + " "
                      + r.rowsIn()
                      + "/"
                      + r.rowsWritten()
                      + "/"
                      + r.rowsRejected()
                      + " "
                      + r.message())
          .contains(
              "bronze SUCCEEDED 50/50/0 null",
              "silver SUCCEEDED 50/0/50 every row was rejected: nothing promoted",
              "gold SKIPPED 0/0/0 no silver changes since the last gold run");

      // A batch whose every row fails bronze: the same, at the bronze stage.
      Execution unreadable =
          stack.ingest(
              stack.upload(
                  Files.writeString(
                      dir.resolve("orders-truncated.jsonl"),
                      "{\"order_id\":\"ORD-X1\",\n{\"order_id\":\n"),
                  "orders"));
      assertThat(unreadable.status())
          .as(unreadable.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(
              strings(
                  spark,
                  "SELECT stage, source_line FROM ecommerce_lakehouse.quarantine WHERE stage = 'bronze'"
                      + " ORDER BY source_line"))
          .containsExactly("bronze|1", "bronze|2");
      assertThat(curatedAndGold(spark)).isEqualTo(before);
    }
  }

  private static List<List<String>> curatedAndGold(SparkSession spark) {
    List<List<String>> all = new ArrayList<>();
    for (String table :
        List.of(
            "curated_customers",
            "curated_products",
            "curated_orders",
            "curated_order_items",
            "agg_daily_metrics")) {
      all.add(
          spark.sql("SELECT * FROM ecommerce_lakehouse." + table).collectAsList().stream()
              .map(Row::toString)
              .sorted()
              .toList());
    }
    return all;
  }

  private static String expectedRawTotals(Path orders) throws IOException {
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    long shipped = 0;
    List<String> lines = Files.readAllLines(orders);
    for (String line : lines) {
      JsonNode o = JSON.readTree(line);
      sum =
          sum.add(
              new java.math.BigDecimal(o.get("total_amount").asText())
                  .setScale(2, java.math.RoundingMode.HALF_UP));
      shipped += o.get("shipped_date").isNull() ? 0 : 1;
    }
    return lines.size() + "|" + shipped + "|" + sum.toPlainString();
  }

  private static List<String> expected(Path file, Function<JsonNode, String> row)
      throws IOException {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(row.apply(JSON.readTree(line)));
    }
    return rows.stream().sorted().toList();
  }

  /** Rows as "a|b|c"; timestamps as UTC instants, decimals in plain notation. */
  static List<String> strings(SparkSession spark, String sql) {
    return spark.sql(sql).collectAsList().stream()
        .map(
            r -> {
              List<String> cells = new ArrayList<>();
              for (int i = 0; i < r.length(); i++) {
                Object v = r.get(i);
                cells.add(
                    v == null
                        ? "null"
                        : v instanceof java.sql.Timestamp t
                            ? t.toInstant().toString()
                            : v instanceof java.math.BigDecimal d
                                ? d.toPlainString()
                                : v.toString());
              }
              return String.join("|", cells);
            })
        .toList();
  }
}
