package dev.lakehouse.infra;

import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.Zone;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * The customer-managed key and the four buckets. Every data bucket is SSE-KMS with bucket keys,
 * versioned, private, TLS-only (TLS 1.2 or later) and logs its access to the access-log bucket.
 *
 * <p>Lifecycle rules never expire or archive a current object under a warehouse zone: Iceberg
 * decides which files a table references, and deletes the ones it no longer needs itself (snapshot
 * expiry, orphan removal). S3 may only move referenced files to classes that stay readable with a
 * plain GetObject (Standard-IA, Glacier Instant Retrieval), and may only expire what Iceberg has
 * already deleted (noncurrent versions) or what no table can reference ({@code _temporary/}). See
 * docs/infra.md.
 */
public final class StorageConstruct extends Construct {
  /**
   * Scratch space (Glue TempDir, Spark staging): never a table location, so safe to expire after a
   * day.
   */
  public static final String TEMPORARY_PREFIX = "_temporary/";

  /** Where Athena writes query results inside the results bucket. */
  public static final String ATHENA_RESULTS_PREFIX = "results/";

  /**
   * Transitions per zone: bronze is rarely re-read after silver has consumed it, silver is read by
   * gold and Athena. No Glacier Flexible Retrieval or Deep Archive: Athena and S3FileIO cannot read
   * those without a restore.
   */
  static final Map<Zone, List<Transition>> ZONE_TRANSITIONS = zoneTransitions();

  private final Key key;
  private final Bucket accessLogsBucket;
  private final Bucket landingBucket;
  private final Bucket warehouseBucket;
  private final Bucket athenaResultsBucket;

  public StorageConstruct(Construct scope, String id, LakehouseConfig config) {
    super(scope, id);
    RemovalPolicy removal = config.statefulRemovalPolicy();

    this.key =
        Key.Builder.create(this, "Key")
            .alias("alias/" + config.namePrefix())
            .description(
                "Lakehouse "
                    + config.environment()
                    + ": buckets, Glue catalog and jobs, Athena results, SNS, SQS, logs")
            .enableKeyRotation(true)
            .removalPolicy(removal)
            .build();
    allowServiceUse();

    // S3 server access logging cannot deliver to an SSE-KMS bucket, so this one bucket uses SSE-S3.
    this.accessLogsBucket =
        Bucket.Builder.create(this, "AccessLogsBucket")
            .encryption(BucketEncryption.S3_MANAGED)
            .versioned(true)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .enforceSsl(true)
            .minimumTlsVersion(1.2)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(config.isProduction() ? 365 : 90))
                        .noncurrentVersionExpiration(Duration.days(1))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
            .removalPolicy(removal)
            .build();

    this.landingBucket =
        dataBucket("LandingBucket", "landing/", removal)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("landed-files-to-ia")
                        .prefix(SourceEntity.LANDING_ROOT)
                        .transitions(
                            List.of(
                                Transition.builder()
                                    .storageClass(StorageClass.INFREQUENT_ACCESS)
                                    .transitionAfter(Duration.days(30))
                                    .build()))
                        .build(),
                    housekeepingRule(30)))
            .build();
    // Object Created events go to EventBridge, where the ingest rule filters on the landing/
    // prefix. Set on the
    // CloudFormation bucket itself: Bucket.eventBridgeEnabled would add a notifications custom
    // resource (a Lambda)
    // that this native property makes unnecessary.
    ((CfnBucket) landingBucket.getNode().getDefaultChild())
        .setNotificationConfiguration(
            CfnBucket.NotificationConfigurationProperty.builder()
                .eventBridgeConfiguration(
                    CfnBucket.EventBridgeConfigurationProperty.builder()
                        .eventBridgeEnabled(true)
                        .build())
                .build());

    List<LifecycleRule> warehouseRules = new ArrayList<>();
    ZONE_TRANSITIONS.forEach(
        (zone, transitions) -> {
          if (!transitions.isEmpty()) {
            warehouseRules.add(
                LifecycleRule.builder()
                    .id(zone.warehousePrefix() + "-zone-tiering")
                    .prefix(Access.zonePrefix(zone))
                    .transitions(transitions)
                    .build());
          }
        });
    warehouseRules.add(
        LifecycleRule.builder()
            .id("expire-temporary")
            .prefix(TEMPORARY_PREFIX)
            .expiration(Duration.days(1))
            .build());
    // Iceberg deletes files explicitly; versioning keeps them 30 days as noncurrent versions for
    // recovery.
    warehouseRules.add(housekeepingRule(30));
    this.warehouseBucket =
        dataBucket("WarehouseBucket", "warehouse/", removal).lifecycleRules(warehouseRules).build();

    this.athenaResultsBucket =
        dataBucket("AthenaResultsBucket", "athena-results/", removal)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("expire-query-results")
                        .expiration(Duration.days(30))
                        .noncurrentVersionExpiration(Duration.days(1))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
            .build();
  }

  private static Map<Zone, List<Transition>> zoneTransitions() {
    Map<Zone, List<Transition>> m = new EnumMap<>(Zone.class);
    m.put(
        Zone.BRONZE,
        List.of(
            Transition.builder()
                .storageClass(StorageClass.INFREQUENT_ACCESS)
                .transitionAfter(Duration.days(90))
                .build(),
            Transition.builder()
                .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                .transitionAfter(Duration.days(365))
                .build()));
    m.put(
        Zone.SILVER,
        List.of(
            Transition.builder()
                .storageClass(StorageClass.INFREQUENT_ACCESS)
                .transitionAfter(Duration.days(180))
                .build()));
    m.put(Zone.GOLD, List.of());
    m.put(Zone.OPERATIONS, List.of());
    return Map.copyOf(m);
  }

  private static LifecycleRule housekeepingRule(int noncurrentDays) {
    return LifecycleRule.builder()
        .id("noncurrent-versions-and-uploads")
        .noncurrentVersionExpiration(Duration.days(noncurrentDays))
        .expiredObjectDeleteMarker(true)
        .abortIncompleteMultipartUploadAfter(Duration.days(7))
        .build();
  }

  private Bucket.Builder dataBucket(String id, String logPrefix, RemovalPolicy removal) {
    return Bucket.Builder.create(this, id)
        .encryption(BucketEncryption.KMS)
        .encryptionKey(key)
        .bucketKeyEnabled(true)
        .versioned(true)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .enforceSsl(true)
        .minimumTlsVersion(1.2)
        .serverAccessLogsBucket(accessLogsBucket)
        .serverAccessLogsPrefix(logPrefix)
        .removalPolicy(removal);
  }

  /**
   * Key policy for the services that encrypt with the key on our behalf. IAM principals get the key
   * through their own policies (the key policy trusts the account); services that act without a
   * role need it here.
   */
  private void allowServiceUse() {
    String logsArnPattern =
        "arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":log-group:*";
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudWatchLogsEncryption")
            .principals(List.of(new ServicePrincipal("logs." + Aws.REGION + ".amazonaws.com")))
            .actions(
                List.of(
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                    "kms:GenerateDataKey",
                    "kms:GenerateDataKeyWithoutPlaintext",
                    "kms:DescribeKey"))
            .resources(List.of("*"))
            .conditions(
                Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn", logsArnPattern)))
            .build());
    // EventBridge (rule targets: the SQS dead-letter queue, the SNS topic) and CloudWatch alarms
    // (SNS) publish to
    // encrypted destinations as the service itself.
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("EventsAndAlarmsToEncryptedTargets")
            .principals(
                List.of(
                    new ServicePrincipal("events.amazonaws.com"),
                    new ServicePrincipal("cloudwatch.amazonaws.com")))
            .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
            .build());
  }

  public Key key() {
    return key;
  }

  public Bucket accessLogsBucket() {
    return accessLogsBucket;
  }

  public Bucket landingBucket() {
    return landingBucket;
  }

  public Bucket warehouseBucket() {
    return warehouseBucket;
  }

  public Bucket athenaResultsBucket() {
    return athenaResultsBucket;
  }

  /**
   * {@code s3://<warehouse-bucket>/}: the Iceberg warehouse root every catalog client is configured
   * with.
   */
  public String warehouseUri() {
    return "s3://" + warehouseBucket.getBucketName() + "/";
  }
}
