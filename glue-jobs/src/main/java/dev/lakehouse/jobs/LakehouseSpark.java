package dev.lakehouse.jobs;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.ForklessLocalFileSystem;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * SparkSession setup for the lakehouse. On Glue/EMR the platform starts Spark and the Iceberg conf
 * arrives as job parameters; locally we start {@code local[*]} ourselves with the same catalog conf
 * from {@link CatalogSettings}.
 */
public final class LakehouseSpark {
  private LakehouseSpark() {}

  /** A local session sized for one small machine: few shuffle partitions, no UI, UTC. */
  public static SparkSession local(CatalogSettings settings) {
    SparkSession.Builder builder = localBuilder();
    settings.sparkConf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    bindCatalog(spark, settings);
    return spark;
  }

  /**
   * Starts the local session on a daemon thread, with no catalog yet, while the caller starts what
   * the catalog needs (the S3 server): on two cores the two start-ups overlap. {@link #local} then
   * finds that session (waiting for it if it is still starting) and binds the catalog. A failure
   * here is left for {@link #local} to meet and report.
   */
  public static void startInBackground() {
    if (SparkSession.getDefaultSession().isDefined()) {
      return; // this JVM's session runs already (tests run many commands in one JVM)
    }
    Thread starter =
        new Thread(
            () -> {
              try {
                localBuilder()
                    .config(CatalogSettings.SPARK_EXTENSIONS_CONF, CatalogSettings.SPARK_EXTENSIONS)
                    .getOrCreate();
              } catch (RuntimeException reportedByLocal) {
                // local() starts it again on the caller's thread and fails there, with its message.
              }
            },
            "lakehouse-spark-start");
    starter.setDaemon(true);
    starter.start();
  }

  private static SparkSession.Builder localBuilder() {
    return SparkSession.builder()
        .appName("lakehouse-local")
        .master("local[*]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        // Spark's own (non-Iceberg) warehouse is never used; keep it off the lakehouse
        // warehouse, which may be s3://.
        .config(
            "spark.sql.warehouse.dir",
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "lakehouse-spark")
                .toUri()
                .toString())
        // Iceberg's vectorized Parquet reader pulls Arrow; plain reads are fast enough for
        // local volumes.
        .config("spark.sql.iceberg.vectorization.enabled", "false")
        // file: warehouses (a --storage file home) without a chmod process per file written.
        .config(
            "spark.hadoop." + ForklessLocalFileSystem.PROPERTY, ForklessLocalFileSystem.CLASS_NAME);
  }

  /**
   * Points an existing session's {@code lakehouse} catalog at other settings. A JVM has one
   * SparkContext, and Spark instantiates a catalog once per session; tests and the local CLI reuse
   * one session across several homes, so the catalog conf is replaced and the session's catalog
   * manager reset.
   */
  public static synchronized void bindCatalog(SparkSession spark, CatalogSettings settings) {
    java.util.Map<String, String> wanted = new java.util.LinkedHashMap<>(settings.sparkConf());
    // Static confs (extensions) are fixed at session start; only the catalog conf can be rebound.
    wanted
        .keySet()
        .removeIf(
            k -> !k.startsWith("spark.sql.catalog.") && !k.equals("spark.sql.defaultCatalog"));
    if (wanted.equals(boundCatalogConf) && spark == boundSession) {
      return;
    }
    String prefix = "spark.sql.catalog." + CatalogSettings.SPARK_CATALOG_NAME + ".";
    for (String key :
        scala.collection.JavaConverters.mapAsJavaMapConverter(spark.conf().getAll())
            .asJava()
            .keySet()) {
      if (key.startsWith(prefix)) {
        spark.conf().unset(key);
      }
    }
    wanted.forEach((k, v) -> spark.conf().set(k, v));
    spark.sessionState().catalogManager().reset();
    boundCatalogConf = wanted;
    boundSession = spark;
  }

  private static java.util.Map<String, String> boundCatalogConf;
  private static SparkSession boundSession;

  /**
   * Session on Glue/EMR: whatever the platform configured, plus the catalog conf if it is missing.
   */
  public static SparkSession platform(CatalogSettings settings) {
    SparkSession.Builder builder =
        SparkSession.builder().config("spark.sql.session.timeZone", "UTC");
    settings.sparkConf().forEach(builder::config);
    return builder.getOrCreate();
  }

  /**
   * A Spark write whose API declares checked "table not found" exceptions; tables here always
   * exist.
   */
  @FunctionalInterface
  public interface Write {
    void run() throws Exception;
  }

  public static void write(Write write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The Iceberg catalog inside the session: jobs use it for API-level work so there is one catalog
   * per JVM.
   */
  public static Catalog icebergCatalog(SparkSession spark) {
    // Spark's catalog manager reads catalog confs from the calling thread's active session
    // (SQLConf.get), not from
    // the session it belongs to: on a thread with none (a status listener, a Lambda handler) the
    // catalog would be
    // "not defined". Look it up with this session active, and leave the thread as it was.
    scala.Option<SparkSession> previous = SparkSession.getActiveSession();
    SparkSession.setActiveSession(spark);
    try {
      return ((SparkCatalog)
              spark.sessionState().catalogManager().catalog(CatalogSettings.SPARK_CATALOG_NAME))
          .icebergCatalog();
    } finally {
      if (previous.isDefined()) {
        SparkSession.setActiveSession(previous.get());
      } else {
        SparkSession.clearActiveSession();
      }
    }
  }
}
