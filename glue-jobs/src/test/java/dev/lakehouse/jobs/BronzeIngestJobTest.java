package dev.lakehouse.jobs;

import static dev.lakehouse.jobs.JobTestSupport.count;
import static dev.lakehouse.jobs.JobTestSupport.rows;
import static dev.lakehouse.jobs.JobTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lakehouse.core.ingest.batch.BatchManifest;
import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.core.tables.LakehouseTables;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.relocated.com.google.common.collect.Iterables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BronzeIngestJobTest {
  @TempDir Path home;

  static final String ORDERS =
      String.join(
              "\n",
              "{\"order_id\":\"O1\",\"customer_id\":\"C1\",\"order_date\":\"2026-11-01T10:00:00Z\",\"order_status\":\"delivered\","
                  + "\"items\":[{\"product_id\":\"P1\",\"quantity\":2,\"unit_price\":10.50,\"discount\":0.10}],"
                  + "\"shipping_address\":{\"city\":\"Denver\",\"state\":\"CO\",\"country\":\"US\"},\"total_amount\":\"29.40\"}",
              "{\"order_id\":\"O2\",\"customer_id\":\"C2\",\"order_date\":\"2026-11-02\",\"order_status\":\"pending\",\"items\":[]}",
              "{\"order_id\":\"O3\",\"customer_id\":",
              "",
              "{\"order_id\":\"O4\",\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":\"abc\"}]}",
              "{\"customer_id\":\"C9\",\"order_status\":\"pending\"}",
              "{\"order_id\":\"O5\",\"items\":[{\"product_id\":\"P1\",\"quantity\":1,\"unit_price\":1.005}]}",
              "{\"order_id\":\"O6\",\"order_date\":\"yesterday\"}",
              "{\"order_id\":\"O7\",\"customer_id\":\"C1\",\"order_id\":\"O8\"}",
              "{\"order_id\":\"O9\",\"customer_id\":\"C1\\u0000DROP\"}")
          + "\n";

  private static JobResult ingest(
      SparkSession spark, Path file, String key, String etag, String... extra) {
    String[] base = {
      "--execution-id",
      "exec-" + etag,
      "--bucket",
      "landing",
      "--key",
      key,
      "--etag",
      etag,
      "--source-path",
      file.toUri().toString()
    };
    String[] args =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    return BronzeIngestJob.fromArgs(args).execute(spark);
  }

  @Test
  void appendsValidRecordsWithLineageAndQuarantinesTheRestWithReasons() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Path file = write(home, "in/orders.jsonl", ORDERS);

    JobResult result = ingest(spark, file, "landing/orders/2026/11/orders.jsonl", "e1");

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.rowsIn()).isEqualTo(9);
    assertThat(result.rowsWritten()).isEqualTo(2);
    assertThat(result.rowsRejected()).isEqualTo(7);
    Row o1 =
        rows(
                spark,
                "select order_id, items[0].unit_price, items[0].discount, total_amount, shipping_address['city'],"
                    + " _source_file, _source_line, _execution_id from ecommerce_lakehouse.raw_orders where order_id = 'O1'")
            .get(0);
    assertThat(o1.getDecimal(1)).isEqualTo(new BigDecimal("10.50"));
    assertThat(o1.getDecimal(2)).isEqualTo(new BigDecimal("0.10"));
    assertThat(o1.getDecimal(3)).isEqualTo(new BigDecimal("29.40"));
    assertThat(o1.getString(4)).isEqualTo("Denver");
    assertThat(o1.getString(5)).isEqualTo("s3://landing/landing/orders/2026/11/orders.jsonl");
    assertThat(o1.getLong(6)).isEqualTo(1L);
    assertThat(o1.getString(7)).isEqualTo("exec-e1");
    assertThat(
            rows(
                    spark,
                    "select cast(order_date as string) from ecommerce_lakehouse.raw_orders where order_id = 'O2'")
                .get(0)
                .getString(0))
        .isEqualTo("2026-11-02 00:00:00");

    assertThat(
            rows(
                spark,
                "select source_line, record_key, reason, stage, table_name from ecommerce_lakehouse.quarantine order by source_line"))
        .extracting(r -> r.getLong(0), r -> r.getString(2))
        .containsExactly(
            tuple(3L, "malformed JSON: Unexpected end-of-input within/between Object entries"),
            tuple(5L, "field items[0].unit_price: expected decimal(10,2), got string \"abc\""),
            tuple(6L, "missing required field order_id"),
            tuple(
                7L,
                "field items[0].unit_price: 1.005 has more than 2 decimal places for decimal(10,2)"),
            tuple(8L, "field order_date: expected ISO-8601 timestamp, got \"yesterday\""),
            tuple(9L, "malformed JSON: Duplicate field 'order_id'"),
            tuple(10L, "field customer_id: contains a NUL character"));
    assertThat(
            rows(
                    spark,
                    "select raw_record from ecommerce_lakehouse.quarantine where source_line = 6")
                .get(0)
                .getString(0))
        .isEqualTo("{\"customer_id\":\"C9\",\"order_status\":\"pending\"}");
  }

  @Test
  void aBatchOfTwoTablesQuarantinesTheirRejectsInOneCommitBeforeItsAppends() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Path customers =
        write(
            home,
            "in/customers.jsonl",
            "{\"customer_id\":\"C1\",\"email\":\"c1@example.com\"}\n"
                + "{\"customer_id\":\"C2\",\"created_at\":\"last spring\"}\n");
    Path orders = write(home, "in/orders.jsonl", ORDERS);
    String customersKey = "landing/customers/2026/11/customers.jsonl";
    String ordersKey = "landing/orders/2026/11/orders.jsonl";
    BatchManifest manifest =
        new BatchManifest(
            "batch-1",
            "exec-batch",
            "2026-11-01T10:00:00Z",
            List.of(entry("customers", customersKey, "ec"), entry("orders", ordersKey, "eo")));
    Table quarantine =
        LakehouseSpark.icebergCatalog(spark).loadTable(LakehouseTables.QUARANTINE.identifier());
    int snapshotsBefore = Iterables.size(quarantine.snapshots());

    JobResult result =
        BronzeIngestJob.fromArgs(
                "--execution-id", "exec-batch", "--batch-manifest", "s3://landing/batches/b.json")
            .withManifest(manifest)
            .withSourcePaths(
                Map.of(
                    "s3://landing/" + customersKey, customers, "s3://landing/" + ordersKey, orders))
            .execute(spark);

    assertThat(List.of(result.rowsIn(), result.rowsWritten(), result.rowsRejected()))
        .containsExactly(11L, 3L, 8L);
    quarantine.refresh();
    assertThat(Iterables.size(quarantine.snapshots())).isEqualTo(snapshotsBefore + 1);
    long firstAppend =
        LakehouseSpark.icebergCatalog(spark)
            .loadTable(LakehouseTables.RAW_CUSTOMERS.identifier())
            .currentSnapshot()
            .timestampMillis();
    assertThat(quarantine.currentSnapshot().timestampMillis()).isLessThanOrEqualTo(firstAppend);
    assertThat(
            rows(
                spark,
                "select table_name, count(*) from ecommerce_lakehouse.quarantine"
                    + " group by table_name order by table_name"))
        .extracting(r -> r.getString(0), r -> r.getLong(1))
        .containsExactly(tuple("raw_customers", 1L), tuple("raw_orders", 7L));
    assertThat(
            rows(
                spark,
                "select reason from ecommerce_lakehouse.quarantine where table_name = 'raw_customers'"))
        .extracting(r -> r.getString(0))
        .containsExactly("field created_at: expected ISO-8601 timestamp, got \"last spring\"");
    assertThat(count(spark, "raw_customers")).isEqualTo(1);
    assertThat(count(spark, "raw_orders")).isEqualTo(2);
  }

  private static BatchManifest.Entry entry(String entity, String key, String etag) {
    return new BatchManifest.Entry(
        BatchManifest.Status.ACCEPTED,
        "landing",
        key,
        "s3://landing/" + key,
        etag,
        entity,
        "raw_" + entity,
        null,
        "jsonl",
        null,
        null,
        null,
        List.of(),
        null);
  }

  /**
   * Records as the design document's generator writes them: naive ISO timestamps (UTC) with
   * microseconds and with a space instead of the T, money as decimal strings, an order total with
   * sub-cent digits, {@code zip} in the address, {@code shipped_date: null}, product attributes as
   * a map.
   */
  @Test
  void recordsShapedLikeTheDesignDocumentsGeneratorLoadWithNothingRejected() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Path customers =
        write(
            home,
            "in/customers.jsonl",
            "{\"customer_id\":\"CUST-1A2B3C4D\",\"email\":\"james.smith0@email.com\","
                + "\"first_name\":\"James\",\"last_name\":\"Smith\",\"phone\":\"+1-555-123-4567\",\"address\":{\"street\":"
                + "\"123 Main Street\",\"city\":\"New York\",\"state\":\"NY\",\"zip\":\"10001\",\"country\":\"USA\"},"
                + "\"created_at\":\"2026-03-04T05:06:07.123456\",\"updated_at\":\"2026-09-01 20:25:00.5\",\"source_system\":\"web\"}\n");
    Path products =
        write(
            home,
            "in/products.jsonl",
            "{\"product_id\":\"PROD-0A1B2C3D\",\"sku\":\"SKU-ELE-0000\","
                + "\"name\":\"Electronics Phones Product 0\",\"description\":\"High quality electronics product\","
                + "\"category\":\"Electronics\",\"subcategory\":\"Phones\",\"price\":\"499.99\",\"cost\":\"250.10\","
                + "\"stock_quantity\":17,\"attributes\":{\"weight\":\"1.20 kg\",\"color\":\"Black\",\"warranty\":\"24 months\"},"
                + "\"created_at\":\"2026-01-01 00:00:00\",\"updated_at\":\"2026-09-01T20:25:00+02:00\"}\n");
    Path orders =
        write(
            home,
            "in/orders.jsonl",
            "{\"order_id\":\"ORD-9F8E7D6C\",\"customer_id\":\"CUST-1A2B3C4D\","
                + "\"order_status\":\"pending\",\"order_date\":\"2026-09-01T20:25:00.123456\","
                + "\"required_date\":\"2026-09-05 20:25:00.123456\",\"shipped_date\":null,\"items\":[{\"product_id\":"
                + "\"PROD-0A1B2C3D\",\"quantity\":2,\"unit_price\":\"499.99\",\"discount\":\"0.15\"}],\"shipping_address\":"
                + "{\"street\":\"123 Main Street\",\"city\":\"New York\",\"state\":\"NY\",\"zip\":\"10001\",\"country\":\"USA\"},"
                + "\"total_amount\":849.9830}\n");

    for (JobResult result :
        java.util.List.of(
            ingest(spark, customers, "landing/customers/c.jsonl", "s1"),
            ingest(spark, products, "landing/products/p.jsonl", "s2"),
            ingest(spark, orders, "landing/orders/o.jsonl", "s3"))) {
      assertThat(result.rowsRejected()).as(result.table()).isZero();
      assertThat(result.rowsWritten()).as(result.table()).isEqualTo(1);
      assertThat(result.message()).as("no schema drift in " + result.table()).isNull();
    }
    assertThat(
            rows(
                    spark,
                    "select cast(created_at as string), cast(updated_at as string), address['zip'], source_system"
                        + " from ecommerce_lakehouse.raw_customers")
                .get(0)
                .toString())
        .isEqualTo("[2026-03-04 05:06:07.123456,2026-09-01 20:25:00.5,10001,web]");
    assertThat(
            rows(
                    spark,
                    "select sku, name, price, cost, attributes['warranty'], cast(created_at as string),"
                        + " cast(updated_at as string) from ecommerce_lakehouse.raw_products")
                .get(0)
                .toString())
        .isEqualTo(
            "[SKU-ELE-0000,Electronics Phones Product 0,499.99,250.10,24 months,2026-01-01 00:00:00,2026-09-01 18:25:00]");
    assertThat(
            rows(
                    spark,
                    "select order_status, cast(order_date as string), cast(required_date as string), shipped_date,"
                        + " items[0].unit_price, items[0].discount, total_amount from ecommerce_lakehouse.raw_orders")
                .get(0)
                .toString())
        .isEqualTo(
            "[pending,2026-09-01 20:25:00.123456,2026-09-05 20:25:00.123456,null,499.99,0.15,849.98]");
  }

  @Test
  void aTruncatedGzipKeepsEveryCompleteLineAndQuarantinesTheBrokenRest() throws IOException {
    SparkSession spark = JobTestSupport.lakehouse(home);
    StringBuilder content = new StringBuilder();
    for (int i = 1; i <= 400; i++) {
      content
          .append("{\"order_id\":\"O")
          .append(i)
          .append("\",\"customer_id\":\"C")
          .append(i % 7)
          .append("\",\"order_status\":\"pending\",\"note\":\"")
          .append(Integer.toHexString(i * 7919))
          .append("\"}\n");
    }
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(content.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] whole = gz.toByteArray();
    Path truncated = home.resolve("in/orders-cut.jsonl.gz");
    Files.createDirectories(truncated.getParent());
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));

    JobResult result = ingest(spark, truncated, "landing/orders/orders-cut.jsonl.gz", "t1");

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    long kept = result.rowsWritten();
    assertThat(kept).isBetween(1L, 399L);
    assertThat(result.rowsRejected()).isEqualTo(1);
    assertThat(result.rowsIn()).isEqualTo(kept + 1);
    assertThat(
            rows(
                    spark,
                    "select min(_source_line), max(_source_line), count(distinct order_id),"
                        + " max(cast(substring(order_id, 2) as int)) from ecommerce_lakehouse.raw_orders")
                .get(0)
                .toString())
        .as("the first lines, in order, each once")
        .isEqualTo("[1," + kept + "," + kept + "," + kept + "]");
    assertThat(
            rows(spark, "select source_line, reason from ecommerce_lakehouse.quarantine")
                .get(0)
                .toString())
        .isEqualTo(
            "["
                + (kept + 1)
                + ",the compressed file is truncated or corrupt from line "
                + (kept + 1)
                + " on (Unexpected end of ZLIB input stream); the lines before it were loaded]");
  }

  @Test
  void theSameObjectIsIngestedOnceAndAChangedObjectAgain() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Path file = write(home, "in/orders.jsonl", ORDERS);
    ingest(spark, file, "landing/orders/o.jsonl", "e1");
    long snapshots = rows(spark, "select * from ecommerce_lakehouse.raw_orders.snapshots").size();
    long quarantineSnapshots =
        rows(spark, "select * from ecommerce_lakehouse.quarantine.snapshots").size();

    JobResult again = ingest(spark, file, "landing/orders/o.jsonl", "e1");

    assertThat(again.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(again.message()).isEqualTo("already ingested by execution exec-e1");
    assertThat(again.details()).containsEntry("alreadyIngested", true);
    assertThat(count(spark, "raw_orders")).isEqualTo(2);
    assertThat(count(spark, "quarantine")).isEqualTo(7);
    assertThat(rows(spark, "select * from ecommerce_lakehouse.raw_orders.snapshots"))
        .hasSize((int) snapshots);
    assertThat(rows(spark, "select * from ecommerce_lakehouse.quarantine.snapshots"))
        .hasSize((int) quarantineSnapshots);

    JobResult changed = ingest(spark, file, "landing/orders/o.jsonl", "e2");
    assertThat(changed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(count(spark, "raw_orders")).isEqualTo(4);
    assertThat(count(spark, "quarantine"))
        .as("rejects of one source are replaced, not duplicated")
        .isEqualTo(7);
  }

  @Test
  void readsCsvWithAddressColumnsJsonArraysGzipAndParquet() throws IOException {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Path csv =
        write(
            home,
            "in/customers.csv",
            String.join(
                    "\n",
                    "customer_id,email,first_name,last_name,phone,street,city,state,zip,country,created_at",
                    "C1,Ann@Example.com ,Ann,Lee,+1-555-000-0001,1 Main St,Denver,CO,80201,US,2026-01-05T00:00:00Z",
                    "C2,\"bob,jr@example.com\",Bob,\"O\"\"Neil\",,,Boston,MA,,US,",
                    "C3,too,few")
                + "\n");
    JobResult fromCsv = ingest(spark, csv, "landing/customers/c.csv", "c1");
    assertThat(fromCsv.rowsWritten()).isEqualTo(2);
    assertThat(
            rows(
                spark,
                "select customer_id, email, last_name, address['city'], address['street'], phone from "
                    + "ecommerce_lakehouse.raw_customers order by customer_id"))
        .extracting(
            r -> r.getString(0),
            r -> r.getString(1),
            r -> r.getString(2),
            r -> r.getString(3),
            r -> r.getString(4),
            r -> r.get(5))
        .containsExactly(
            tuple("C1", "Ann@Example.com ", "Lee", "Denver", "1 Main St", "+1-555-000-0001"),
            tuple("C2", "bob,jr@example.com", "O\"Neil", "Boston", null, null));
    assertThat(
            rows(spark, "select source_line, reason from ecommerce_lakehouse.quarantine")
                .get(0)
                .toString())
        .isEqualTo("[4,CSV line does not have the header's 11 cells]");

    Path array =
        write(
            home,
            "in/products.json",
            "[\n {\"product_id\":\"P1\",\"price\":12.5,\"category\":\"Books\"},\n"
                + " {\"product_id\":\"P2\",\"price\":-3,\"is_active\":\"yes\"}\n]\n");
    JobResult fromArray = ingest(spark, array, "landing/products/p.json", "p1");
    assertThat(fromArray.details()).containsEntry("format", "json");
    assertThat(fromArray.rowsWritten()).isEqualTo(1);
    assertThat(
            rows(
                    spark,
                    "select reason, source_line from ecommerce_lakehouse.quarantine where table_name = 'raw_products'")
                .get(0)
                .toString())
        .isEqualTo("[field is_active: expected boolean, got string \"yes\",2]");

    Path gz = home.resolve("in/orders.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(ORDERS.getBytes());
    }
    assertThat(ingest(spark, gz, "landing/orders/o.jsonl.gz", "g1").rowsWritten()).isEqualTo(2);

    String parquetDir = home.resolve("in/orders-parquet").toUri().toString();
    spark
        .sql(
            "select order_id, customer_id, order_date, order_status, items from ecommerce_lakehouse.raw_orders")
        .coalesce(1)
        .write()
        .parquet(parquetDir);
    JobResult fromParquet =
        ingest(spark, home.resolve("in/orders-parquet"), "landing/orders/o.parquet", "pq1");
    assertThat(fromParquet.rowsIn()).isEqualTo(2);
    assertThat(fromParquet.rowsWritten()).isEqualTo(2);
    assertThat(count(spark, "raw_orders")).isEqualTo(4);
  }

  @Test
  void additiveDriftEvolvesTheSchemaAndTypeChangesAreQuarantined() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Path file =
        write(
            home,
            "in/products.jsonl",
            String.join(
                    "\n",
                    "{\"product_id\":\"P1\",\"price\":10.00,\"eco_score\":7,\"weight_kg\":1.25,\"tags\":{\"color\":\"red\"}}",
                    "{\"product_id\":\"P2\",\"price\":11.00,\"eco_score\":8}",
                    "{\"product_id\":\"P3\",\"price\":{\"amount\":1}}")
                + "\n");

    JobResult result = ingest(spark, file, "landing/products/p.jsonl", "d1");

    assertThat(result.message()).isEqualTo("schema evolved: added eco_score, tags, weight_kg");
    assertThat(result.rowsWritten()).isEqualTo(2);
    assertThat(
            rows(
                spark,
                "select product_id, eco_score, weight_kg, tags['color'] from ecommerce_lakehouse.raw_products order by product_id"))
        .extracting(Row::toString)
        .containsExactly("[P1,7,1.2500000000,red]", "[P2,8,null,null]");
    assertThat(rows(spark, "select reason from ecommerce_lakehouse.quarantine").get(0).getString(0))
        .isEqualTo("field price: expected decimal(10,2), got object");
    assertThat(spark.table("ecommerce_lakehouse.raw_products").schema().fieldNames())
        .endsWith("_execution_id", "eco_score", "tags", "weight_kg");
  }
}
