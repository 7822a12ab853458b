package dev.lakehouse.core.tables;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of record that lands in the landing bucket under {@code landing/<entity>/...}, with the
 * bronze and silver tables it flows through.
 */
public enum SourceEntity {
  CUSTOMERS(LakehouseTables.RAW_CUSTOMERS, LakehouseTables.CURATED_CUSTOMERS, "customer_id"),
  PRODUCTS(LakehouseTables.RAW_PRODUCTS, LakehouseTables.CURATED_PRODUCTS, "product_id"),
  ORDERS(LakehouseTables.RAW_ORDERS, LakehouseTables.CURATED_ORDERS, "order_id");

  /** Root prefix of every landed object: {@code landing/orders/2026/11/25/orders.jsonl}. */
  public static final String LANDING_ROOT = "landing/";

  private final TableDefinition bronze;
  private final TableDefinition silver;
  private final String idColumn;

  SourceEntity(TableDefinition bronze, TableDefinition silver, String idColumn) {
    this.bronze = bronze;
    this.silver = silver;
    this.idColumn = idColumn;
  }

  public TableDefinition bronze() {
    return bronze;
  }

  public TableDefinition silver() {
    return silver;
  }

  /** The source record's identifier column (required in bronze). */
  public String idColumn() {
    return idColumn;
  }

  /**
   * {@code customers}, {@code products} or {@code orders}: the landing prefix segment and the CLI's
   * --table value.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String landingPrefix() {
    return LANDING_ROOT + label() + "/";
  }

  /** Accepts {@code orders}, {@code raw_orders} or {@code curated_orders}. */
  public static Optional<SourceEntity> find(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(
            e ->
                e.label().equals(key) || e.bronze.name().equals(key) || e.silver.name().equals(key))
        .findFirst();
  }

  /** The entity a landing key belongs to, from its first segment under {@code landing/}. */
  public static Optional<SourceEntity> forLandingKey(String key) {
    if (key == null || !key.startsWith(LANDING_ROOT)) {
      return Optional.empty();
    }
    String rest = key.substring(LANDING_ROOT.length());
    int slash = rest.indexOf('/');
    return slash <= 0
        ? Optional.empty()
        : find(rest.substring(0, slash)).filter(e -> e.label().equals(rest.substring(0, slash)));
  }
}
