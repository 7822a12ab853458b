package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.list;
import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrchestrationTest {
  static TestStacks.Synthesized s;

  @BeforeAll
  static void synth() {
    s = TestStacks.dev();
  }

  @Test
  void definitionsComeFromTheAslFilesWithEveryPlaceholderSubstituted() {
    for (var entry :
        Map.of(
                "OrchestrationIngestPipeline",
                "ingest-pipeline.asl.json",
                "OrchestrationMaintenance",
                "maintenance.asl.json")
            .entrySet()) {
      Map<String, Object> p = stateMachine(entry.getKey());
      assertThat(p).containsKey("DefinitionS3Location").doesNotContainKey("DefinitionString");
      Set<String> used = AslDefinition.read(TestStacks.aslFile(entry.getValue())).placeholders();
      assertThat(map(p.get("DefinitionSubstitutions")).keySet()).isEqualTo(used);
    }
  }

  @Test
  void substitutionValuesPointAtTheRightResources() {
    Map<String, String> subs = new TreeMap<>();
    map(stateMachine("OrchestrationIngestPipeline").get("DefinitionSubstitutions"))
        .forEach((k, v) -> subs.put(k, render(v)));
    assertThat(subs.get("IngestRouterFunctionArn")).startsWith("<FunctionsIngestRouterAlias");
    assertThat(subs.get("RunRecorderFunctionArn")).startsWith("<FunctionsRunRecorderAlias");
    assertThat(subs.get("BronzeJobName")).startsWith("<JobsBronzeJob");
    assertThat(subs.get("SilverCustomersJobName")).startsWith("<JobsSilverCustomersJob");
    assertThat(subs.get("SilverProductsJobName")).startsWith("<JobsSilverProductsJob");
    assertThat(subs.get("SilverOrdersJobName")).startsWith("<JobsSilverOrdersJob");
    assertThat(subs.get("GoldJobName")).startsWith("<JobsGoldJob");
    assertThat(subs.get("AlertTopicArn")).startsWith("<MonitoringAlertTopic");
    assertThat(subs)
        .as("only what the definition uses")
        .doesNotContainKeys("WarehouseBucket", "LandingBucket");
    Map<String, String> maintenance = new TreeMap<>();
    map(stateMachine("OrchestrationMaintenance").get("DefinitionSubstitutions"))
        .forEach((k, v) -> maintenance.put(k, render(v)));
    assertThat(maintenance.keySet())
        .containsExactlyInAnyOrder(
            "TableAdminFunctionArn", "MaintenanceFunctionArn", "CompactionJobName");
    assertThat(maintenance.get("MaintenanceFunctionArn")).startsWith("<FunctionsMaintenanceAlias");
    assertThat(maintenance.get("CompactionJobName")).startsWith("<JobsCompactionJob");
  }

  @Test
  void loggingAllWithExecutionDataAndTracing() {
    for (String id : List.of("OrchestrationIngestPipeline", "OrchestrationMaintenance")) {
      Map<String, Object> p = stateMachine(id);
      Map<String, Object> logging = map(p.get("LoggingConfiguration"));
      assertThat(logging.get("Level")).isEqualTo("ALL");
      assertThat(logging.get("IncludeExecutionData")).isEqualTo(true);
      assertThat(p.get("TracingConfiguration")).isEqualTo(Map.of("Enabled", true));
      assertThat(p.get("StateMachineType")).isEqualTo("STANDARD");
    }
  }

  @Test
  void ingestRoleGrantsExactlyWhatItsDefinitionUses() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "OrchestrationIngestPipelineRole");
    assertThat(IamTest.resourcesOf(st, "lambda:InvokeFunction"))
        .hasSize(2)
        .anyMatch(r -> r.startsWith("<FunctionsIngestRouterAlias"))
        .anyMatch(r -> r.startsWith("<FunctionsRunRecorderAlias"));
    assertThat(IamTest.resourcesOf(st, "glue:StartJobRun"))
        .containsExactlyInAnyOrder(
            jobArn("bronze"),
            jobArn("silver-customers"),
            jobArn("silver-products"),
            jobArn("silver-orders"),
            jobArn("gold"));
    for (String action : List.of("glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun")) {
      assertThat(IamTest.resourcesOf(st, action)).hasSize(5);
    }
    assertThat(IamTest.resourcesOf(st, "sns:Publish"))
        .singleElement()
        .asString()
        .startsWith("<MonitoringAlertTopic");
  }

  @Test
  void maintenanceRoleGrantsExactlyWhatItsDefinitionUses() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "OrchestrationMaintenanceRole");
    assertThat(IamTest.resourcesOf(st, "lambda:InvokeFunction"))
        .hasSize(2)
        .anyMatch(r -> r.startsWith("<FunctionsTableAdminAlias"))
        .anyMatch(r -> r.startsWith("<FunctionsMaintenanceAlias"))
        .noneMatch(r -> r.startsWith("<FunctionsRunRecorderAlias"));
    assertThat(IamTest.resourcesOf(st, "glue:StartJobRun")).containsExactly(jobArn("compaction"));
  }

  @Test
  void schedulesRunMaintenanceNightlyAndGoldDailyInTheConfiguredTimeZone() {
    Map<String, Object> maintenance =
        map(
            s.only("AWS::Scheduler::Schedule", "OrchestrationMaintenanceSchedule")
                .get("Properties"));
    assertThat(maintenance.get("ScheduleExpression")).isEqualTo("cron(0 3 * * ? *)");
    assertThat(maintenance.get("ScheduleExpressionTimezone")).isEqualTo("UTC");
    Map<String, Object> mTarget = map(maintenance.get("Target"));
    assertThat(render(mTarget.get("Arn"))).startsWith("<OrchestrationMaintenance");
    assertThat(render(map(mTarget.get("DeadLetterConfig")).get("Arn")))
        .startsWith("<OrchestrationScheduleDeadLetterQueue");
    assertThat(map(mTarget.get("RetryPolicy"))).containsEntry("MaximumRetryAttempts", 3);

    Map<String, Object> gold =
        map(
            s.only("AWS::Scheduler::Schedule", "OrchestrationGoldRefreshSchedule")
                .get("Properties"));
    assertThat(gold.get("ScheduleExpression")).isEqualTo("cron(30 4 * * ? *)");
    assertThat(gold.get("ScheduleExpressionTimezone")).isEqualTo("UTC");
    Map<String, Object> gTarget = map(gold.get("Target"));
    assertThat(render(gTarget.get("Arn")))
        .isEqualTo("arn:<AWS::Partition>:scheduler:::aws-sdk:glue:startJobRun");
    assertThat(render(gTarget.get("Input")))
        .contains("\"JobName\":\"lakehouse-dev-gold\"")
        .contains("<aws.scheduler.execution-id>");
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "OrchestrationSchedulerRole");
    assertThat(IamTest.resourcesOf(st, "glue:StartJobRun")).containsExactly(jobArn("gold"));
    assertThat(IamTest.resourcesOf(st, "states:StartExecution"))
        .singleElement()
        .asString()
        .startsWith("<OrchestrationMaintenance");
  }

  @Test
  void queuesAreEncryptedAndTlsOnly() {
    var queues = s.resources("AWS::SQS::Queue");
    // the schedules' dead-letter queue; the ingest queue and its dead-letter queue
    assertThat(queues).hasSize(3);
    queues
        .values()
        .forEach(
            q ->
                assertThat(render(map(q.get("Properties")).get("KmsMasterKeyId")))
                    .isEqualTo("<" + StorageTest.keyId() + ".Arn>"));
    s.resources("AWS::SQS::QueuePolicy")
        .values()
        .forEach(
            qp ->
                assertThat(
                        list(map(map(qp.get("Properties")).get("PolicyDocument")).get("Statement")))
                    .anySatisfy(
                        st ->
                            assertThat(map(st).get("Condition"))
                                .isEqualTo(
                                    Map.of("Bool", Map.of("aws:SecureTransport", "false")))));
  }

  @Test
  void anUnknownPlaceholderFailsTheSynth() {
    Artifacts base = TestStacks.artifacts();
    Artifacts bad =
        new Artifacts(
            base.repoRoot(),
            base.functionsPackage(),
            base.glueJobsJar(),
            base.glueStubScript(),
            base.glueLauncherScript(),
            TestStacks.testAslFile("unknown-placeholder.asl.json"),
            base.maintenanceStateMachine(),
            List.of());
    software.amazon.awscdk.App app = new software.amazon.awscdk.App();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LakehouseApp.build(app, bad))
        .hasStackTraceContaining("NoSuchFunctionArn");
  }

  static String jobArn(String suffix) {
    return "arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:job/lakehouse-dev-" + suffix;
  }

  static Map<String, Object> stateMachine(String idPrefix) {
    return map(
        s.resources("AWS::StepFunctions::StateMachine").entrySet().stream()
            .filter(
                e ->
                    e.getKey().startsWith(idPrefix)
                        && !e.getKey().substring(idPrefix.length()).startsWith("Role"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .get("Properties"));
  }
}
