package dev.lakehouse.local;

import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.jobs.LakehouseSpark;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.SparkSession;

/**
 * The local stack for one home: an Iceberg catalog for API work and, only when something needs it,
 * one Spark session. When Spark is running, its catalog instance is shared so the process holds one
 * catalog per SQLite file.
 */
public final class LocalLakehouse implements AutoCloseable {
  private final LakehouseHome home;
  private final CatalogSettings settings;
  private Catalog catalog;
  private SparkSession spark;

  public LocalLakehouse(LakehouseHome home, CatalogSettings settings) {
    this.home = home;
    this.settings = settings;
  }

  public LakehouseHome home() {
    return home;
  }

  public CatalogSettings settings() {
    return settings;
  }

  public synchronized Catalog catalog() {
    if (spark != null) {
      return LakehouseSpark.icebergCatalog(spark);
    }
    if (catalog == null) {
      catalog = CatalogFactory.create(settings);
    }
    return catalog;
  }

  /**
   * The session, made the calling thread's active one: the local runner calls jobs and handlers
   * from its own threads, and Iceberg's Spark source resolves tables through {@code
   * SparkSession.active()}, an inheritable thread-local that may still point at another home's
   * session.
   */
  public synchronized SparkSession spark() {
    if (spark == null) {
      spark = LakehouseSpark.local(settings);
      StartupProfile.mark("Spark session up");
    }
    SparkSession.setActiveSession(spark);
    return spark;
  }

  @Override
  public synchronized void close() throws Exception {
    if (catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
    catalog = null;
    // The Spark session is left to the JVM: tests share one session across many LocalLakehouse
    // instances.
  }
}
