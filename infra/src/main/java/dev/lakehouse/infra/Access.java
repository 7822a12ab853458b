package dev.lakehouse.infra;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.Zone;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Least-privilege policy statements, written out instead of taken from the L2 {@code
 * grantRead/grantWrite} helpers: those grant {@code s3:GetObject*}, {@code s3:List*} and the whole
 * bucket, where the lakehouse needs a few exact actions on the prefixes a principal actually
 * touches. Glue permissions name the catalog, the database and each declared table (from {@link
 * LakehouseTables}), never {@code table/*}.
 */
public final class Access {
  /** Reading an Iceberg table: its metadata and data files. */
  public static final List<String> S3_READ = List.of("s3:GetObject");

  /** Committing to an Iceberg table: new files, and deleting uncommitted or expired ones. */
  public static final List<String> S3_WRITE =
      List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload");

  public static final List<String> GLUE_READ = List.of("glue:GetDatabase", "glue:GetTable");

  /**
   * Iceberg's GlueCatalog commits by UpdateTable with the expected version (optimistic locking).
   */
  public static final List<String> GLUE_COMMIT =
      List.of("glue:GetDatabase", "glue:GetTable", "glue:UpdateTable");

  public static final List<String> GLUE_CREATE =
      List.of("glue:GetDatabase", "glue:GetTable", "glue:CreateTable", "glue:UpdateTable");

  /** What SSE-KMS with bucket keys needs from a reader and a writer. */
  public static final List<String> KMS_READ = List.of("kms:Decrypt");

  public static final List<String> KMS_WRITE =
      List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");

  private Access() {}

  /** Object actions under each prefix: {@code arn:...:bucket/raw/*}. */
  public static PolicyStatement s3Objects(
      IBucket bucket, List<String> actions, Collection<String> prefixes) {
    List<String> resources = prefixes.stream().map(p -> bucket.arnForObjects(p + "*")).toList();
    return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
  }

  /**
   * ListBucket, limited to keys under the prefixes (Iceberg's orphan-file removal and Spark's
   * listing need it).
   */
  public static PolicyStatement s3List(IBucket bucket, Collection<String> prefixes) {
    List<String> patterns = prefixes.stream().map(p -> p + "*").toList();
    return PolicyStatement.Builder.create()
        .actions(List.of("s3:ListBucket"))
        .resources(List.of(bucket.getBucketArn()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", patterns)))
        .build();
  }

  /**
   * Glue Data Catalog actions on the catalog, the lakehouse database and exactly the given tables.
   */
  public static PolicyStatement glue(List<String> actions, Collection<TableDefinition> tables) {
    List<String> resources = new ArrayList<>();
    resources.add(glueCatalogArn());
    resources.add(glueDatabaseArn());
    tables.forEach(t -> resources.add(glueTableArn(t)));
    return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
  }

  public static PolicyStatement kms(IKey key, List<String> actions) {
    return PolicyStatement.Builder.create()
        .actions(actions)
        .resources(List.of(key.getKeyArn()))
        .build();
  }

  /** Reading a Glue connection (a job's network or JDBC connection): its ARN and the catalog's. */
  public static PolicyStatement glueConnection(String connectionName) {
    return PolicyStatement.Builder.create()
        .actions(List.of("glue:GetConnection"))
        .resources(
            List.of(
                glueCatalogArn(),
                "arn:"
                    + Aws.PARTITION
                    + ":glue:"
                    + Aws.REGION
                    + ":"
                    + Aws.ACCOUNT_ID
                    + ":connection/"
                    + connectionName))
        .build();
  }

  public static String glueCatalogArn() {
    return "arn:" + Aws.PARTITION + ":glue:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":catalog";
  }

  public static String glueDatabaseArn() {
    return "arn:"
        + Aws.PARTITION
        + ":glue:"
        + Aws.REGION
        + ":"
        + Aws.ACCOUNT_ID
        + ":database/"
        + LakehouseTables.NAMESPACE;
  }

  public static String glueTableArn(TableDefinition table) {
    return "arn:"
        + Aws.PARTITION
        + ":glue:"
        + Aws.REGION
        + ":"
        + Aws.ACCOUNT_ID
        + ":table/"
        + LakehouseTables.NAMESPACE
        + "/"
        + table.name();
  }

  public static String glueJobArn(String jobName) {
    return "arn:"
        + Aws.PARTITION
        + ":glue:"
        + Aws.REGION
        + ":"
        + Aws.ACCOUNT_ID
        + ":job/"
        + jobName;
  }

  /** Warehouse prefix of a zone with the trailing slash: {@code raw/}. */
  public static String zonePrefix(Zone zone) {
    return zone.warehousePrefix() + "/";
  }

  public static List<String> zonePrefixes(Collection<Zone> zones) {
    return zones.stream().map(Access::zonePrefix).toList();
  }

  public static List<TableDefinition> tablesIn(Collection<Zone> zones) {
    return LakehouseTables.all().stream().filter(t -> zones.contains(t.zone())).toList();
  }
}
