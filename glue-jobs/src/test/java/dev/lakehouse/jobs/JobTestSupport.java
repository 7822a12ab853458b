package dev.lakehouse.jobs;

import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.catalog.CatalogSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One SparkSession per test JVM, rebound to each test's own lakehouse home (fresh SQLite catalog +
 * warehouse).
 */
public final class JobTestSupport {
  private JobTestSupport() {}

  public static SparkSession lakehouse(Path home) {
    CatalogSettings settings = CatalogSettings.embedded(home);
    SparkSession spark = LakehouseSpark.local(settings);
    new TableProvisioner(LakehouseSpark.icebergCatalog(spark), settings).provision();
    return spark;
  }

  public static Path write(Path dir, String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Row> rows(SparkSession spark, String sql) {
    return spark.sql(sql).collectAsList();
  }

  public static long count(SparkSession spark, String table) {
    return spark.table("ecommerce_lakehouse." + table).count();
  }
}
