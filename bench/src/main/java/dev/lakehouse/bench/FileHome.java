package dev.lakehouse.bench;

import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.BronzeIngestJob;
import dev.lakehouse.jobs.GoldJob;
import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.LakehouseSpark;
import dev.lakehouse.jobs.SilverJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;

/**
 * A {@code --storage file} home with the jobs run directly on it (as MedallionJobsTest does): the
 * pipeline's work without the S3 server and the state machine, so job costs are measured on their
 * own.
 */
final class FileHome {
  private static final AtomicInteger RUNS = new AtomicInteger();
  private final CatalogSettings settings;

  private FileHome(Path dir) {
    this.settings = CatalogSettings.embedded(dir);
  }

  static FileHome create(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + dir, e);
    }
    FileHome home = new FileHome(dir);
    new TableProvisioner(LakehouseSpark.icebergCatalog(home.spark()), home.settings).provision();
    return home;
  }

  /** The JVM's one session, its catalog bound to this home. */
  SparkSession spark() {
    SparkSession spark = LakehouseSpark.local(settings);
    SparkSession.setActiveSession(spark);
    return spark;
  }

  Table table(TableDefinition table) {
    return LakehouseSpark.icebergCatalog(spark()).loadTable(table.identifier());
  }

  /** Bronze, then silver for the file's entity. */
  List<JobResult> load(String entity, Path file) {
    List<JobResult> results = new ArrayList<>();
    results.add(bronze(entity, file));
    results.add(silver(entity));
    return results;
  }

  JobResult silver(String entity) {
    return check(
        SilverJob.fromArgs(
                "--entity",
                entity,
                "--execution-id",
                id("silver"),
                "--as-of",
                BenchData.SILVER_AS_OF)
            .execute(spark()));
  }

  JobResult bronze(String entity, Path file) {
    String run = id("bronze");
    return check(
        BronzeIngestJob.fromArgs(
                "--execution-id",
                run,
                "--bucket",
                "landing",
                "--key",
                "landing/" + entity + "/" + run + "-" + file.getFileName(),
                "--etag",
                run,
                "--source-path",
                file.toAbsolutePath().toString())
            .execute(spark()));
  }

  JobResult gold() {
    return check(GoldJob.fromArgs("--execution-id", id("gold")).execute(spark()));
  }

  /** Customers, products and one orders file, then gold: a lakehouse built from nothing. */
  void build(BenchData data, Path orders) {
    load("customers", data.customers);
    load("products", data.products);
    load("orders", orders);
    gold();
  }

  private static String id(String step) {
    return "bench-" + step + "-" + RUNS.incrementAndGet();
  }

  private static JobResult check(JobResult result) {
    if (result.status() == RunStatus.FAILED) {
      throw new IllegalStateException(result.step() + " failed: " + result.message());
    }
    return result;
  }
}
