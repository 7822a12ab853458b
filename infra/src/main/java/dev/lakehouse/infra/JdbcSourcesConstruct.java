package dev.lakehouse.infra;

import dev.lakehouse.core.jobs.SparkJobs;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.Zone;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.glue.CfnConnection;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.Universal;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * Database sources (context {@code lakehouse:jdbcSources}, none by default): per source a Glue JDBC
 * connection in the source's VPC subnet and security groups (credentials in the Secrets Manager
 * secret it names), a Glue job running {@link SparkJobs#JDBC_EXTRACT} through that connection, and,
 * when the source has a {@code schedule}, an EventBridge Scheduler schedule starting it. Each job's
 * role: its bronze table, quarantine and the run log; its secret; its connection; the network
 * interfaces Glue makes in the subnet; the stack key.
 */
public final class JdbcSourcesConstruct extends Construct {
  public static final String CONTEXT_KEY = LakehouseConfig.PREFIX + "jdbcSources";
  private static final Set<String> KEYS =
      Set.of(
          "source",
          "table",
          "sourceTable",
          "url",
          "secretArn",
          "subnetId",
          "securityGroupIds",
          "availabilityZone",
          "schedule");

  /** One configured source. {@code schedule} may be null (started by hand or by another system). */
  public record SourceConfig(
      String source,
      SourceEntity table,
      String sourceTable,
      String url,
      String secretArn,
      String subnetId,
      List<String> securityGroupIds,
      String availabilityZone,
      String schedule) {}

  /** What was created for one source. */
  public record Deployed(
      SourceConfig config, CfnConnection connection, CfnJob job, Role role, Schedule schedule) {}

  private final Map<String, Deployed> deployed = new LinkedHashMap<>();
  private final Role schedulerRole;
  private final String logGroupPrefix;

  public JdbcSourcesConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      Artifacts artifacts,
      List<SourceConfig> sources) {
    super(scope, id);
    String prefix = config.namePrefix();
    Asset jar =
        Asset.Builder.create(this, "JobJar").path(artifacts.glueJobsJar().toString()).build();
    Asset script =
        Asset.Builder.create(this, "JobScript").path(artifacts.glueStubScript().toString()).build();
    CfnSecurityConfiguration security =
        JobsConstruct.securityConfiguration(this, prefix + "-jdbc-jobs", storage);
    this.logGroupPrefix = "/aws-glue/" + prefix + "/jdbc";
    for (String stream : List.of("error", "output")) {
      LogGroup.Builder.create(this, RestSourcesConstruct.camel(stream) + "Logs")
          .logGroupName(logGroupPrefix + "/" + stream)
          .encryptionKey(storage.key())
          .retention(config.logRetention())
          .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
          .build();
    }
    this.schedulerRole =
        RestSourcesConstruct.schedulerRole(
            this, "EventBridge Scheduler: starts the JDBC extract jobs");
    String warehouse = storage.warehouseUri();
    String sparkConf =
        String.join(
            " --conf ",
            JobsConstruct.sparkConf(warehouse).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList());

    for (SourceConfig sc : sources) {
      String cid = RestSourcesConstruct.camel(sc.source());
      String name = prefix + "-jdbc-" + sc.source();
      CfnConnection connection =
          CfnConnection.Builder.create(this, cid + "Connection")
              .catalogId(Aws.ACCOUNT_ID)
              .connectionInput(
                  CfnConnection.ConnectionInputProperty.builder()
                      .name(name)
                      .description("JDBC source " + sc.source() + " (" + sc.table().label() + ")")
                      .connectionType("JDBC")
                      .connectionProperties(
                          Map.of("JDBC_CONNECTION_URL", sc.url(), "SECRET_ID", sc.secretArn()))
                      .physicalConnectionRequirements(
                          CfnConnection.PhysicalConnectionRequirementsProperty.builder()
                              .subnetId(sc.subnetId())
                              .securityGroupIdList(sc.securityGroupIds())
                              .availabilityZone(sc.availabilityZone())
                              .build())
                      .build())
              .build();
      Role role =
          Role.Builder.create(this, cid + "JobRole")
              .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
              .description(
                  "Lakehouse JDBC extract "
                      + sc.source()
                      + ": its bronze table, its secret, its connection")
              .build();
      statements(storage, sc, name, List.of(jar, script), logGroupPrefix)
          .forEach(role::addToPolicy);

      Map<String, String> args = new LinkedHashMap<>();
      args.put("--job-language", "scala");
      args.put("--class", SparkJobs.JDBC_EXTRACT.mainClass());
      args.put("--extra-jars", jar.getS3ObjectUrl());
      args.put("--user-jars-first", "true");
      args.put("--job-bookmark-option", "job-bookmark-disable");
      args.put("--enable-metrics", "true");
      args.put("--custom-logGroup-prefix", logGroupPrefix);
      args.put(
          "--TempDir", "s3://" + storage.warehouseBucket().getBucketName() + "/" + tempPrefix(sc));
      args.put("--conf", sparkConf);
      args.putAll(JobsConstruct.catalogArguments(warehouse));
      args.put("--url", sc.url());
      args.put("--table", sc.table().label());
      args.put("--source", sc.source());
      args.put("--source-table", sc.sourceTable());
      args.put("--password-secret", sc.secretArn());
      CfnJob job =
          CfnJob.Builder.create(this, cid + "Job")
              .name(name)
              .description(
                  SparkJobs.JDBC_EXTRACT.simpleClassName()
                      + " "
                      + sc.source()
                      + " into "
                      + sc.table().bronze().name())
              .role(role.getRoleArn())
              .command(
                  CfnJob.JobCommandProperty.builder()
                      .name("glueetl")
                      .scriptLocation(script.getS3ObjectUrl())
                      .build())
              .glueVersion(JobsConstruct.GLUE_VERSION)
              .workerType(config.glueWorkerType())
              .numberOfWorkers(config.glueNumberOfWorkers())
              .timeout(config.glueTimeoutMinutes())
              .maxRetries(0)
              // Two runs from one watermark would append the same rows twice.
              .executionProperty(
                  CfnJob.ExecutionPropertyProperty.builder()
                      .maxConcurrentRuns(SparkJobs.JDBC_EXTRACT.maxConcurrentRuns())
                      .build())
              .connections(
                  CfnJob.ConnectionsListProperty.builder().connections(List.of(name)).build())
              .securityConfiguration(security.getRef())
              .defaultArguments(args)
              .build();
      job.addDependency(connection);
      Schedule schedule = null;
      if (sc.schedule() != null) {
        schedule =
            Schedule.Builder.create(this, cid + "Schedule")
                .scheduleName(prefix + "-jdbc-" + sc.source())
                .description(
                    "Extracts JDBC source " + sc.source() + " into " + sc.table().bronze().name())
                .schedule(
                    ScheduleExpression.expression(
                        sc.schedule(), TimeZone.of(config.scheduleTimezone())))
                .target(
                    Universal.Builder.create()
                        .service("glue")
                        .action("startJobRun")
                        .role(schedulerRole)
                        .input(ScheduleTargetInput.fromObject(Map.of("JobName", name)))
                        .policyStatements(
                            List.of(
                                PolicyStatement.Builder.create()
                                    .actions(List.of("glue:StartJobRun"))
                                    .resources(List.of(Access.glueJobArn(name)))
                                    .build()))
                        .retryAttempts(0)
                        .maxEventAge(Duration.hours(1))
                        .build())
                .build();
        schedule.getNode().addDependency(job);
      }
      deployed.put(sc.source(), new Deployed(sc, connection, job, role, schedule));
    }
  }

  static String tempPrefix(SourceConfig sc) {
    return "_temporary/glue/jdbc-" + sc.source() + "/";
  }

  /**
   * The job's bronze table and the operations tables (quarantine, run log) with their prefixes; its
   * code; its secret; its connection; Glue's network interfaces in the source's subnet; its logs
   * and metrics; the stack key.
   */
  static List<PolicyStatement> statements(
      StorageConstruct storage,
      SourceConfig sc,
      String connectionName,
      List<Asset> code,
      String logGroupPrefix) {
    List<PolicyStatement> s = new ArrayList<>();
    s.add(JobsConstruct.codeObjects(code));
    String bronze = Access.zonePrefix(Zone.BRONZE) + sc.table().bronze().name() + "/";
    List<String> prefixes = List.of(bronze, Access.zonePrefix(Zone.OPERATIONS), tempPrefix(sc));
    s.add(Access.s3Objects(storage.warehouseBucket(), Access.S3_WRITE, prefixes));
    s.add(Access.s3List(storage.warehouseBucket(), prefixes));
    s.add(
        Access.glue(
            Access.GLUE_COMMIT,
            List.of(
                sc.table().bronze(), LakehouseTables.QUARANTINE, LakehouseTables.PIPELINE_RUNS)));
    s.add(Access.kms(storage.key(), Access.KMS_WRITE));
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("secretsmanager:GetSecretValue"))
            .resources(List.of(sc.secretArn()))
            .build());
    s.add(Access.glueConnection(connectionName));
    String ec2 = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    List<String> eni =
        new ArrayList<>(List.of(ec2 + "network-interface/*", ec2 + "subnet/" + sc.subnetId()));
    sc.securityGroupIds().forEach(g -> eni.add(ec2 + "security-group/" + g));
    s.add(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:CreateTags"))
            .resources(eni)
            .build());
    s.add(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeVpcEndpoints",
                    "ec2:DescribeRouteTables",
                    "ec2:DescribeVpcAttribute"))
            .resources(List.of("*"))
            .build());
    // Its log groups and Glue's job metrics, as every Glue job of the stack.
    s.addAll(JobsConstruct.glueRuntimeStatements(logGroupPrefix));
    return s;
  }

  /** cdk-nag findings that are by design, each named. */
  void suppressNagFindings(Stack stack, StorageConstruct storage) {
    deployed.forEach(
        (name, d) -> {
          List<Object> objects =
              new ArrayList<>(
                  NagSuppressionsForLakehouse.objects(
                      stack,
                      storage.warehouseBucket(),
                      List.of(
                          Access.zonePrefix(Zone.BRONZE) + d.config().table().bronze().name() + "/",
                          Access.zonePrefix(Zone.OPERATIONS),
                          tempPrefix(d.config()))));
          NagSuppressions.addResourceSuppressions(
              d.role().getNode().findChild("DefaultPolicy").getNode().findChild("Resource"),
              List.of(
                  NagPackSuppression.builder()
                      .id("AwsSolutions-IAM5")
                      .reason(NagSuppressionsForLakehouse.S3_PREFIX_REASON)
                      .appliesTo(objects)
                      .build(),
                  NagPackSuppression.builder()
                      .id("AwsSolutions-IAM5")
                      .reason(NagSuppressionsForLakehouse.GLUE_LOGS_REASON)
                      .appliesTo(
                          List.of(
                              "Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
                                  + logGroupPrefix
                                  + "*"))
                      .build(),
                  NagPackSuppression.builder()
                      .id("AwsSolutions-IAM5")
                      .reason(
                          "Glue makes a network interface in the source's subnet per run, named by AWS at creation; "
                              + "the ec2:Describe* calls it makes first, and cloudwatch:PutMetricData (namespace Glue), have "
                              + "no resource-level permissions.")
                      .appliesTo(
                          List.of(
                              "Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:"
                                  + "network-interface/*",
                              "Resource::*"))
                      .build()));
        });
  }

  /**
   * The sources of {@code lakehouse:jdbcSources}: a JSON array (cdk.json) or its text ({@code -c});
   * each entry {@code source}, {@code table} (customers | products), {@code sourceTable} (default:
   * the table), {@code url}, {@code secretArn}, {@code subnetId}, {@code securityGroupIds}, {@code
   * availabilityZone}, optional {@code schedule}. Empty when unset.
   */
  public static List<SourceConfig> fromContext(Node node) {
    List<Map<String, Object>> entries = LakehouseConfig.jsonList(node, CONTEXT_KEY);
    List<SourceConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Map<String, Object> e : entries) {
      for (String key : e.keySet()) {
        if (!KEYS.contains(key)) {
          throw new IllegalArgumentException(
              CONTEXT_KEY
                  + ": unknown setting '"
                  + key
                  + "'; known: "
                  + new java.util.TreeSet<>(KEYS));
        }
      }
      String source = required(e, "source");
      if (!source.matches("[a-z0-9][a-z0-9_-]{0,63}") || !names.add(source)) {
        throw new IllegalArgumentException(
            CONTEXT_KEY
                + ": source '"
                + source
                + "' must be 1-64 of a-z, 0-9, '_' "
                + "and '-', and configured once");
      }
      String table = required(e, "table");
      SourceEntity entity =
          SourceEntity.find(table)
              .filter(t -> t != SourceEntity.ORDERS)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          CONTEXT_KEY
                              + ": table '"
                              + table
                              + "' of source '"
                              + source
                              + "' must be "
                              + "customers or products"));
      String url = required(e, "url");
      if (!url.startsWith("jdbc:")) {
        throw new IllegalArgumentException(
            CONTEXT_KEY + ": url of source '" + source + "' must start with jdbc:");
      }
      Object groups = e.get("securityGroupIds");
      List<String> securityGroups =
          groups instanceof List<?> l
              ? l.stream().map(Object::toString).toList()
              : groups == null ? List.of() : List.of(groups.toString().split("\\s*,\\s*"));
      if (securityGroups.isEmpty()) {
        throw new IllegalArgumentException(
            CONTEXT_KEY + ": source '" + source + "' needs securityGroupIds");
      }
      Object sourceTable = e.get("sourceTable");
      Object schedule = e.get("schedule");
      out.add(
          new SourceConfig(
              source,
              entity,
              sourceTable == null ? entity.label() : sourceTable.toString(),
              url,
              required(e, "secretArn"),
              required(e, "subnetId"),
              securityGroups,
              required(e, "availabilityZone"),
              schedule == null ? null : schedule.toString()));
    }
    return out;
  }

  private static String required(Map<String, Object> entry, String key) {
    Object v = entry.get(key);
    if (v == null || v.toString().isBlank()) {
      throw new IllegalArgumentException(CONTEXT_KEY + ": every source needs '" + key + "'");
    }
    return v.toString().trim();
  }

  public Map<String, Deployed> deployed() {
    return Map.copyOf(deployed);
  }
}
