package dev.lakehouse.e2e;

import static dev.lakehouse.e2e.SeedContractEndToEndTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home written by release 0.1 (before the seed contract: {@code registration_date}, {@code
 * product_name}, {@code status}) is migrated in place when the stack starts: data, snapshots and
 * time travel survive, and the pipeline goes on loading seed-shaped files into it.
 *
 * <p>The fixture was made with the 0.1 CLI: {@code generate --customers 12 --products 6 --orders 30
 * --bad-rate 0}, {@code ingest} of the three files, then {@code ingest} of three of the orders
 * again with status "delivered".
 */
class LegacyHomeMigrationTest {
  @TempDir Path dir;

  @Test
  void aReleaseZeroOneHomeKeepsItsDataAndHistoryAndTakesNewFiles() throws Exception {
    Path home = unpackLegacyHome(dir.resolve("home"));
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(home)).build()) {
      SparkSession spark = stack.lakehouse().spark();

      assertThat(spark.table("ecommerce_lakehouse.raw_customers").columns())
          .contains("created_at", "source_system")
          .doesNotContain("registration_date");
      assertThat(spark.table("ecommerce_lakehouse.curated_orders").columns())
          .contains("order_status", "required_date", "shipped_date", "delivery_date")
          .doesNotContain("status");
      // Renamed columns read the values written under their old names.
      assertThat(
              strings(
                  spark,
                  "SELECT count(*), count(created_at), count(source_system) FROM ecommerce_lakehouse.raw_customers"))
          .containsExactly("12|12|0");
      assertThat(
              strings(
                  spark,
                  "SELECT count(*), count(order_status) FROM ecommerce_lakehouse.raw_orders"))
          .containsExactly("33|33");
      assertThat(
              strings(spark, "SELECT count(*), count(name) FROM ecommerce_lakehouse.raw_products"))
          .containsExactly("6|6");
      assertThat(
              strings(
                  spark,
                  "SELECT order_id, order_status FROM ecommerce_lakehouse.curated_orders"
                      + " WHERE order_id IN ('ORD-0000001', 'ORD-0000002', 'ORD-0000004') ORDER BY order_id"))
          .containsExactly(
              "ORD-0000001|delivered", "ORD-0000002|delivered", "ORD-0000004|cancelled");
      assertThat(strings(spark, "SELECT count(*) FROM ecommerce_lakehouse.curated_order_items"))
          .containsExactly("81");

      // Time travel: the snapshot before the status update still reads, cancelled as it was.
      long firstOrders =
          spark
              .sql(
                  "SELECT snapshot_id FROM ecommerce_lakehouse.curated_orders.snapshots"
                      + " WHERE summary['lakehouse.bronze-snapshot-id'] IS NOT NULL ORDER BY committed_at LIMIT 1")
              .first()
              .getLong(0);
      assertThat(
              spark
                  .sql(
                      "SELECT * FROM ecommerce_lakehouse.curated_orders VERSION AS OF "
                          + firstOrders
                          + " WHERE order_id = 'ORD-0000001'")
                  .first()
                  .toString())
          .contains(",cancelled,");
      assertThat(
              strings(
                  spark,
                  "SELECT count(*) FROM ecommerce_lakehouse.curated_orders VERSION AS OF "
                      + firstOrders))
          .containsExactly("30");
      List<String> goldBefore = PipelineEndToEndTest.gold(spark);
      assertThat(goldBefore).hasSize(88);

      // New, seed-shaped files flow into the migrated tables.
      var data =
          new SampleDataGenerator(
                  new SampleDataGenerator.Options(5, 4, 3, 10, LocalDate.parse("2026-11-01"), 0.0))
              .writeTo(dir.resolve("new-data"));
      for (Path file : List.of(data.customers(), data.products(), data.orders())) {
        Path renamed = Files.copy(file, dir.resolve("new-" + file.getFileName()));
        Execution execution =
            stack.ingest(
                stack.upload(renamed, file.getFileName().toString().replace(".jsonl", "")));
        assertThat(execution.status())
            .as(execution.historyTable())
            .isEqualTo(ExecutionStatus.SUCCEEDED);
      }
      assertThat(
              strings(
                  spark,
                  "SELECT count(*), count(postal_code), count(source_system) FROM"
                      + " ecommerce_lakehouse.curated_customers WHERE _is_current"))
          .containsExactly("12|12|4");
      assertThat(
              strings(
                  spark,
                  "SELECT count(*), count(required_date) FROM ecommerce_lakehouse.curated_orders"))
          .containsExactly("30|10");
      // Gold still adds up over old and new orders alike.
      assertThat(
              strings(
                  spark,
                  "SELECT sum(metric_value) FROM ecommerce_lakehouse.agg_daily_metrics"
                      + " WHERE metric_type = 'daily_revenue'"))
          .isEqualTo(
              strings(
                  spark,
                  "SELECT sum(net_amount) FROM ecommerce_lakehouse.curated_orders"
                      + " WHERE order_status <> 'cancelled'"));
    }
  }

  /**
   * Unpacks the fixture. The local S3 server's object index records absolute paths, so they are
   * pointed at the new location, as moving a home to another folder would need.
   */
  static Path unpackLegacyHome(Path home) throws IOException, InterruptedException {
    Files.createDirectories(home);
    Path archive = home.resolveSibling("legacy-home.tar.gz");
    try (InputStream in =
        LegacyHomeMigrationTest.class.getResourceAsStream("/legacy-home-0.1.tar.gz")) {
      Files.copy(in, archive);
    }
    Process tar =
        new ProcessBuilder("tar", "xzf", archive.toString(), "-C", home.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    // S3Mock's store records absolute paths, each bucket's and each object's: point them all at the
    // unpacked copy (a path left on the fixture's old root only works where that directory exists).
    String newRoot = home.toUri().toString().replaceFirst("^file:/+", "file:///");
    try (Stream<Path> files = Files.walk(home.resolve("s3"))) {
      for (Path meta :
          files
              .filter(
                  p ->
                      List.of("objectMetadata.json", "bucketMetadata.json")
                          .contains(p.getFileName().toString()))
              .toList()) {
        Files.writeString(meta, Files.readString(meta).replace("file:///tmp/legacyhome/", newRoot));
      }
    }
    return home;
  }
}
