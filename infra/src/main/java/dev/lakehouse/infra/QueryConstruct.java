package dev.lakehouse.infra;

import dev.lakehouse.core.rules.BusinessRules;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.athena.CfnNamedQuery;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.constructs.Construct;

/**
 * Athena: one workgroup whose settings clients cannot override (engine v3 for Iceberg,
 * KMS-encrypted results in the results bucket, a per-query scan limit) and named queries that show
 * the lakehouse off: revenue, time travel by timestamp and by snapshot, snapshot history and data
 * files per partition. Table names come from {@link LakehouseTables}.
 */
public final class QueryConstruct extends Construct {
  public static final String ENGINE_VERSION = "Athena engine version 3";

  private final CfnWorkGroup workGroup;
  private final Map<String, CfnNamedQuery> namedQueries = new LinkedHashMap<>();

  public QueryConstruct(
      Construct scope, String id, LakehouseConfig config, StorageConstruct storage) {
    super(scope, id);
    this.workGroup =
        CfnWorkGroup.Builder.create(this, "WorkGroup")
            .name(config.namePrefix())
            .description(
                "Lakehouse "
                    + config.environment()
                    + ": Iceberg tables in "
                    + LakehouseTables.NAMESPACE)
            .state("ENABLED")
            .recursiveDeleteOption(!config.isProduction())
            .workGroupConfiguration(
                CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                    .enforceWorkGroupConfiguration(true)
                    .publishCloudWatchMetricsEnabled(true)
                    .bytesScannedCutoffPerQuery(config.athenaBytesScannedCutoff())
                    .engineVersion(
                        CfnWorkGroup.EngineVersionProperty.builder()
                            .selectedEngineVersion(ENGINE_VERSION)
                            .build())
                    .resultConfiguration(
                        CfnWorkGroup.ResultConfigurationProperty.builder()
                            .outputLocation(
                                "s3://"
                                    + storage.athenaResultsBucket().getBucketName()
                                    + "/"
                                    + StorageConstruct.ATHENA_RESULTS_PREFIX)
                            .expectedBucketOwner(Aws.ACCOUNT_ID)
                            .encryptionConfiguration(
                                CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                    .encryptionOption("SSE_KMS")
                                    .kmsKey(storage.key().getKeyArn())
                                    .build())
                            .build())
                    .build())
            .build();

    TableDefinition orders = LakehouseTables.CURATED_ORDERS;
    query(
        "DailyRevenue",
        "daily-revenue",
        "Net and gross revenue per day, cancelled orders excluded",
        """
        SELECT date(order_date) AS order_day,
               count(*) AS orders,
               sum(net_amount) AS net_revenue,
               sum(total_amount) AS gross_revenue
        FROM %s
        WHERE %s
        GROUP BY date(order_date)
        ORDER BY order_day DESC
        LIMIT 90"""
            .formatted(orders.qualifiedName(), BusinessRules.Sql.countsAsRevenue("order_status")));
    query(
        "TimeTravelTimestamp",
        "time-travel-by-timestamp",
        "Orders and revenue as the table was 24 hours ago (Iceberg time travel by timestamp)",
        """
        SELECT count(*) AS orders, sum(net_amount) AS net_revenue
        FROM %s FOR TIMESTAMP AS OF (current_timestamp - interval '1' day)"""
            .formatted(orders.qualifiedName()));
    query(
        "TimeTravelVersion",
        "time-travel-by-snapshot",
        "Orders as of one snapshot: replace the id with a snapshot_id from the snapshot-history query",
        """
        -- Replace the snapshot id with one listed by the snapshot-history query.
        SELECT count(*) AS orders, sum(net_amount) AS net_revenue
        FROM %s FOR VERSION AS OF 1"""
            .formatted(orders.qualifiedName()));
    query(
        "SnapshotHistory",
        "snapshot-history",
        "Every snapshot of the curated orders table, newest first",
        """
        SELECT committed_at, snapshot_id, parent_id, operation, summary
        FROM %s
        ORDER BY committed_at DESC"""
            .formatted(metadataTable(orders, "snapshots")));
    query(
        "FilesPerPartition",
        "files-per-partition",
        "Data files, rows and bytes per partition of the curated orders table (small-file check before compaction)",
        """
        SELECT "partition", count(*) AS data_files, sum(record_count) AS records,
               sum(file_size_in_bytes) AS bytes, avg(file_size_in_bytes) AS avg_file_bytes
        FROM %s
        GROUP BY "partition"
        ORDER BY data_files DESC"""
            .formatted(metadataTable(orders, "files")));
  }

  /** {@code "ecommerce_lakehouse"."curated_orders$snapshots"}: Athena's Iceberg metadata tables. */
  static String metadataTable(TableDefinition table, String metadata) {
    return "\"" + LakehouseTables.NAMESPACE + "\".\"" + table.name() + "$" + metadata + "\"";
  }

  private void query(String id, String name, String description, String sql) {
    CfnNamedQuery q =
        CfnNamedQuery.Builder.create(this, id)
            .name(name)
            .description(description)
            .database(LakehouseTables.NAMESPACE)
            .workGroup(workGroup.getRef())
            .queryString(sql)
            .build();
    namedQueries.put(name, q);
  }

  public CfnWorkGroup workGroup() {
    return workGroup;
  }

  public Map<String, CfnNamedQuery> namedQueries() {
    return Map.copyOf(namedQueries);
  }
}
