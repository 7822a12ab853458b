package dev.lakehouse.core.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which Iceberg catalog backs the lakehouse. */
public enum CatalogType {
  /** AWS Glue Data Catalog with S3FileIO: production. */
  GLUE,
  /** Iceberg JdbcCatalog; the embedded default is a SQLite file in the local lakehouse home. */
  JDBC,
  /**
   * Iceberg REST catalog (Glue's or S3 Tables' Iceberg REST endpoint with SigV4, or any REST
   * catalog).
   */
  REST;

  public static CatalogType parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown catalog type '"
              + value
              + "'; expected one of "
              + Arrays.stream(values())
                  .map(t -> t.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")),
          e);
    }
  }
}
