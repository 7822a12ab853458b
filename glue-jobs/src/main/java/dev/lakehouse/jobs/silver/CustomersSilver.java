package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.rules.BusinessRules;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_CUSTOMERS;
import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDERS;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_CUSTOMERS;

import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.SilverJob;
import dev.lakehouse.jobs.quality.QualityGate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * raw_customers → curated_customers as SCD type 2 on the profile (email lower-cased and trimmed, full name, phone
 * digits and '+', city, state, country): a changed profile closes the current version ({@code _valid_to} = the new
 * version's {@code _valid_from}) and adds a new current one in the same MERGE; an unchanged profile adds nothing.
 * Orders that arrived before their customer get the customer's name and email filled in.
 */
final class CustomersSilver {
  private CustomersSilver() {}

  static JobResult run(SparkSession spark, String executionId, Instant asOf) {
    Instant started = Instant.now();
    SilverBatch batch = SilverBatch.pending(spark, RAW_CUSTOMERS, CURATED_CUSTOMERS);
    String raw = SilverSql.view(batch.rows(), "customers_batch");
    long rowsIn = spark.table(raw).count();
    if (rowsIn == 0) {
      return SilverJob.nothingToDo(CURATED_CUSTOMERS.name(), started);
    }
    String now = "TIMESTAMP '" + started + "'";
    String checked = SilverSql.view(SilverSql.supersededWithinFile(spark.sql("""
        SELECT *, CASE
          WHEN customer_id IS NULL OR trim(customer_id) = '' THEN 'missing customer_id'
          WHEN email IS NOT NULL AND NOT lower(trim(email)) RLIKE '^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$'
            THEN concat('email is not an address: ', email)
        END AS _reject_reason
        FROM %s""".formatted(raw)), "customer_id").localCheckpoint(true), "customers_checked");
    long rejected = SilverJob.quarantine(spark, checked, CURATED_CUSTOMERS.name(), "customer_id", executionId, started);

    Dataset<Row> latestRows = spark.sql("""
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
          FROM (SELECT *, row_number() OVER (PARTITION BY trim(customer_id)
                                             ORDER BY _ingestion_timestamp DESC, _source_line DESC) AS _rank
                FROM %s WHERE _reject_reason IS NULL)
          WHERE _rank = 1)""".formatted(checked)).localCheckpoint(true);
    String latest = SilverSql.view(latestRows, "customers_latest");
    long valid = spark.table(checked).where("_reject_reason IS NULL").count();
    long written = latestRows.count();
    if (written == 0) {
      SilverSql.commitNothingPromoted(spark, CURATED_CUSTOMERS, batch.commitProperties(executionId, ""));
      return SilverJob.nothingPromoted(CURATED_CUSTOMERS, rowsIn, rejected, spark, started);
    }

    // Only new customers and changed profiles become versions; their order-derived columns come from the orders.
    String orderView = SilverSql.view(spark.table(CURATED_ORDERS.qualifiedName())
        .select("customer_id", "order_date", "order_status", "net_amount"), "customer_orders");
    String changed = SilverSql.view(spark.sql("""
        SELECT n.* FROM %s n LEFT JOIN (SELECT * FROM %s WHERE _is_current) c ON n.customer_id = c.customer_id
        WHERE c.customer_id IS NULL OR c._profile_hash <> n._profile_hash""".formatted(latest,
        CURATED_CUSTOMERS.qualifiedName())), "customers_changed");
    String stats = SilverSql.view(CustomerStats.compute(spark, changed, orderView, asOf), "customers_stats");
    Dataset<Row> versionRows = spark.sql("""
        SELECT n.customer_id, n.email, n.first_name, n.last_name, n.full_name, n.phone, n.city, n.state, n.country,
               n.postal_code, n.registration_date, n.source_system, s.customer_segment, s.lifetime_value, s.first_order_date,
               s.last_order_date, s.total_orders, s.is_active, n._profile_hash, n._valid_from,
               CAST(NULL AS TIMESTAMP) AS _valid_to, true AS _is_current, n._source_file, %s AS _updated_at
        FROM %s n JOIN %s s ON n.customer_id = s.customer_id""".formatted(now, changed, stats)).localCheckpoint(true);
    long versions = versionRows.count();
    String newVersions = SilverSql.view(versionRows, "customer_versions");

    List<String> affectedDates = SilverSql.dates(spark.sql("""
        SELECT to_date(o.order_date) FROM %s o JOIN %s n ON o.customer_id = n.customer_id""".formatted(
        CURATED_ORDERS.qualifiedName(), latest)));

    QualityGate.forTable(CURATED_CUSTOMERS.name())
        .complete("customer_id", "_profile_hash", "_valid_from", "customer_segment", "lifetime_value")
        .unique(CURATED_CUSTOMERS.entityKey())
        .nonNegative("lifetime_value", "total_orders")
        .allowedValues("customer_segment", BusinessRules.segmentNames())
        .enforce(versionRows);

    // Late-arriving customers (and renamed ones): their orders get the current name and email.
    spark.sql("""
        MERGE INTO %s t USING %s s ON %s
        WHEN MATCHED AND NOT (t.customer_name <=> s.full_name AND t.customer_email <=> s.email)
        THEN UPDATE SET customer_name = s.full_name, customer_email = s.email, _updated_at = %s
        """.formatted(CURATED_ORDERS.qualifiedName(), latest, SilverSql.keyMatch(CURATED_CUSTOMERS, "t", "s"), now));
    // SCD2 in one atomic MERGE: rows keyed by customer_id close the current version, rows with a NULL key insert.
    SilverSql.commitWith(spark, batch.commitProperties(executionId, String.join(",", affectedDates)), """
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
          s._source_file, s._updated_at)""".formatted(CURATED_CUSTOMERS.qualifiedName(), newVersions));

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("superseded", valid - written);
    details.put("newVersions", versions);
    details.put("affectedDates", affectedDates.size());
    details.put("fullRead", batch.fullRead());
    return JobResult.succeeded(SilverJob.STEP, CURATED_CUSTOMERS.name(), started).withCounts(rowsIn, written, rejected)
        .withSnapshotId(SilverJob.currentSnapshot(spark, CURATED_CUSTOMERS)).withDetails(details);
  }
}
