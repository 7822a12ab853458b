package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.list;
import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.CatalogType;
import dev.lakehouse.core.jobs.EmrServerlessDefinition;
import dev.lakehouse.core.jobs.SparkJobs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * The stack with {@code lakehouse:compute=emr-serverless}: the application, its roles, and the
 * derived definitions.
 */
class EmrServerlessTest {
  static final Map<String, Object> CONTEXT = Map.of("lakehouse:compute", "emr-serverless");
  static final String EMR_ASSUME = "sts:AssumeRole";

  static TestStacks.Synthesized emr() {
    return TestStacks.synth(CONTEXT);
  }

  @Test
  void anUnknownComputeIsRejectedInOneLine() {
    assertThatThrownBy(
            () ->
                LakehouseConfig.fromContext(
                    App.Builder.create()
                        .context(Map.of("lakehouse:compute", "dataproc"))
                        .build()
                        .getNode()))
        .hasMessage("lakehouse:compute must be glue or emr-serverless, got 'dataproc'");
    assertThat(LakehouseConfig.fromContext(new App().getNode()).compute())
        .isEqualTo(LakehouseConfig.Compute.GLUE);
  }

  @Test
  void oneSparkApplicationOnASpark35Java17ReleaseThatStartsAndStopsItself() {
    Map<String, Object> p =
        map(
            emr()
                .only("AWS::EMRServerless::Application", "JobsEmrServerlessApplication")
                .get("Properties"));
    assertThat(p)
        .containsEntry("Name", "lakehouse-dev-jobs")
        .containsEntry("Type", "SPARK")
        .containsEntry("ReleaseLabel", "emr-7.13.0")
        .containsEntry("AutoStartConfiguration", Map.of("Enabled", true))
        .containsEntry("AutoStopConfiguration", Map.of("Enabled", true, "IdleTimeoutMinutes", 15))
        .containsEntry("MaximumCapacity", Map.of("Cpu", "16 vCPU", "Memory", "64 GB"));
    Map<String, Object> bigger =
        map(
            TestStacks.synth(
                    Map.of(
                        "lakehouse:compute",
                        "emr-serverless",
                        "lakehouse:emrMaximumCpu",
                        "64 vCPU",
                        "lakehouse:emrMaximumMemory",
                        "256 GB"))
                .only("AWS::EMRServerless::Application", "JobsEmrServerlessApplication")
                .get("Properties"));
    assertThat(bigger.get("MaximumCapacity"))
        .isEqualTo(Map.of("Cpu", "64 vCPU", "Memory", "256 GB"));
  }

  @Test
  void noGlueJobsRolesOrSecurityConfigurationButTheGlueCatalogStays() {
    assertThat(emr().resources("AWS::Glue::Job")).isEmpty();
    assertThat(emr().resources("AWS::Glue::SecurityConfiguration")).isEmpty();
    assertThat(emr().resources("AWS::IAM::Role").keySet())
        .noneMatch(id -> id.startsWith("Jobs") && id.contains("JobRole"));
    assertThat(emr().resources("AWS::Glue::Database")).hasSize(1);
    Map<String, Object> logs =
        map(emr().only("AWS::Logs::LogGroup", "JobsEmrServerlessLogs").get("Properties"));
    assertThat(logs.get("LogGroupName")).isEqualTo("/aws/emr-serverless/lakehouse-dev/jobs");
    assertThat(render(logs.get("KmsKeyId"))).isEqualTo("<" + keyId() + ".Arn>");
    assertThat(logs.get("RetentionInDays")).isEqualTo(30);
  }

  @Test
  void oneExecutionRolePerFamilyTrustedByThisApplicationsJobRunsOnly() {
    for (SparkJobs.Family family : SparkJobs.Family.values()) {
      Map<String, Object> role =
          map(emr().only("AWS::IAM::Role", executionRoleId(family)).get("Properties"));
      Map<String, Object> trust =
          map(list(map(role.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
      assertThat(trust.get("Action")).isEqualTo(EMR_ASSUME);
      assertThat(trust.get("Principal"))
          .isEqualTo(Map.of("Service", "emr-serverless.amazonaws.com"));
      Map<String, Object> condition = map(trust.get("Condition"));
      assertThat(render(map(condition.get("StringEquals")).get("aws:SourceAccount")))
          .isEqualTo("<AWS::AccountId>");
      assertThat(render(map(condition.get("ArnEquals")).get("aws:SourceArn")))
          .isEqualTo("<" + applicationId() + ".Arn>");
    }
  }

  /**
   * The Glue family role's data statements (no Glue scratch prefix, logs or metrics), the jar and
   * the log group.
   */
  @Test
  void executionRolesHaveExactlyTheGlueFamiliesDataPermissionsPlusTheirLogGroup() {
    String warehouse = "<" + bucketId("StorageWarehouseBucket") + ".Arn>";
    String landing = "<" + bucketId("StorageLandingBucket") + ".Arn>";
    String logGroup = "<" + logicalId("AWS::Logs::LogGroup", "JobsEmrServerlessLogs") + ".Arn>";
    String allGroups = "arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*";
    List<String> bronze =
        summary(Cfn.statementsOfRole(emr(), executionRoleId(SparkJobs.Family.BRONZE)));
    // (CDK merges statements with the same actions: the jar, the landed objects and the batch
    // manifests are read in
    // one.)
    assertThat(bronze)
        .containsExactly(
            "s3:GetObject -> JAR," + landing + "/batches/*," + landing + "/landing/*",
            "s3:ListBucket -> " + landing,
            "s3:AbortMultipartUpload,s3:DeleteObject,s3:GetObject,s3:PutObject -> "
                + warehouse
                + "/operations/*,"
                + warehouse
                + "/raw/*",
            "s3:ListBucket -> " + warehouse,
            "glue:GetDatabase,glue:GetTable,glue:UpdateTable -> GLUE",
            "kms:Decrypt,kms:Encrypt,kms:GenerateDataKey -> <" + keyId() + ".Arn>",
            "logs:CreateLogStream,logs:DescribeLogStreams,logs:PutLogEvents -> " + logGroup,
            "logs:DescribeLogGroups -> " + allGroups);
    List<String> gold =
        summary(Cfn.statementsOfRole(emr(), executionRoleId(SparkJobs.Family.GOLD)));
    assertThat(gold)
        .containsExactly(
            "s3:GetObject -> JAR," + warehouse + "/curated/*",
            "s3:AbortMultipartUpload,s3:DeleteObject,s3:GetObject,s3:PutObject -> "
                + warehouse
                + "/aggregated/*,"
                + warehouse
                + "/operations/*",
            "s3:ListBucket -> " + warehouse,
            "glue:GetDatabase,glue:GetTable -> GLUE",
            "glue:GetDatabase,glue:GetTable,glue:UpdateTable -> GLUE",
            "kms:Decrypt,kms:Encrypt,kms:GenerateDataKey -> <" + keyId() + ".Arn>",
            "logs:CreateLogStream,logs:DescribeLogStreams,logs:PutLogEvents -> " + logGroup,
            "logs:DescribeLogGroups -> " + allGroups);
  }

  /**
   * Per family, the same data statements as the Glue family role, without Glue's scratch prefix,
   * code or logs.
   */
  @Test
  void everyFamilyReadsAndWritesExactlyWhatItsGlueRoleDoes() {
    for (SparkJobs.Family family : SparkJobs.Family.values()) {
      String name = family.name().toLowerCase();
      String glueRole =
          "Jobs" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "JobRole";
      assertThat(data(Cfn.statementsOfRole(emr(), executionRoleId(family))))
          .as(family.name())
          .isEqualTo(data(Cfn.statementsOfRole(TestStacks.dev(), glueRole)))
          .isNotEmpty();
    }
  }

  /**
   * Statements on data (S3 zones, catalog, key), with code objects and Glue's scratch prefix left
   * out.
   */
  static List<String> data(List<Cfn.Statement> statements) {
    List<String> out = new ArrayList<>();
    for (Cfn.Statement st : statements) {
      if (st.actions().stream()
          .anyMatch(a -> a.startsWith("logs:") || a.startsWith("cloudwatch:"))) {
        continue;
      }
      List<String> resources =
          st.resources().stream()
              .filter(
                  r ->
                      !r.endsWith(".jar")
                          && !r.endsWith(".scala")
                          && !r.endsWith("/_temporary/glue/*"))
              .toList();
      if (!resources.isEmpty()) {
        out.add(String.join(",", st.actions()) + " -> " + String.join(",", resources));
      }
    }
    return out;
  }

  @Test
  void definitionsAreTheGlueFilesWithEmrServerlessJobTasksNamingEachJobsClass() throws Exception {
    Map<String, Object> ingest = definition("OrchestrationIngestPipeline");
    Map<String, String> classes = new LinkedHashMap<>();
    Map<String, Object> states = map(ingest.get("States"));
    for (String state :
        List.of("Bronze", "SilverCustomers", "SilverProducts", "SilverOrders", "Gold")) {
      Map<String, Object> task = map(states.get(state));
      assertThat(task.get("Resource"))
          .isEqualTo("arn:aws:states:::emr-serverless:startJobRun.sync");
      Map<String, Object> submit =
          map(map(map(task.get("Parameters")).get("JobDriver")).get("SparkSubmit"));
      String parameters = submit.get("SparkSubmitParameters").toString();
      classes.put(
          state,
          parameters.substring("--class ".length(), parameters.indexOf(' ', "--class ".length())));
      assertThat(parameters).endsWith(" ${" + EmrServerlessDefinition.SPARK_CONF + "}");
    }
    assertThat(classes)
        .containsExactly(
            Map.entry("Bronze", "dev.lakehouse.jobs.BronzeIngestJob"),
            Map.entry("SilverCustomers", "dev.lakehouse.jobs.SilverJob"),
            Map.entry("SilverProducts", "dev.lakehouse.jobs.SilverJob"),
            Map.entry("SilverOrders", "dev.lakehouse.jobs.SilverJob"),
            Map.entry("Gold", "dev.lakehouse.jobs.GoldJob"));
    Map<String, Object> compact =
        map(
            map(map(map(map(definition("OrchestrationMaintenance").get("States"))
                            .get("MaintainTables"))
                        .get("ItemProcessor"))
                    .get("States"))
                .get("Compact"));
    assertThat(
            map(map(map(compact.get("Parameters")).get("JobDriver")).get("SparkSubmit"))
                .get("SparkSubmitParameters")
                .toString())
        .startsWith("--class dev.lakehouse.jobs.CompactionJob ");
  }

  @Test
  void substitutionsBindTheApplicationRolesJarConfAndLogging() {
    Map<String, String> subs = new LinkedHashMap<>();
    map(stateMachine("OrchestrationIngestPipeline").get("DefinitionSubstitutions"))
        .forEach((k, v) -> subs.put(k, render(v)));
    String warehouse = "s3://<" + bucketId("StorageWarehouseBucket") + ">/";
    assertThat(subs)
        .containsEntry("EmrApplicationId", "<" + applicationId() + ".ApplicationId>")
        .containsEntry(
            "BronzeExecutionRoleArn", "<" + executionRoleId(SparkJobs.Family.BRONZE) + ".Arn>")
        .containsEntry(
            "SilverOrdersExecutionRoleArn",
            "<" + executionRoleId(SparkJobs.Family.SILVER) + ".Arn>")
        .containsEntry("GoldJobName", "lakehouse-dev-gold")
        .containsEntry("EmrLogGroupName", "/aws/emr-serverless/lakehouse-dev/jobs")
        .containsEntry("EmrLogKeyArn", "<" + keyId() + ".Arn>")
        .containsEntry("WarehouseUri", warehouse)
        .containsEntry(
            "SparkSubmitConf",
            CatalogSettings.builder(CatalogType.GLUE)
                .warehouse(warehouse)
                .build()
                .sparkConf()
                .entrySet()
                .stream()
                .map(e -> "--conf " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
    assertThat(subs.get("JobJarUri"))
        .startsWith("s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/")
        .endsWith(".jar");
    assertThat(subs).doesNotContainKeys("CompactionExecutionRoleArn", "CompactionJobName");
  }

  @Test
  void stateMachineRolesStartRunsOnTheApplicationAndPassExactlyTheirExecutionRoles() {
    String app = "<" + applicationId() + ".Arn>";
    String rule =
        "arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/"
            + "StepFunctionsGetEventsForEMRServerlessJobRule";
    List<Cfn.Statement> ingest = Cfn.statementsOfRole(emr(), "OrchestrationIngestPipelineRole");
    assertThat(IamTest.resourcesOf(ingest, "emr-serverless:StartJobRun")).containsExactly(app);
    assertThat(IamTest.resourcesOf(ingest, "emr-serverless:GetJobRun"))
        .containsExactly(app + "/jobruns/*");
    assertThat(IamTest.resourcesOf(ingest, "emr-serverless:CancelJobRun"))
        .containsExactly(app + "/jobruns/*");
    for (String action : List.of("events:PutTargets", "events:PutRule", "events:DescribeRule")) {
      assertThat(IamTest.resourcesOf(ingest, action)).containsExactly(rule);
    }
    assertThat(IamTest.resourcesOf(ingest, "iam:PassRole"))
        .containsExactlyInAnyOrder(
            "<" + executionRoleId(SparkJobs.Family.BRONZE) + ".Arn>",
            "<" + executionRoleId(SparkJobs.Family.SILVER) + ".Arn>",
            "<" + executionRoleId(SparkJobs.Family.GOLD) + ".Arn>");
    assertThat(
            ingest.stream()
                .filter(st -> st.actions().contains("iam:PassRole"))
                .findFirst()
                .orElseThrow()
                .condition())
        .isEqualTo(
            Map.of("StringEquals", Map.of("iam:PassedToService", "emr-serverless.amazonaws.com")));
    assertThat(ingest)
        .noneMatch(st -> st.actions().stream().anyMatch(a -> a.startsWith("glue:StartJobRun")));
    List<Cfn.Statement> maintenance = Cfn.statementsOfRole(emr(), "OrchestrationMaintenanceRole");
    assertThat(IamTest.resourcesOf(maintenance, "iam:PassRole"))
        .containsExactly("<" + executionRoleId(SparkJobs.Family.COMPACTION) + ".Arn>");
  }

  @Test
  void theGoldRefreshScheduleStartsTheGoldJobRunWithTheStateMachinesJobDriver() throws Exception {
    Map<String, Object> gold =
        map(
            emr()
                .only("AWS::Scheduler::Schedule", "OrchestrationGoldRefreshSchedule")
                .get("Properties"));
    Map<String, Object> target = map(gold.get("Target"));
    assertThat(render(target.get("Arn")))
        .isEqualTo("arn:<AWS::Partition>:scheduler:::aws-sdk:emrserverless:startJobRun");
    String input = render(target.get("Input"));
    Map<String, Object> request = map(new ObjectMapper().readValue(input, Map.class));
    assertThat(request.get("applicationId")).isEqualTo("<" + applicationId() + ".ApplicationId>");
    assertThat(request.get("executionRoleArn"))
        .isEqualTo("<" + executionRoleId(SparkJobs.Family.GOLD) + ".Arn>");
    assertThat(request.get("name")).isEqualTo("lakehouse-dev-gold");
    assertThat(request.get("clientToken")).isEqualTo("<aws.scheduler.execution-id>");
    Map<String, Object> submit = map(map(request.get("jobDriver")).get("sparkSubmit"));
    assertThat(submit.get("entryPointArguments"))
        .isEqualTo(
            List.of(
                "--catalog",
                "glue",
                "--warehouse",
                "s3://<" + bucketId("StorageWarehouseBucket") + ">/",
                "--execution-id",
                "<aws.scheduler.execution-id>"));
    assertThat(submit.get("sparkSubmitParameters").toString())
        .startsWith("--class dev.lakehouse.jobs.GoldJob --conf ");
    List<Cfn.Statement> st = Cfn.statementsOfRole(emr(), "OrchestrationSchedulerRole");
    assertThat(IamTest.resourcesOf(st, "emr-serverless:StartJobRun"))
        .containsExactly("<" + applicationId() + ".Arn>");
    assertThat(IamTest.resourcesOf(st, "iam:PassRole"))
        .containsExactly("<" + executionRoleId(SparkJobs.Family.GOLD) + ".Arn>");
  }

  @Test
  void failedJobRunsOfTheApplicationAreAlerted() {
    Map<String, Object> rule =
        map(
            emr()
                .only("AWS::Events::Rule", "MonitoringEmrServerlessJobFailureRule")
                .get("Properties"));
    Map<String, Object> pattern = map(rule.get("EventPattern"));
    assertThat(pattern.get("source")).isEqualTo(List.of("aws.emr-serverless"));
    assertThat(pattern.get("detail-type"))
        .isEqualTo(List.of("EMR Serverless Job Run State Change"));
    Map<String, Object> detail = map(pattern.get("detail"));
    assertThat(Cfn.strings(detail.get("applicationId")))
        .containsExactly("<" + applicationId() + ".ApplicationId>");
    assertThat(detail.get("state")).isEqualTo(List.of("FAILED"));
    assertThat(emr().resources("AWS::Events::Rule").keySet())
        .noneMatch(id -> id.startsWith("MonitoringGlueJobFailure"));
  }

  // ---- helpers

  /**
   * A statement as "actions -> resources"; the jar object and the Glue catalog ARNs are
   * abbreviated.
   */
  static List<String> summary(List<Cfn.Statement> statements) {
    List<String> out = new ArrayList<>();
    for (Cfn.Statement st : statements) {
      String resources =
          st.actions().get(0).startsWith("glue:")
              ? "GLUE"
              : st.resources().stream()
                  .map(r -> r.endsWith(".jar") ? "JAR" : r)
                  .collect(Collectors.joining(","));
      out.add(String.join(",", st.actions()) + " -> " + resources);
    }
    return out;
  }

  static Map<String, Object> definition(String idPrefix) throws Exception {
    Object text = stateMachine(idPrefix).get("DefinitionString");
    assertThat(text)
        .as("the EMR Serverless form is generated: a literal definition, not the file's asset")
        .isInstanceOf(String.class);
    return map(new ObjectMapper().readValue(text.toString(), Map.class));
  }

  static Map<String, Object> stateMachine(String idPrefix) {
    return map(
        emr().resources("AWS::StepFunctions::StateMachine").entrySet().stream()
            .filter(
                e ->
                    e.getKey().startsWith(idPrefix)
                        && !e.getKey().substring(idPrefix.length()).startsWith("Role"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .get("Properties"));
  }

  static String executionRoleId(SparkJobs.Family family) {
    String name = family.name().toLowerCase();
    return logicalId(
        "AWS::IAM::Role",
        "JobsEmrServerless"
            + Character.toUpperCase(name.charAt(0))
            + name.substring(1)
            + "ExecutionRole");
  }

  static String applicationId() {
    return logicalId("AWS::EMRServerless::Application", "JobsEmrServerlessApplication");
  }

  static String bucketId(String prefix) {
    return logicalId("AWS::S3::Bucket", prefix);
  }

  static String keyId() {
    return emr().resources("AWS::KMS::Key").keySet().iterator().next();
  }

  static String logicalId(String type, String prefix) {
    List<String> ids =
        emr().resources(type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
    assertThat(ids).as(type + " " + prefix + "*").hasSize(1);
    return ids.get(0);
  }
}
