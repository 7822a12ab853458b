package dev.lakehouse.jobs.silver;

import static dev.lakehouse.core.tables.LakehouseTables.CURATED_CUSTOMERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDERS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_CUSTOMERS;

import dev.lakehouse.core.rules.BusinessRules;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.quality.QualityGate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * raw_customers → curated_customers as SCD type 2 on the profile (email lower-cased and trimmed,
 * full name, phone digits and '+', city, state, country): a changed profile closes the current
 * version ({@code _valid_to} = the new version's {@code _valid_from}) and adds a new current one in
 * the same MERGE; an unchanged profile adds nothing. Orders that arrived before their customer get
 * the customer's name and email filled in.
 */
final class CustomersSilver implements SilverEntity<CustomersSilver.Staged> {
  private final Instant asOf;

  /**
   * @param asOf the run time is_active is relative to
   */
  CustomersSilver(Instant asOf) {
    this.asOf = asOf;
  }

  /**
   * @param profiles the newest profile of every customer of the batch (their orders get its name
   *     and email)
   * @param versions the new current versions: new customers and changed profiles only
   */
  record Staged(
      Dataset<Row> profiles, Dataset<Row> versions, long versionCount, List<String> affectedDates)
      implements SilverEntity.Staged {
    @Override
    public Map<String, Object> details() {
      return Map.of("newVersions", versionCount);
    }
  }

  @Override
  public TableDefinition bronze() {
    return RAW_CUSTOMERS;
  }

  @Override
  public TableDefinition silver() {
    return CURATED_CUSTOMERS;
  }

  @Override
  public String key() {
    return "customer_id";
  }

  @Override
  public Dataset<Row> validate(Dataset<Row> batch) {
    return batch.selectExpr(
        "*",
        """
        CASE
          WHEN customer_id IS NULL OR trim(customer_id) = '' THEN 'missing customer_id'
          WHEN email IS NOT NULL AND NOT lower(trim(email)) RLIKE '^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$'
            THEN concat('email is not an address: ', email)
        END AS _reject_reason""");
  }

  /** The normalised profile and its hash, the SCD2 change detector. */
  @Override
  public Dataset<Row> shape(Dataset<Row> newest, Instant now) {
    return newest
        .sparkSession()
        .sql(
            """
        SELECT *, sha2(concat_ws('|', coalesce(email, ''), coalesce(full_name, ''), coalesce(phone, ''),
                                 coalesce(city, ''), coalesce(state, ''), coalesce(country, '')), 256) AS _profile_hash
        FROM (
          SELECT trim(customer_id) AS customer_id,
                 lower(trim(email)) AS email,
                 trim(first_name) AS first_name,
                 trim(last_name) AS last_name,
                 nullif(trim(concat_ws(' ', trim(first_name), trim(last_name))), '') AS full_name,
                 nullif(regexp_replace(phone, '[^0-9+]', ''), '') AS phone,
                 trim(address['city']) AS city,
                 trim(address['state']) AS state,
                 trim(address['country']) AS country,
                 trim(coalesce(address['postal_code'], address['zip'])) AS postal_code,
                 created_at AS registration_date,
                 nullif(trim(source_system), '') AS source_system,
                 _ingestion_timestamp AS _valid_from,
                 _source_file
          FROM %s)"""
                .formatted(SilverSql.view(newest, "customers_newest")));
  }

  /**
   * The profiles of {@code latest} that are new or differ from the customer's {@code current}
   * version.
   */
  static Dataset<Row> changed(Dataset<Row> latest, Dataset<Row> current) {
    return latest
        .sparkSession()
        .sql(
            """
        SELECT n.* FROM %s n LEFT JOIN %s c ON n.customer_id = c.customer_id
        WHERE c.customer_id IS NULL OR c._profile_hash <> n._profile_hash"""
                .formatted(
                    SilverSql.view(latest, "customers_latest"),
                    SilverSql.view(current, "customers_current")));
  }

  /**
   * New current versions: each changed profile with its order-derived {@code stats}, open-ended
   * from now on.
   */
  static Dataset<Row> versions(Dataset<Row> changed, Dataset<Row> stats, Instant now) {
    return changed
        .sparkSession()
        .sql(
            """
        SELECT n.customer_id, n.email, n.first_name, n.last_name, n.full_name, n.phone, n.city, n.state, n.country,
               n.postal_code, n.registration_date, n.source_system, s.customer_segment, s.lifetime_value,
               s.first_order_date, s.last_order_date, s.total_orders, s.is_active, n._profile_hash, n._valid_from,
               CAST(NULL AS TIMESTAMP) AS _valid_to, true AS _is_current, n._source_file, :now AS _updated_at
        FROM %s n JOIN %s s ON n.customer_id = s.customer_id"""
                .formatted(
                    SilverSql.view(changed, "customers_changed"),
                    SilverSql.view(stats, "customers_stats")),
            Map.of("now", now));
  }

  @Override
  public Staged stage(SparkSession spark, Dataset<Row> latest, long rows, Instant now) {
    // Only new customers and changed profiles become versions; their order-derived columns come
    // from the orders.
    Dataset<Row> orders =
        spark
            .table(CURATED_ORDERS.qualifiedName())
            .select("customer_id", "order_date", "order_status", "net_amount");
    Dataset<Row> current = spark.table(CURATED_CUSTOMERS.qualifiedName()).where("_is_current");
    Dataset<Row> changed = changed(latest, current);
    Dataset<Row> versions =
        versions(changed, CustomerStats.compute(changed, orders, asOf), now).localCheckpoint(true);
    List<String> affectedDates = SilverSql.dates(segmentMoves(versions, current, orders));
    return new Staged(latest, versions, versions.count(), affectedDates);
  }

  /**
   * The dates of the orders of customers whose new version is in another segment than their current
   * one (a customer new to silver moves from gold's 'unknown'): the segment is the only customer
   * attribute gold shows, so a changed profile alone marks no date.
   */
  static Dataset<Row> segmentMoves(
      Dataset<Row> versions, Dataset<Row> current, Dataset<Row> orders) {
    return versions
        .sparkSession()
        .sql(
            """
        SELECT to_date(o.order_date) FROM %s o JOIN %s v ON o.customer_id = v.customer_id
        LEFT JOIN %s c ON c.customer_id = v.customer_id
        WHERE NOT (c.customer_segment <=> v.customer_segment)"""
                .formatted(
                    SilverSql.view(orders, "customer_orders"),
                    SilverSql.view(versions, "customer_versions"),
                    SilverSql.view(current, "customers_current")));
  }

  @Override
  public void gate(Staged staged) {
    QualityGate.forTable(CURATED_CUSTOMERS.name())
        .complete(
            "customer_id", "_profile_hash", "_valid_from", "customer_segment", "lifetime_value")
        .unique(CURATED_CUSTOMERS.entityKey())
        .nonNegative("lifetime_value", "total_orders")
        .allowedValues("customer_segment", BusinessRules.segmentNames())
        .enforce(staged.versions());
  }

  @Override
  public void commit(
      SparkSession spark, Staged staged, Map<String, String> watermark, Instant now) {
    // Late-arriving customers (and renamed ones): their orders get the current name and email.
    spark.sql(
        """
        MERGE INTO %s t USING %s s ON %s
        WHEN MATCHED AND NOT (t.customer_name <=> s.full_name AND t.customer_email <=> s.email)
        THEN UPDATE SET customer_name = s.full_name, customer_email = s.email, _updated_at = :now
        """
            .formatted(
                CURATED_ORDERS.qualifiedName(),
                SilverSql.view(staged.profiles(), "customers_latest"),
                SilverSql.keyMatch(CURATED_CUSTOMERS, "t", "s")),
        Map.of("now", now));
    // SCD2 in one atomic MERGE: rows keyed by customer_id close the current version, rows with a
    // NULL key insert.
    SilverSql.commitWith(
        spark,
        watermark,
        """
        MERGE INTO %1$s t
        USING (SELECT customer_id AS _merge_key, * FROM %2$s UNION ALL SELECT NULL AS _merge_key, * FROM %2$s) s
        ON t.customer_id = s._merge_key AND t._is_current
        WHEN MATCHED THEN UPDATE SET _is_current = false, _valid_to = s._valid_from, _updated_at = s._updated_at
        WHEN NOT MATCHED AND s._merge_key IS NULL THEN INSERT (customer_id, email, first_name, last_name, full_name,
          phone, city, state, country, postal_code, registration_date, source_system, customer_segment, lifetime_value,
          first_order_date, last_order_date, total_orders, is_active, _profile_hash, _valid_from, _valid_to,
          _is_current, _source_file, _updated_at)
        VALUES (s.customer_id, s.email, s.first_name, s.last_name, s.full_name, s.phone, s.city, s.state, s.country,
          s.postal_code, s.registration_date, s.source_system, s.customer_segment, s.lifetime_value, s.first_order_date,
          s.last_order_date, s.total_orders, s.is_active, s._profile_hash, s._valid_from, s._valid_to, s._is_current,
          s._source_file, s._updated_at)"""
            .formatted(
                CURATED_CUSTOMERS.qualifiedName(),
                SilverSql.view(staged.versions(), "customer_versions")),
        Map.of());
  }
}
