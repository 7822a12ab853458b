package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalRestSource;
import dev.lakehouse.local.stack.LocalStack;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST API as a source, end to end: the RestSource handler pages through an API served by a JDK
 * HttpServer (customers and orders by cursor, products by page number), lands JSON Lines objects in
 * the local landing bucket, and the ingest state machine takes each through bronze, silver and gold
 * as it would a dropped file.
 */
class RestSourceEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(11, 20, 10, 60, LocalDate.parse("2026-11-01"), 0.0);

  @TempDir Path dir;

  @Test
  void pagesOfAnApiFlowThroughBronzeSilverAndGoldOnceAndTheNextRunContinuesFromTheCursor()
      throws Exception {
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    Map<String, List<String>> records = records(data);
    HttpServer api = serve(records);
    String base = "http://127.0.0.1:" + api.getAddress().getPort();
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(dir.resolve("home"))).build()) {
      LocalRestSource rest = new LocalRestSource(stack, Optional::empty);

      Map<String, Object> customers1 =
          rest.run(payload("crm", base + "/customers?size=10", "customers", "maxPages", 1));
      Map<String, Object> customers2 =
          rest.run(payload("crm", base + "/customers?size=10", "customers"));
      Map<String, Object> products =
          rest.run(
              payload(
                  "catalog",
                  base + "/products",
                  "products",
                  "pagination",
                  "page",
                  "itemsPath",
                  "",
                  "pageSize",
                  10));
      Map<String, Object> orders = rest.run(payload("shop", base + "/orders?size=60", "orders"));

      assertThat(
              List.of(
                  customers1.get("records"),
                  customers2.get("records"),
                  products.get("records"),
                  orders.get("records")))
          .containsExactly(10L, 10L, 10L, 60L);
      assertThat(customers1).containsEntry("reachedEnd", false).containsEntry("nextCursor", "10");
      assertThat(customers2).containsEntry("pages", 1).containsEntry("reachedEnd", true);
      assertThat(products).containsEntry("pages", 2).containsEntry("nextPage", 2);
      for (Map<String, Object> answer : List.of(customers1, customers2, products, orders)) {
        for (LocalStack.Landed landed : rest.landed(answer)) {
          Execution execution = stack.ingest(landed);
          assertThat(execution.status())
              .as(execution.historyTable())
              .isEqualTo(ExecutionStatus.SUCCEEDED);
        }
      }

      SparkSession spark = stack.lakehouse().spark();
      assertThat(count(spark, "raw_customers")).isEqualTo(20);
      assertThat(count(spark, "raw_products")).isEqualTo(10);
      assertThat(count(spark, "raw_orders")).isEqualTo(60);
      assertThat(
              spark
                  .sql(
                      "SELECT count(*) FROM ecommerce_lakehouse.curated_customers WHERE _is_current")
                  .first()
                  .getLong(0))
          .isEqualTo(20);
      assertThat(count(spark, "curated_products")).isEqualTo(10);
      assertThat(count(spark, "curated_orders"))
          .isEqualTo(distinct(records.get("/orders"), "order_id"));
      // Lineage: each bronze row names the landed page object and its line in it.
      assertThat(
              spark
                  .sql(
                      "SELECT count(*) FROM ecommerce_lakehouse.raw_customers WHERE _source_file LIKE "
                          + "'s3://landing/landing/customers/rest/crm/cursor-%.jsonl' AND _source_line BETWEEN 1 AND 10")
                  .first()
                  .getLong(0))
          .isEqualTo(20);
      List<String> expected = ExpectedGold.from(data.products(), data.orders());
      assertThat(PipelineEndToEndTest.gold(spark)).isEqualTo(expected);
      BigDecimal revenue =
          expected.stream()
              .filter(r -> r.contains("|daily_revenue|"))
              .map(r -> new BigDecimal(r.split("\\|")[3]))
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(
              spark
                  .sql(
                      "SELECT sum(metric_value) FROM ecommerce_lakehouse.agg_daily_metrics"
                          + " WHERE metric_type = 'daily_revenue'")
                  .first()
                  .getDecimal(0))
          .isEqualByComparingTo(revenue);

      // The sources are at their ends: the next scheduled runs fetch their last pages again and
      // land nothing.
      assertThat(rest.landed(rest.run(payload("crm", base + "/customers?size=10", "customers"))))
          .isEmpty();
      assertThat(rest.landed(rest.run(payload("shop", base + "/orders?size=60", "orders"))))
          .isEmpty();
      assertThat(count(spark, "raw_orders")).isEqualTo(60);
    } finally {
      api.stop(0);
    }
  }

  @Test
  void fetchApiLandsPagesFromTheCommandLineAndContinuesFromTheCursor() throws Exception {
    HttpServer api = serve(records(new SampleDataGenerator(DATA).writeTo(dir.resolve("data"))));
    String url = "http://127.0.0.1:" + api.getAddress().getPort() + "/customers?size=15";
    String home = dir.resolve("home").toString();
    try {
      CliRun first =
          cli(
              "--home",
              home,
              "fetch-api",
              "--url",
              url,
              "--table",
              "customers",
              "--max-pages",
              "1",
              "--no-ingest");
      assertThat(first.code()).as(first.err()).isZero();
      assertThat(first.out())
          .matches(
              "customers-api: 1 page\\(s\\), 15 record\\(s\\) landed in 1 object\\(s\\), 0 "
                  + "page\\(s\\) already landed; next cursor 15\n"
                  + "-> s3://landing/landing/customers/rest/customers-api/cursor-start-[0-9a-f]{16}\\.jsonl\n");
      CliRun second =
          cli("--home", home, "fetch-api", "--url", url, "--table", "customers", "--no-ingest");
      assertThat(second.out())
          .startsWith(
              "customers-api: 1 page(s), 5 record(s) landed in 1 object(s), 0 page(s) "
                  + "already landed; next cursor 15\n");

      CliRun bad = cli("--home", home, "fetch-api", "--url", url, "--table", "invoices");
      assertThat(bad.code()).isEqualTo(2);
      assertThat(bad.err())
          .isEqualTo(
              "lakehouse: unknown table 'invoices'; expected one of [customers, products, "
                  + "orders]\n");
    } finally {
      api.stop(0);
    }
  }

  record CliRun(int code, String out, String err) {}

  static CliRun cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        dev.lakehouse.local.cli.LakehouseCli.run(
            args, new java.io.PrintWriter(out), new java.io.PrintWriter(err));
    return new CliRun(code, out.toString(), err.toString());
  }

  static Map<String, List<String>> records(SampleDataGenerator.Result data) throws IOException {
    Map<String, List<String>> records = new HashMap<>();
    records.put("/customers", Files.readAllLines(data.customers()));
    records.put("/products", Files.readAllLines(data.products()));
    records.put("/orders", Files.readAllLines(data.orders()));
    return records;
  }

  static HttpServer serve(Map<String, List<String>> records) throws IOException {
    HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext("/", exchange -> serve(exchange, records));
    api.start();
    return api;
  }

  static Map<String, Object> payload(String source, String url, String table, Object... more) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("source", source);
    p.put("url", url);
    p.put("table", table);
    for (int i = 0; i < more.length; i += 2) {
      p.put((String) more[i], more[i + 1]);
    }
    return p;
  }

  /**
   * Cursor endpoints: {@code ?size=N[&cursor=OFFSET]} → {data, next_cursor}; page endpoints: a bare
   * array.
   */
  static void serve(HttpExchange exchange, Map<String, List<String>> records) throws IOException {
    List<String> all = records.get(exchange.getRequestURI().getPath());
    Map<String, String> q = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    ArrayNode items = JSON.createArrayNode();
    Object body;
    if (q.containsKey("page")) {
      int size = Integer.parseInt(q.get("page_size"));
      int from = (Integer.parseInt(q.get("page")) - 1) * size;
      all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()))
          .forEach(l -> items.add(tree(l)));
      body = items;
    } else {
      int size = Integer.parseInt(q.get("size"));
      int from = Integer.parseInt(q.getOrDefault("cursor", "0"));
      int to = Math.min(from + size, all.size());
      all.subList(from, to).forEach(l -> items.add(tree(l)));
      ObjectNode page = JSON.createObjectNode();
      page.set("data", items);
      page.put("next_cursor", to < all.size() ? Integer.toString(to) : null);
      body = page;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static com.fasterxml.jackson.databind.JsonNode tree(String line) {
    try {
      return JSON.readTree(line.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static long count(SparkSession spark, String table) {
    return spark.table("ecommerce_lakehouse." + table).count();
  }

  static long distinct(List<String> lines, String field) {
    return lines.stream().map(l -> tree(l).get(field).asText()).distinct().count();
  }
}
