package dev.lakehouse.infra;

import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.jobs.SparkJobs;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.Zone;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.IConstruct;

/**
 * Every cdk-nag suppression of the stack, in one place. Each names one resource (its path, never a
 * parent with children), lists the exact findings it covers ({@code appliesTo}, built from the same
 * prefixes the policies grant) and says why. A new wildcard anywhere else fails the synth and the
 * nag test.
 */
final class NagSuppressionsForLakehouse {
  static final String S3_PREFIX_REASON =
      "Object-level S3 actions scoped to the key prefixes this principal reads or "
          + "writes (Iceberg data and metadata files under a zone or table prefix); S3 object ARNs need a trailing * to "
          + "name a prefix. Bucket-level ListBucket is separately limited by an s3:prefix condition.";
  static final String XRAY_REASON =
      "Resource::* is only used by xray:PutTraceSegments and xray:PutTelemetryRecords "
          + "(added by tracing) and, with Lake Formation on, lakeformation:GetDataAccess: none supports resource-level "
          + "permissions.";
  static final String GLUE_JOB_STAR_REASON =
      "Resource::* is only used by cloudwatch:PutMetricData, which has no "
          + "resource-level permissions; a cloudwatch:namespace=Glue condition limits it to Glue job metrics"
          + " (and, with Lake Formation on, lakeformation:GetDataAccess, which has no resource scope either).";
  static final String GLUE_LOGS_REASON =
      "Glue 5.0 writes job logs to <prefix>/error and <prefix>/output "
          + "(--custom-logGroup-prefix); with a security configuration that encrypts CloudWatch logs it derives the "
          + "group names from the prefix, the role and the configuration, so only the stack's own prefix can be named.";
  static final String SFN_STAR_REASON =
      "Resource::* is only used by the CloudWatch Logs vended-delivery actions "
          + "(logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, "
          + "PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing actions, none of which "
          + "support resource-level permissions (Step Functions logging and tracing requirements).";

  static final String KAFKA_STREAM_STAR_REASON =
      "Resource::* is only used by cloudwatch:PutMetricData (limited to the "
          + "Glue namespace by a condition) and the EC2 Describe actions Glue calls to place the streaming job's workers "
          + "in the Kafka cluster's VPC, none of which support resource-level permissions.";
  static final String KAFKA_STREAM_ENI_REASON =
      "Glue creates the streaming job's elastic network interfaces itself, "
          + "with ids not known in advance: creation is limited to the connection's subnet and security group.";

  static final String EMR_LOG_GROUPS_REASON =
      "logs:DescribeLogGroups lists log groups: IAM scopes it to every group "
          + "of the account and region only; EMR Serverless looks the job log group up with it before writing (the "
          + "writes themselves are granted on that one group).";
  static final String EMR_JOB_RUNS_REASON =
      "EMR Serverless job run ids are made per run: the .sync integration "
          + "polls and cancels the runs it starts, named by the stack's application ARN followed by /jobruns/*.";

  private NagSuppressionsForLakehouse() {}

  static void apply(LakehouseStack stack) {
    StorageConstruct storage = stack.storage();
    IBucket landing = storage.landingBucket();
    IBucket warehouse = storage.warehouseBucket();
    EnumSet<Zone> allZones = EnumSet.allOf(Zone.class);

    // ---- Lambda roles
    FunctionsConstruct functions = stack.functions();
    roleWildcards(
        stack,
        functions.role(FunctionsConstruct.Spec.INGEST_ROUTER),
        XRAY_REASON,
        objects(
            stack,
            landing,
            List.of(
                SourceEntity.LANDING_ROOT,
                dev.lakehouse.core.ingest.IngestRouter.Settings.defaults().rejectedPrefix(),
                BatchSettings.MANIFEST_PREFIX)),
        objects(stack, warehouse, List.of(Access.zonePrefix(Zone.OPERATIONS))));
    roleWildcards(
        stack,
        functions.role(FunctionsConstruct.Spec.TABLE_ADMIN),
        XRAY_REASON,
        objects(stack, warehouse, Access.zonePrefixes(allZones)));
    roleWildcards(
        stack,
        functions.role(FunctionsConstruct.Spec.MAINTENANCE),
        XRAY_REASON,
        objects(stack, warehouse, Access.zonePrefixes(allZones)));
    roleWildcards(
        stack,
        functions.role(FunctionsConstruct.Spec.RUN_RECORDER),
        XRAY_REASON,
        objects(
            stack,
            warehouse,
            List.of(
                Access.zonePrefix(Zone.OPERATIONS) + LakehouseTables.PIPELINE_RUNS.name() + "/")),
        objects(stack, landing, List.of(BatchSettings.MANIFEST_PREFIX)));
    functions
        .functions()
        .values()
        .forEach(
            fn ->
                NagSuppressions.addResourceSuppressions(
                    fn,
                    List.of(
                        NagPackSuppression.builder()
                            .id("AwsSolutions-L1")
                            .reason(
                                "Pinned to java21: the functions module is built and tested for it, and SnapStart and "
                                    + "Powertools for Java v2 are exercised on it. Moving to a newer Java runtime is a deliberate "
                                    + "upgrade of the functions module, not a drive-by of the infrastructure.")
                            .build())));

    // ---- Glue job roles, or EMR Serverless execution roles
    JobsConstruct jobs = stack.jobs();
    if (jobs.emrServerless().isPresent()) {
      emrServerless(stack, jobs.emrServerless().get());
    } else {
      glueJobRoles(stack, jobs);
    }
    stack.kafkaStream().ifPresent(stream -> kafkaStream(stack, stream, jobs));
    // ---- Lake Formation's data-access role (when governance is on)
    if (stack.governance() != null) {
      NagSuppressions.addResourceSuppressions(
          defaultPolicy(stack.governance().dataAccessRole()),
          List.of(
              NagPackSuppression.builder()
                  .id("AwsSolutions-IAM5")
                  .reason(S3_PREFIX_REASON)
                  .appliesTo(
                      new ArrayList<>(objects(stack, warehouse, Access.zonePrefixes(allZones))))
                  .build()));
    }

    // ---- State machine roles
    OrchestrationConstruct orchestration = stack.orchestration();
    for (var sm : List.of(orchestration.ingestPipeline(), orchestration.maintenance())) {
      List<NagPackSuppression> suppressions =
          new ArrayList<>(
              List.of(
                  NagPackSuppression.builder()
                      .id("AwsSolutions-IAM5")
                      .reason(SFN_STAR_REASON)
                      .appliesTo(List.of("Resource::*"))
                      .build()));
      jobs.emrServerless()
          .ifPresent(
              emr ->
                  suppressions.add(
                      NagPackSuppression.builder()
                          .id("AwsSolutions-IAM5")
                          .reason(EMR_JOB_RUNS_REASON)
                          .appliesTo(
                              List.of(
                                  "Resource::<"
                                      + logicalId(stack, emr.application())
                                      + ".Arn>/jobruns/*"))
                          .build()));
      NagSuppressions.addResourceSuppressions(
          defaultPolicy((Role) sm.getRole()), List.copyOf(suppressions));
    }

    // ---- Dead-letter queues
    for (var q :
        List.of(stack.ingestQueue().deadLetterQueue(), orchestration.scheduleDeadLetterQueue())) {
      NagSuppressions.addResourceSuppressions(
          q,
          List.of(
              NagPackSuppression.builder()
                  .id("AwsSolutions-SQS3")
                  .reason(
                      "This queue is itself a dead-letter queue (of the ingest queue and its EventBridge rule, or of "
                          + "the Scheduler targets); its depth is alarmed, and a dead-letter queue of a dead-letter queue would "
                          + "only hide failures further away.")
                  .build()));
    }
  }

  private static void glueJobRoles(LakehouseStack stack, JobsConstruct jobs) {
    for (SparkJobs.Family family : SparkJobs.Family.values()) {
      Role role = jobs.role(family);
      NagSuppressions.addResourceSuppressions(
          defaultPolicy(role),
          List.of(
              NagPackSuppression.builder()
                  .id("AwsSolutions-IAM5")
                  .reason(S3_PREFIX_REASON)
                  .appliesTo(
                      familyObjects(
                          stack, family, List.of(StorageConstruct.TEMPORARY_PREFIX + "glue/")))
                  .build(),
              glueLogs(jobs),
              NagPackSuppression.builder()
                  .id("AwsSolutions-IAM5")
                  .reason(GLUE_JOB_STAR_REASON)
                  .appliesTo(List.of("Resource::*"))
                  .build()));
    }
  }

  /**
   * A Glue job role's grant on the jobs' log groups, as cdk-nag renders
   * JobsConstruct.logGroupsUnder(prefix).
   */
  private static NagPackSuppression glueLogs(JobsConstruct jobs) {
    return NagPackSuppression.builder()
        .id("AwsSolutions-IAM5")
        .reason(GLUE_LOGS_REASON)
        .appliesTo(
            List.of(
                "Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
                    + jobs.logGroupPrefix()
                    + "*"))
        .build();
  }

  /**
   * The Kafka stream job's role: its zones and checkpoint, its log groups, and Glue's VPC
   * placement.
   */
  private static void kafkaStream(
      LakehouseStack stack, KafkaStreamConstruct stream, JobsConstruct jobs) {
    List<String> prefixes = new ArrayList<>(Access.zonePrefixes(KafkaStreamConstruct.WRITES));
    prefixes.addAll(
        List.of(
            KafkaStreamConstruct.CHECKPOINT_PREFIX, StorageConstruct.TEMPORARY_PREFIX + "glue/"));
    NagSuppressions.addResourceSuppressions(
        defaultPolicy(stream.role()),
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(S3_PREFIX_REASON)
                .appliesTo(
                    new ArrayList<>(objects(stack, stack.storage().warehouseBucket(), prefixes)))
                .build(),
            glueLogs(jobs),
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(KAFKA_STREAM_ENI_REASON)
                .appliesTo(
                    List.of(
                        "Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*"))
                .build(),
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(KAFKA_STREAM_STAR_REASON)
                .appliesTo(List.of("Resource::*"))
                .build()));
  }

  /**
   * The execution roles: the Glue family roles' S3 prefixes (no Glue scratch prefix) and the log
   * group lookup.
   */
  private static void emrServerless(LakehouseStack stack, EmrServerlessJobs emr) {
    for (SparkJobs.Family family : SparkJobs.Family.values()) {
      NagSuppressions.addResourceSuppressions(
          defaultPolicy(emr.role(family)),
          List.of(
              NagPackSuppression.builder()
                  .id("AwsSolutions-IAM5")
                  .reason(S3_PREFIX_REASON)
                  .appliesTo(familyObjects(stack, family, List.of()))
                  .build(),
              NagPackSuppression.builder()
                  .id("AwsSolutions-IAM5")
                  .reason(EMR_LOG_GROUPS_REASON)
                  // cdk-nag's rendering of JobsConstruct.logGroupsUnder("")
                  .appliesTo(
                      List.of(
                          "Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*"))
                  .build()));
    }
  }

  /**
   * The object prefixes a job family's role is granted (JobsConstruct.dataStatements), as cdk-nag
   * reports them.
   */
  private static List<Object> familyObjects(
      LakehouseStack stack, SparkJobs.Family family, List<String> scratch) {
    List<Object> findings = new ArrayList<>();
    if (family.readsLanding) {
      findings.addAll(
          objects(stack, stack.storage().landingBucket(), JobsConstruct.landingReads()));
    }
    Set<String> prefixes = new LinkedHashSet<>(Access.zonePrefixes(family.reads));
    prefixes.addAll(Access.zonePrefixes(family.writes));
    prefixes.addAll(scratch);
    findings.addAll(objects(stack, stack.storage().warehouseBucket(), List.copyOf(prefixes)));
    return findings;
  }

  private static String logicalId(Stack stack, CfnElement element) {
    return stack.resolve(stack.getLogicalId(element)).toString();
  }

  private static void roleWildcards(
      Stack stack, Role role, String starReason, List<String>... objectFindings) {
    List<Object> findings = new ArrayList<>();
    for (List<String> f : objectFindings) {
      findings.addAll(f);
    }
    NagSuppressions.addResourceSuppressions(
        defaultPolicy(role),
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(S3_PREFIX_REASON)
                .appliesTo(findings)
                .build(),
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(starReason)
                .appliesTo(List.of("Resource::*"))
                .build()));
  }

  private static IConstruct defaultPolicy(Role role) {
    return role.getNode().findChild("DefaultPolicy").getNode().findChild("Resource");
  }

  /**
   * cdk-nag's rendering of {@code bucket.arnForObjects(prefix + "*")}: {@code
   * Resource::<LogicalId.Arn>/raw/*}.
   */
  static List<String> objects(Stack stack, IBucket bucket, List<String> prefixes) {
    String logicalId =
        stack
            .resolve(stack.getLogicalId((CfnElement) bucket.getNode().getDefaultChild()))
            .toString();
    return prefixes.stream().map(p -> "Resource::<" + logicalId + ".Arn>/" + p + "*").toList();
  }
}
