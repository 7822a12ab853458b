package dev.lakehouse.core.catalog;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Builds the Iceberg catalog named by {@link CatalogSettings}: the one way every non-Spark
 * component gets a catalog.
 */
public final class CatalogFactory {
  /** Catalog name as Iceberg reports it in table names and metrics. */
  public static final String CATALOG_NAME = CatalogSettings.SPARK_CATALOG_NAME;

  private CatalogFactory() {}

  public static Catalog create(CatalogSettings settings) {
    Object hadoopConf = settings.isS3Warehouse() ? null : hadoopConfiguration();
    return CatalogUtil.buildIcebergCatalog(CATALOG_NAME, settings.icebergProperties(), hadoopConf);
  }

  /**
   * HadoopFileIO (the file-system warehouse) needs a Hadoop Configuration; S3FileIO does not, and a
   * Lambda should not pay for loading Hadoop. Loaded reflectively so S3-only deployments can leave
   * Hadoop off the classpath. Local files are written without a process per file ({@link
   * ForklessLocalFileSystem}).
   */
  private static Object hadoopConfiguration() {
    try {
      Class<?> type = Class.forName("org.apache.hadoop.conf.Configuration");
      Object conf = type.getConstructor().newInstance();
      type.getMethod("set", String.class, String.class)
          .invoke(conf, ForklessLocalFileSystem.PROPERTY, ForklessLocalFileSystem.CLASS_NAME);
      return conf;
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
