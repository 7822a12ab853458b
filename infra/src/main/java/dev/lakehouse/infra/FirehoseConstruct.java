package dev.lakehouse.infra;

import dev.lakehouse.core.tables.SourceEntity;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * A Kinesis Data Firehose delivery stream (context {@code lakehouse:firehose=true}, off by default)
 * that writes order events as JSON Lines objects under {@code landing/orders/}: each buffer is one
 * object ending in {@code .jsonl}, one record a line (Firehose appends the newline), so every
 * delivery is an "Object Created" the ingest pipeline takes like a dropped file. Buffering ({@code
 * lakehouse:firehoseBufferSeconds}, default 300; {@code lakehouse:firehoseBufferMb}, default 64)
 * sets how many rows one pipeline run loads: larger buffers, fewer and bigger bronze commits.
 * Encrypted with the stack key at rest in the stream and in S3; failed deliveries go to {@value
 * #ERROR_PREFIX}, outside {@code landing/}.
 */
public final class FirehoseConstruct extends Construct {
  public static final String ENABLED_KEY = LakehouseConfig.PREFIX + "firehose";
  public static final String BUFFER_SECONDS_KEY = LakehouseConfig.PREFIX + "firehoseBufferSeconds";
  public static final String BUFFER_MB_KEY = LakehouseConfig.PREFIX + "firehoseBufferMb";
  public static final String ERROR_PREFIX = "firehose-errors/";

  /** Whether the stream is wanted and its buffering. */
  public record Settings(boolean enabled, int bufferSeconds, int bufferMb) {
    public Settings {
      if (bufferSeconds < 0 || bufferSeconds > 900) {
        throw new IllegalArgumentException(
            BUFFER_SECONDS_KEY + " must be between 0 and 900, got " + bufferSeconds);
      }
      if (bufferMb < 1 || bufferMb > 128) {
        throw new IllegalArgumentException(
            BUFFER_MB_KEY + " must be between 1 and 128, got " + bufferMb);
      }
    }

    public static Settings fromContext(Node node) {
      return new Settings(
          Boolean.parseBoolean(String.valueOf(node.tryGetContext(ENABLED_KEY)).trim()),
          integer(node, BUFFER_SECONDS_KEY, 300),
          integer(node, BUFFER_MB_KEY, 64));
    }

    private static int integer(Node node, String key, int fallback) {
      Object v = node.tryGetContext(key);
      if (v == null) {
        return fallback;
      }
      try {
        return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'", e);
      }
    }
  }

  private final CfnDeliveryStream stream;
  private final Role role;

  public FirehoseConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      Settings settings) {
    super(scope, id);
    String prefix = SourceEntity.ORDERS.landingPrefix();
    this.role =
        Role.Builder.create(this, "DeliveryRole")
            .assumedBy(
                ServicePrincipal.Builder.create("firehose.amazonaws.com")
                    .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                    .build())
            .description("Firehose: writes order events under " + prefix + " of the landing bucket")
            .build();
    LogGroup logs =
        LogGroup.Builder.create(this, "Logs")
            .encryptionKey(storage.key())
            .retention(config.logRetention())
            .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
            .build();
    LogStream delivery =
        LogStream.Builder.create(this, "DeliveryLogs")
            .logGroup(logs)
            .logStreamName("S3Delivery")
            .build();
    statements(storage, logs).forEach(role::addToPolicy);

    this.stream =
        CfnDeliveryStream.Builder.create(this, "OrdersStream")
            .deliveryStreamName(config.namePrefix() + "-orders")
            .deliveryStreamType("DirectPut")
            .deliveryStreamEncryptionConfigurationInput(
                CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty.builder()
                    .keyType("CUSTOMER_MANAGED_CMK")
                    .keyArn(storage.key().getKeyArn())
                    .build())
            .extendedS3DestinationConfiguration(
                CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty.builder()
                    .bucketArn(storage.landingBucket().getBucketArn())
                    .roleArn(role.getRoleArn())
                    .prefix(prefix + "firehose/!{timestamp:yyyy/MM/dd}/")
                    .errorOutputPrefix(
                        ERROR_PREFIX + "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/")
                    // The router and bronze tell the format by the extension.
                    .fileExtension(".jsonl")
                    .compressionFormat("UNCOMPRESSED")
                    .bufferingHints(
                        CfnDeliveryStream.BufferingHintsProperty.builder()
                            .intervalInSeconds(settings.bufferSeconds())
                            .sizeInMBs(settings.bufferMb())
                            .build())
                    .encryptionConfiguration(
                        CfnDeliveryStream.EncryptionConfigurationProperty.builder()
                            .kmsEncryptionConfig(
                                CfnDeliveryStream.KMSEncryptionConfigProperty.builder()
                                    .awskmsKeyArn(storage.key().getKeyArn())
                                    .build())
                            .build())
                    // One record a line, whether or not the producer ended it with a newline.
                    .processingConfiguration(
                        CfnDeliveryStream.ProcessingConfigurationProperty.builder()
                            .enabled(true)
                            .processors(
                                List.of(
                                    CfnDeliveryStream.ProcessorProperty.builder()
                                        .type("AppendDelimiterToRecord")
                                        .build()))
                            .build())
                    .cloudWatchLoggingOptions(
                        CfnDeliveryStream.CloudWatchLoggingOptionsProperty.builder()
                            .enabled(true)
                            .logGroupName(logs.getLogGroupName())
                            .logStreamName(delivery.getLogStreamName())
                            .build())
                    .build())
            .build();
    stream.getNode().addDependency(role);
  }

  /**
   * Objects under landing/orders/ and the error prefix, the bucket's location and uploads, the key,
   * the logs.
   */
  static List<PolicyStatement> statements(StorageConstruct storage, LogGroup logs) {
    List<PolicyStatement> s = new ArrayList<>();
    s.add(
        Access.s3Objects(
            storage.landingBucket(),
            List.of("s3:PutObject", "s3:AbortMultipartUpload"),
            List.of(SourceEntity.ORDERS.landingPrefix(), ERROR_PREFIX)));
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("s3:GetBucketLocation", "s3:ListBucketMultipartUploads"))
            .resources(List.of(storage.landingBucket().getBucketArn()))
            .build());
    s.add(Access.kms(storage.key(), List.of("kms:Decrypt", "kms:GenerateDataKey")));
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("logs:PutLogEvents"))
            .resources(List.of(logs.getLogGroupArn()))
            .build());
    return s;
  }

  /** The landing prefixes need a trailing * in an object ARN. */
  void suppressNagFindings(Stack stack, StorageConstruct storage) {
    NagSuppressions.addResourceSuppressions(
        role.getNode().findChild("DefaultPolicy").getNode().findChild("Resource"),
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(
                    "Firehose writes one object per buffer under landing/orders/ (named by time and a random id it "
                        + "chooses) and failed records under "
                        + ERROR_PREFIX
                        + "; an object ARN needs a trailing * to name "
                        + "a prefix.")
                .appliesTo(
                    new ArrayList<>(
                        NagSuppressionsForLakehouse.objects(
                            stack,
                            storage.landingBucket(),
                            List.of(SourceEntity.ORDERS.landingPrefix(), ERROR_PREFIX))))
                .build()));
  }

  public CfnDeliveryStream stream() {
    return stream;
  }

  public Role role() {
    return role;
  }
}
