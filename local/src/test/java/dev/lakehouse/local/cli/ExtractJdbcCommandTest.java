package dev.lakehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakehouse extract-jdbc} against a real PostgreSQL (zonky's embedded binaries), on a
 * file-storage home.
 */
class ExtractJdbcCommandTest {
  @TempDir Path home;

  @Test
  void extractsChangedRowsIntoBronzeAndSilverThenNothingTheSecondTime() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE products (product_id text PRIMARY KEY, name text, category text, price numeric(10,2),"
                + " updated_at timestamptz)");
        s.execute(
            "INSERT INTO products VALUES ('P1', 'Novel', 'Books', 10.00, '2026-11-01T08:00:00Z'),"
                + " ('P2', 'Phone', 'Electronics', 200.00, '2026-11-01T09:00:00Z')");
      }
      String url = postgres.getJdbcUrl("postgres", "postgres");
      LakehouseCliTest.run("--home", home.toString(), "init");
      LakehouseCliTest.Outcome first =
          LakehouseCliTest.run(
              "--home",
              home.toString(),
              "extract-jdbc",
              "--url",
              url,
              "--table",
              "products",
              "--source",
              "erp");
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out().lines().toList().get(0))
          .isEqualTo("jdbc-extract raw_products         SUCCEEDED in=2 written=2 rejected=0");
      LakehouseCliTest.Outcome count =
          LakehouseCliTest.run(
              "--home",
              home.toString(),
              "sql",
              "select count(*) as n from ecommerce_lakehouse.curated_products",
              "--format",
              "csv");
      assertThat(count.out()).isEqualTo("n\n2\n");

      LakehouseCliTest.Outcome second =
          LakehouseCliTest.run(
              "--home",
              home.toString(),
              "extract-jdbc",
              "--url",
              url,
              "--table",
              "products",
              "--source",
              "erp");
      assertThat(second.out())
          .isEqualTo(
              "jdbc-extract raw_products         SKIPPED   in=0 written=0 rejected=0 (no rows"
                  + " of products changed after 2026-11-01T09:00:00Z)\n");
      LakehouseCliTest.Outcome bad =
          LakehouseCliTest.run(
              "--home", home.toString(), "extract-jdbc", "--url", url, "--table", "invoices");
      assertThat(bad.exitCode()).isEqualTo(2);
      assertThat(bad.err())
          .isEqualTo(
              "lakehouse: unknown table 'invoices' for --table: expected customers or "
                  + "products\n");
    }
  }
}
