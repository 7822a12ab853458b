package dev.lakehouse.core.tables;

/**
 * Medallion zone of a table; also the warehouse prefix its files live under (S3 lifecycle rules key
 * off it).
 */
public enum Zone {
  BRONZE("raw"),
  SILVER("curated"),
  GOLD("aggregated"),
  OPERATIONS("operations");

  private final String warehousePrefix;

  Zone(String warehousePrefix) {
    this.warehousePrefix = warehousePrefix;
  }

  /** Prefix under the warehouse root, e.g. {@code raw} for bronze tables. */
  public String warehousePrefix() {
    return warehousePrefix;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
