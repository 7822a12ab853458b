package dev.lakehouse.functions.support;

import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.ingest.LandingObjectRules;
import dev.lakehouse.core.json.JsonValues;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.SourceEntity;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: before the snapshot, exercise the code paths every invocation takes so their
 * classes are loaded and initialised in the snapshot, without creating a client, opening a
 * connection or reading credentials (those would be captured and go stale). Also loads classes by
 * name that the first real call needs.
 */
public final class Priming {
  private static final List<String> CLASSES =
      List.of(
          "org.apache.iceberg.catalog.TableIdentifier",
          "org.apache.iceberg.data.IcebergGenerics",
          "org.apache.iceberg.data.GenericRecord",
          "org.apache.iceberg.data.GenericFileWriterFactory",
          "org.apache.iceberg.jdbc.JdbcCatalog",
          "org.apache.iceberg.aws.s3.S3FileIO",
          "org.apache.iceberg.aws.glue.GlueCatalog",
          "org.apache.iceberg.expressions.Expressions",
          "org.apache.iceberg.util.SnapshotUtil",
          "software.amazon.awssdk.services.s3.S3Client",
          "software.amazon.awssdk.services.s3.model.HeadObjectRequest",
          "software.amazon.awssdk.services.s3.model.GetObjectRequest",
          "software.amazon.awssdk.services.s3.model.CopyObjectRequest",
          "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
          "software.amazon.lambda.powertools.metrics.MetricsFactory",
          "software.amazon.lambda.powertools.logging.PowertoolsLogging");

  private Priming() {}

  /** Returns how many classes were loaded; never throws. */
  public static int prime() {
    int loaded = 0;
    for (String name : CLASSES) {
      try {
        Class.forName(name, true, Priming.class.getClassLoader());
        loaded++;
      } catch (Throwable ignored) {
        // Optional on this classpath (e.g. Glue catalog classes): nothing to warm.
      }
    }
    try {
      LandingObjectRules.checkKey("bucket", "landing/orders/2026/01/01/orders.jsonl");
      LandingObjectRules.entityFor("bucket", "landing/orders/2026/01/01/orders.jsonl");
      LandingFormat.fromKey("orders.jsonl.gz");
      LakehouseTables.all().forEach(t -> t.schema().asStruct());
      SourceEntity.values();
      JsonValues.value(Map.of("k", java.math.BigDecimal.ONE));
      new Args(Map.of("n", 1)).longValue("n");
      LoggerFactory.getLogger("dev.lakehouse.functions");
    } catch (RuntimeException ignored) {
      // Priming is best effort.
    }
    return loaded;
  }
}
