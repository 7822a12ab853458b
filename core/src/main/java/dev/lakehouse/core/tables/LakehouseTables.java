package dev.lakehouse.core.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * Every table of the lakehouse, declared once. Field ids are part of the contract: Iceberg resolves
 * columns by id, so an id, once released, is never reused or renumbered (see {@code
 * LakehouseTablesTest}).
 */
public final class LakehouseTables {
  public static final String NAMESPACE = "ecommerce_lakehouse";

  /** Money: 10 digits with cents for prices, 12 for order totals and aggregates. Never double. */
  public static final Types.DecimalType PRICE = Types.DecimalType.of(10, 2);

  public static final Types.DecimalType AMOUNT = Types.DecimalType.of(12, 2);
  public static final Types.DecimalType DISCOUNT_RATE = Types.DecimalType.of(5, 2);
  public static final Types.DecimalType METRIC = Types.DecimalType.of(18, 2);

  // ---------------------------------------------------------------- bronze: raw, append-only, with
  // lineage

  public static final TableDefinition RAW_CUSTOMERS =
      TableDefinition.builder("raw_customers", Zone.BRONZE)
          .description(
              "Customer records exactly as landed, one row per source record, append-only.")
          .schema(
              new Schema(
                  required(1, "customer_id", Types.StringType.get()),
                  optional(2, "email", Types.StringType.get()),
                  optional(3, "first_name", Types.StringType.get()),
                  optional(4, "last_name", Types.StringType.get()),
                  optional(5, "phone", Types.StringType.get()),
                  optional(
                      6,
                      "address",
                      Types.MapType.ofOptional(
                          14, 15, Types.StringType.get(), Types.StringType.get())),
                  optional(7, "created_at", Types.TimestampType.withZone()),
                  optional(8, "updated_at", Types.TimestampType.withZone()),
                  optional(9, "source_system", Types.StringType.get()),
                  required(10, "_ingestion_timestamp", Types.TimestampType.withZone()),
                  required(11, "_source_file", Types.StringType.get()),
                  required(12, "_source_line", Types.LongType.get()),
                  required(13, "_execution_id", Types.StringType.get())))
          .partitionedBy(p -> p.day("_ingestion_timestamp"))
          .renamed("registration_date", "created_at")
          .build();

  public static final TableDefinition RAW_PRODUCTS =
      TableDefinition.builder("raw_products", Zone.BRONZE)
          .description("Product catalogue records exactly as landed, append-only.")
          .schema(
              new Schema(
                  required(1, "product_id", Types.StringType.get()),
                  optional(2, "sku", Types.StringType.get()),
                  optional(3, "name", Types.StringType.get()),
                  optional(4, "description", Types.StringType.get()),
                  optional(5, "category", Types.StringType.get()),
                  optional(6, "subcategory", Types.StringType.get()),
                  optional(7, "brand", Types.StringType.get()),
                  optional(8, "price", PRICE),
                  optional(9, "cost", PRICE),
                  optional(10, "stock_quantity", Types.IntegerType.get()),
                  optional(11, "is_active", Types.BooleanType.get()),
                  optional(
                      12,
                      "attributes",
                      Types.MapType.ofOptional(
                          19, 20, Types.StringType.get(), Types.StringType.get())),
                  optional(13, "created_at", Types.TimestampType.withZone()),
                  optional(14, "updated_at", Types.TimestampType.withZone()),
                  required(15, "_ingestion_timestamp", Types.TimestampType.withZone()),
                  required(16, "_source_file", Types.StringType.get()),
                  required(17, "_source_line", Types.LongType.get()),
                  required(18, "_execution_id", Types.StringType.get())))
          .partitionedBy(p -> p.day("_ingestion_timestamp"))
          .renamed("product_name", "name")
          .build();

  public static final TableDefinition RAW_ORDERS =
      TableDefinition.builder("raw_orders", Zone.BRONZE)
          .description("Order records exactly as landed (items nested), append-only.")
          .schema(
              new Schema(
                  required(1, "order_id", Types.StringType.get()),
                  optional(2, "customer_id", Types.StringType.get()),
                  optional(3, "order_status", Types.StringType.get()),
                  optional(4, "order_date", Types.TimestampType.withZone()),
                  optional(5, "required_date", Types.TimestampType.withZone()),
                  optional(6, "shipped_date", Types.TimestampType.withZone()),
                  optional(7, "delivery_date", Types.TimestampType.withZone()),
                  optional(
                      8,
                      "items",
                      Types.ListType.ofOptional(
                          18,
                          Types.StructType.of(
                              optional(19, "product_id", Types.StringType.get()),
                              optional(20, "quantity", Types.IntegerType.get()),
                              optional(21, "unit_price", PRICE),
                              optional(22, "discount", DISCOUNT_RATE)))),
                  optional(
                      9,
                      "shipping_address",
                      Types.MapType.ofOptional(
                          23, 24, Types.StringType.get(), Types.StringType.get())),
                  optional(10, "total_amount", AMOUNT),
                  optional(11, "payment_method", Types.StringType.get()),
                  optional(12, "currency", Types.StringType.get()),
                  optional(13, "updated_at", Types.TimestampType.withZone()),
                  required(14, "_ingestion_timestamp", Types.TimestampType.withZone()),
                  required(15, "_source_file", Types.StringType.get()),
                  required(16, "_source_line", Types.LongType.get()),
                  required(17, "_execution_id", Types.StringType.get())))
          .partitionedBy(p -> p.day("_ingestion_timestamp"))
          .renamed("status", "order_status")
          .build();

  // ---------------------------------------------------------------- silver: curated, deduplicated,
  // validated

  public static final TableDefinition CURATED_CUSTOMERS =
      TableDefinition.builder("curated_customers", Zone.SILVER)
          .description(
              "Customers as SCD type 2 on profile attributes; order-derived columns updated on the current row.")
          .schema(
              new Schema(
                  required(1, "customer_id", Types.StringType.get()),
                  optional(2, "email", Types.StringType.get()),
                  optional(3, "first_name", Types.StringType.get()),
                  optional(4, "last_name", Types.StringType.get()),
                  optional(5, "full_name", Types.StringType.get()),
                  optional(6, "phone", Types.StringType.get()),
                  optional(7, "city", Types.StringType.get()),
                  optional(8, "state", Types.StringType.get()),
                  optional(9, "country", Types.StringType.get()),
                  optional(10, "postal_code", Types.StringType.get()),
                  optional(11, "registration_date", Types.TimestampType.withZone()),
                  optional(12, "source_system", Types.StringType.get()),
                  required(13, "customer_segment", Types.StringType.get()),
                  required(14, "lifetime_value", AMOUNT),
                  optional(15, "first_order_date", Types.TimestampType.withZone()),
                  optional(16, "last_order_date", Types.TimestampType.withZone()),
                  required(17, "total_orders", Types.LongType.get()),
                  required(18, "is_active", Types.BooleanType.get()),
                  required(19, "_profile_hash", Types.StringType.get()),
                  required(20, "_valid_from", Types.TimestampType.withZone()),
                  optional(21, "_valid_to", Types.TimestampType.withZone()),
                  required(22, "_is_current", Types.BooleanType.get()),
                  required(23, "_source_file", Types.StringType.get()),
                  required(24, "_updated_at", Types.TimestampType.withZone())))
          .sortedBy(o -> o.asc("customer_id").asc("_valid_from"))
          .businessKey("customer_id", "_valid_from")
          .build();

  public static final TableDefinition CURATED_PRODUCTS =
      TableDefinition.builder("curated_products", Zone.SILVER)
          .description("Products, one row per product_id (SCD type 1 upsert).")
          .schema(
              new Schema(
                  required(1, "product_id", Types.StringType.get()),
                  optional(2, "sku", Types.StringType.get()),
                  optional(3, "product_name", Types.StringType.get()),
                  optional(4, "description", Types.StringType.get()),
                  required(5, "category", Types.StringType.get()),
                  optional(6, "subcategory", Types.StringType.get()),
                  optional(7, "brand", Types.StringType.get()),
                  optional(8, "price", PRICE),
                  optional(9, "cost", PRICE),
                  optional(10, "margin", PRICE),
                  optional(11, "stock_quantity", Types.IntegerType.get()),
                  optional(12, "is_active", Types.BooleanType.get()),
                  optional(
                      13,
                      "attributes",
                      Types.MapType.ofOptional(
                          18, 19, Types.StringType.get(), Types.StringType.get())),
                  optional(14, "created_at", Types.TimestampType.withZone()),
                  optional(15, "updated_at", Types.TimestampType.withZone()),
                  required(16, "_source_file", Types.StringType.get()),
                  required(17, "_updated_at", Types.TimestampType.withZone())))
          .sortedBy(o -> o.asc("product_id"))
          .businessKey("product_id")
          .build();

  public static final TableDefinition CURATED_ORDERS =
      TableDefinition.builder("curated_orders", Zone.SILVER)
          .description(
              "Orders, one row per order_id, amounts recomputed in DECIMAL and enriched with the customer.")
          .schema(
              new Schema(
                  required(1, "order_id", Types.StringType.get()),
                  required(2, "customer_id", Types.StringType.get()),
                  optional(3, "customer_name", Types.StringType.get()),
                  optional(4, "customer_email", Types.StringType.get()),
                  required(5, "order_status", Types.StringType.get()),
                  required(6, "order_date", Types.TimestampType.withZone()),
                  optional(7, "required_date", Types.TimestampType.withZone()),
                  optional(8, "shipped_date", Types.TimestampType.withZone()),
                  optional(9, "delivery_date", Types.TimestampType.withZone()),
                  required(10, "item_count", Types.IntegerType.get()),
                  required(11, "subtotal", AMOUNT),
                  required(12, "discount_amount", AMOUNT),
                  required(13, "tax_amount", AMOUNT),
                  required(14, "shipping_cost", AMOUNT),
                  required(15, "net_amount", AMOUNT),
                  optional(16, "total_amount", AMOUNT),
                  optional(17, "shipping_city", Types.StringType.get()),
                  optional(18, "shipping_state", Types.StringType.get()),
                  optional(19, "shipping_country", Types.StringType.get()),
                  optional(20, "payment_method", Types.StringType.get()),
                  optional(21, "updated_at", Types.TimestampType.withZone()),
                  required(22, "_source_file", Types.StringType.get()),
                  required(23, "_ingestion_timestamp", Types.TimestampType.withZone()),
                  required(24, "_updated_at", Types.TimestampType.withZone())))
          .partitionedBy(p -> p.month("order_date"))
          .sortedBy(o -> o.asc("order_date").asc("order_id"))
          .businessKey("order_id")
          .renamed("status", "order_status")
          .build();

  public static final TableDefinition CURATED_ORDER_ITEMS =
      TableDefinition.builder("curated_order_items", Zone.SILVER)
          .description("One row per order line, with the product's category, for category revenue.")
          .schema(
              new Schema(
                  required(1, "order_id", Types.StringType.get()),
                  required(2, "line_number", Types.IntegerType.get()),
                  required(3, "product_id", Types.StringType.get()),
                  required(4, "category", Types.StringType.get()),
                  required(5, "quantity", Types.IntegerType.get()),
                  required(6, "unit_price", PRICE),
                  required(7, "discount", DISCOUNT_RATE),
                  required(8, "item_net", Types.DecimalType.of(18, 4)),
                  required(9, "order_date", Types.TimestampType.withZone()),
                  required(10, "order_status", Types.StringType.get()),
                  required(11, "_updated_at", Types.TimestampType.withZone())))
          .partitionedBy(p -> p.month("order_date"))
          .sortedBy(o -> o.asc("order_date").asc("order_id").asc("line_number"))
          .businessKey("order_id", "line_number")
          .renamed("status", "order_status")
          .build();

  // ---------------------------------------------------------------- gold

  public static final TableDefinition AGG_DAILY_METRICS =
      TableDefinition.builder("agg_daily_metrics", Zone.GOLD)
          .description(
              "Daily revenue overall, per customer segment and per product category (cancelled orders excluded).")
          .schema(
              new Schema(
                  required(1, "metric_date", Types.DateType.get()),
                  required(2, "metric_type", Types.StringType.get()),
                  required(3, "dimension_key", Types.StringType.get()),
                  required(4, "dimension_value", Types.StringType.get()),
                  required(5, "metric_value", METRIC),
                  required(6, "metric_count", Types.LongType.get()),
                  required(7, "_computed_at", Types.TimestampType.withZone()),
                  required(8, "_execution_id", Types.StringType.get())))
          .partitionedBy(p -> p.month("metric_date"))
          .sortedBy(o -> o.asc("metric_date").asc("metric_type").asc("dimension_value"))
          .businessKey("metric_date", "metric_type", "dimension_key", "dimension_value")
          .build();

  // ---------------------------------------------------------------- operations

  public static final TableDefinition QUARANTINE =
      TableDefinition.builder("quarantine", Zone.OPERATIONS)
          .description(
              "Every rejected record with its raw text and the reason, so nothing is ever lost.")
          .schema(
              new Schema(
                  required(1, "table_name", Types.StringType.get()),
                  required(2, "stage", Types.StringType.get()),
                  required(3, "source_file", Types.StringType.get()),
                  optional(4, "source_line", Types.LongType.get()),
                  optional(5, "record_key", Types.StringType.get()),
                  optional(6, "raw_record", Types.StringType.get()),
                  required(7, "reason", Types.StringType.get()),
                  required(8, "execution_id", Types.StringType.get()),
                  required(9, "quarantined_at", Types.TimestampType.withZone())))
          .partitionedBy(p -> p.day("quarantined_at"))
          // Each run replaces the rejects of its own source files: full bounds (see
          // PIPELINE_RUNS) let it read only the files that can hold them.
          .properties(fullBounds("source_file"))
          .build();

  public static final TableDefinition PIPELINE_RUNS =
      TableDefinition.builder("pipeline_runs", Zone.OPERATIONS)
          .description(
              "One row per step of every pipeline execution: counts, snapshot produced, status, error.")
          .schema(
              new Schema(
                  required(1, "execution_id", Types.StringType.get()),
                  required(2, "step", Types.StringType.get()),
                  optional(3, "table_name", Types.StringType.get()),
                  optional(4, "source_file", Types.StringType.get()),
                  optional(5, "source_etag", Types.StringType.get()),
                  optional(6, "rows_in", Types.LongType.get()),
                  optional(7, "rows_written", Types.LongType.get()),
                  optional(8, "rows_rejected", Types.LongType.get()),
                  optional(9, "snapshot_id", Types.LongType.get()),
                  required(10, "status", Types.StringType.get()),
                  optional(11, "message", Types.StringType.get()),
                  required(12, "started_at", Types.TimestampType.withZone()),
                  optional(13, "finished_at", Types.TimestampType.withZone())))
          .partitionedBy(p -> p.month("started_at"))
          // Every execution looks itself up (RecordBatch) and every claim looks up the files it
          // was given (already ingested?). Execution ARNs and object URIs share their first 16
          // characters, so truncated bounds would make every file a candidate and a lookup would
          // read the whole run history; full bounds let Iceberg skip the other executions' files.
          .properties(fullBounds("execution_id", "source_file"))
          .build();

  /**
   * Table properties that keep the whole lower and upper bound of these columns in the table's
   * metadata (Iceberg keeps the first 16 characters of a string by default), so a filter on a value
   * that shares a long prefix with every other (an ARN, an object URI) still skips files.
   */
  private static Map<String, String> fullBounds(String... columns) {
    return java.util.Arrays.stream(columns)
        .collect(
            Collectors.toMap(
                c -> org.apache.iceberg.TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + c,
                c -> "full"));
  }

  private static final List<TableDefinition> ALL =
      List.of(
          RAW_CUSTOMERS,
          RAW_PRODUCTS,
          RAW_ORDERS,
          CURATED_CUSTOMERS,
          CURATED_PRODUCTS,
          CURATED_ORDERS,
          CURATED_ORDER_ITEMS,
          AGG_DAILY_METRICS,
          QUARANTINE,
          PIPELINE_RUNS);

  private static final Map<String, TableDefinition> BY_NAME =
      ALL.stream()
          .collect(Collectors.toUnmodifiableMap(TableDefinition::name, Function.identity()));

  private LakehouseTables() {}

  /** All tables in zone order: bronze, silver, gold, operations. */
  public static List<TableDefinition> all() {
    return ALL;
  }

  public static List<TableDefinition> inZone(Zone zone) {
    return ALL.stream().filter(t -> t.zone() == zone).toList();
  }

  /**
   * Looks a table up by name, accepting {@code raw_orders} or {@code
   * ecommerce_lakehouse.raw_orders}.
   */
  public static Optional<TableDefinition> find(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    if (key.startsWith(NAMESPACE + ".")) {
      key = key.substring(NAMESPACE.length() + 1);
    }
    return Optional.ofNullable(BY_NAME.get(key));
  }

  public static TableDefinition byName(String name) {
    return find(name).orElseThrow(() -> new UnknownTableException(name));
  }
}
