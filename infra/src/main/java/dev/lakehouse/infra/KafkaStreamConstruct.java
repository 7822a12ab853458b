package dev.lakehouse.infra;

import dev.lakehouse.core.jobs.SparkJobs;
import dev.lakehouse.core.jobs.SparkJobs.JobSpec;
import dev.lakehouse.core.tables.Zone;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.glue.CfnConnection;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * The Kafka stream into bronze on AWS ({@code lakehouse:kafkaStream=true}, off by default): a Glue
 * 5.0 streaming job running {@link SparkJobs#STREAM_ORDERS} from the same jar as the other jobs,
 * reading an Amazon MSK (or any Kafka) cluster over TLS through a Glue network connection in the
 * cluster's VPC, and keeping its Spark checkpoint under {@value #CHECKPOINT_PREFIX} in the
 * warehouse bucket. Its role writes the bronze and operations zones (bronze rows, quarantine, run
 * log) and the checkpoint, and nothing of landing.
 */
public final class KafkaStreamConstruct extends Construct {
  /**
   * Warehouse-bucket prefix of the streaming queries' checkpoints: kept (no lifecycle expiry),
   * unlike scratch.
   */
  public static final String CHECKPOINT_PREFIX = "_streams/";

  static final List<Zone> WRITES = List.of(Zone.BRONZE, Zone.OPERATIONS);

  /**
   * The stream's context keys ({@code lakehouse:kafka...}); the cluster's network comes from the
   * deployer.
   */
  public record Settings(
      String bootstrapServers,
      String topic,
      String subnetId,
      String securityGroupId,
      String availabilityZone,
      String securityProtocol,
      int triggerSeconds) {
    /** Empty unless {@code lakehouse:kafkaStream} is true; then every network key is required. */
    static Optional<Settings> fromContext(Node node) {
      Object flag = node.tryGetContext(LakehouseConfig.PREFIX + "kafkaStream");
      String on = flag == null ? "false" : flag.toString().trim().toLowerCase(Locale.ROOT);
      if (!on.equals("true") && !on.equals("false")) {
        throw new IllegalArgumentException(
            LakehouseConfig.PREFIX + "kafkaStream must be true or false, got '" + flag + "'");
      }
      if (on.equals("false")) {
        return Optional.empty();
      }
      String trigger = optional(node, "kafkaTriggerSeconds", "60");
      int seconds;
      try {
        seconds = Integer.parseInt(trigger);
      } catch (NumberFormatException e) {
        seconds = 0;
      }
      if (seconds < 1) {
        throw new IllegalArgumentException(
            LakehouseConfig.PREFIX
                + "kafkaTriggerSeconds must be a whole number of "
                + "seconds, at least 1, got '"
                + trigger
                + "'");
      }
      return Optional.of(
          new Settings(
              required(node, "kafkaBootstrapServers"),
              optional(node, "kafkaTopic", "orders"),
              required(node, "kafkaSubnetId"),
              required(node, "kafkaSecurityGroupId"),
              required(node, "kafkaAvailabilityZone"),
              optional(node, "kafkaSecurityProtocol", "SSL"),
              seconds));
    }

    private static String required(Node node, String key) {
      Object v = node.tryGetContext(LakehouseConfig.PREFIX + key);
      if (v == null || v.toString().isBlank()) {
        throw new IllegalArgumentException(
            LakehouseConfig.PREFIX
                + key
                + " is required with "
                + LakehouseConfig.PREFIX
                + "kafkaStream=true (see docs/sources-kafka.md)");
      }
      return v.toString().trim();
    }

    private static String optional(Node node, String key, String fallback) {
      Object v = node.tryGetContext(LakehouseConfig.PREFIX + key);
      return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }
  }

  private final CfnJob job;
  private final CfnConnection connection;
  private final Role role;

  public KafkaStreamConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      Settings settings,
      StorageConstruct storage,
      JobsConstruct jobs) {
    super(scope, id);
    if (config.compute() != LakehouseConfig.Compute.GLUE) {
      throw new IllegalArgumentException(
          LakehouseConfig.PREFIX
              + "kafkaStream runs as a Glue streaming job: it needs "
              + LakehouseConfig.PREFIX
              + "compute=glue, got "
              + config.compute().value);
    }
    JobSpec spec = SparkJobs.STREAM_ORDERS;
    String name = JobsConstruct.jobName(config, spec.nameSuffix());

    // The job's workers get network interfaces in the cluster's subnet, with a security group the
    // brokers admit.
    this.connection =
        CfnConnection.Builder.create(this, "Network")
            .catalogId(Aws.ACCOUNT_ID)
            .connectionInput(
                CfnConnection.ConnectionInputProperty.builder()
                    .name(name + "-network")
                    .description(
                        "VPC access of the " + name + " Glue streaming job to the Kafka brokers")
                    .connectionType("NETWORK")
                    .physicalConnectionRequirements(
                        CfnConnection.PhysicalConnectionRequirementsProperty.builder()
                            .subnetId(settings.subnetId())
                            .securityGroupIdList(List.of(settings.securityGroupId()))
                            .availabilityZone(settings.availabilityZone())
                            .build())
                    .build())
            .build();

    this.role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
            .description(
                "Lakehouse Kafka stream Glue job: bronze, operations and its checkpoint; see docs/infra.md")
            .build();
    statements(storage, jobs, settings, name).forEach(role::addToPolicy);

    Map<String, String> args = new LinkedHashMap<>(jobs.glueArguments(spec, storage));
    args.put("--bootstrap-servers", settings.bootstrapServers());
    args.put("--topic", settings.topic());
    args.put("--checkpoint", checkpoint(storage, spec));
    args.put("--trigger-seconds", Integer.toString(settings.triggerSeconds()));
    args.put("--kafka-option", "security.protocol=" + settings.securityProtocol());

    this.job =
        CfnJob.Builder.create(this, "Job")
            .name(name)
            .description(
                spec.simpleClassName()
                    + " "
                    + spec.arguments()
                    + " from "
                    + settings.bootstrapServers())
            .role(role.getRoleArn())
            .command(
                CfnJob.JobCommandProperty.builder()
                    .name("gluestreaming")
                    .scriptLocation(jobs.jobScript().getS3ObjectUrl())
                    .build())
            .glueVersion(JobsConstruct.GLUE_VERSION)
            .workerType(config.glueWorkerType())
            .numberOfWorkers(config.glueNumberOfWorkers())
            .connections(
                CfnJob.ConnectionsListProperty.builder()
                    .connections(List.of(name + "-network"))
                    .build())
            // A restart is safe (the table's Kafka position makes every event load once), so Glue
            // may retry a failure.
            .maxRetries(3)
            .executionProperty(
                CfnJob.ExecutionPropertyProperty.builder()
                    .maxConcurrentRuns(spec.maxConcurrentRuns())
                    .build())
            .securityConfiguration(jobs.securityConfiguration().getRef())
            .defaultArguments(args)
            .build();
    job.addDependency(connection);
  }

  /** The query's checkpoint: {@code s3://<warehouse bucket>/_streams/stream-orders/checkpoint/}. */
  static String checkpoint(StorageConstruct storage, JobSpec spec) {
    return "s3://"
        + storage.warehouseBucket().getBucketName()
        + "/"
        + CHECKPOINT_PREFIX
        + spec.nameSuffix()
        + "/checkpoint/";
  }

  private static List<PolicyStatement> statements(
      StorageConstruct storage, JobsConstruct jobs, Settings settings, String name) {
    List<PolicyStatement> s = new ArrayList<>();
    s.add(JobsConstruct.codeObjects(List.of(jobs.jobJar(), jobs.jobScript())));
    List<String> writes = new ArrayList<>(Access.zonePrefixes(WRITES));
    writes.add(CHECKPOINT_PREFIX);
    writes.add(StorageConstruct.TEMPORARY_PREFIX + "glue/");
    s.add(Access.s3Objects(storage.warehouseBucket(), Access.S3_WRITE, writes));
    s.add(Access.s3List(storage.warehouseBucket(), writes));
    s.add(Access.glue(Access.GLUE_COMMIT, Access.tablesIn(EnumSet.copyOf(WRITES))));
    s.add(Access.kms(storage.key(), Access.KMS_WRITE));
    s.addAll(JobsConstruct.glueRuntimeStatements(jobs.logGroupPrefix()));
    s.add(Access.glueConnection(name + "-network"));
    // Glue attaches the workers' network interfaces itself: describing the VPC has no resource
    // scope; creating and
    // deleting interfaces is limited to the connection's subnet and security group.
    s.add(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeVpcEndpoints",
                    "ec2:DescribeRouteTables",
                    "ec2:DescribeVpcAttribute"))
            .resources(List.of("*"))
            .build());
    s.add(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "ec2:CreateTags",
                    "ec2:DeleteTags"))
            .resources(
                List.of(
                    ec2Arn("network-interface/*"),
                    ec2Arn("subnet/" + settings.subnetId()),
                    ec2Arn("security-group/" + settings.securityGroupId())))
            .build());
    return s;
  }

  static String ec2Arn(String resource) {
    return "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + resource;
  }

  public CfnJob job() {
    return job;
  }

  public CfnConnection connection() {
    return connection;
  }

  public Role role() {
    return role;
  }
}
