package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.list;
import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * The ingest queue (docs/batching.md): landed objects are queued, and a schedule starts the ingest
 * pipeline, which claims them in batches through the router. Asserted on the dev stack (defaults)
 * and the prod stack of {@link EnvironmentsTest} (every batching key overridden).
 */
class IngestQueueTest {
  static final int FOURTEEN_DAYS = 14 * 24 * 3600;
  static TestStacks.Synthesized s;
  static String queue;
  static String deadLetters;

  @BeforeAll
  static void synth() {
    s = TestStacks.dev();
    queue = logicalId(s, "AWS::SQS::Queue", "IngestQueueLandedObjectQueue");
    deadLetters = logicalId(s, "AWS::SQS::Queue", "IngestQueueDeadLetterQueue");
  }

  @Test
  void queueAndDeadLetterQueueAreEncryptedKeptTwoWeeksWithARedrivePolicy() {
    Map<String, Object> q = s.properties(queue);
    assertThat(render(q.get("KmsMasterKeyId"))).isEqualTo("<" + StorageTest.keyId() + ".Arn>");
    assertThat(q.get("MessageRetentionPeriod")).isEqualTo(FOURTEEN_DAYS);
    assertThat(q.get("VisibilityTimeout")).as("the lease").isEqualTo(43_200);
    Map<String, Object> redrive = map(q.get("RedrivePolicy"));
    assertThat(render(redrive.get("deadLetterTargetArn"))).isEqualTo("<" + deadLetters + ".Arn>");
    assertThat(redrive.get("maxReceiveCount")).isEqualTo(5);

    Map<String, Object> dlq = s.properties(deadLetters);
    assertThat(render(dlq.get("KmsMasterKeyId"))).isEqualTo("<" + StorageTest.keyId() + ".Arn>");
    assertThat(dlq.get("MessageRetentionPeriod")).isEqualTo(FOURTEEN_DAYS);
    assertThat(dlq).doesNotContainKey("RedrivePolicy");
  }

  @Test
  void landedObjectsGoToTheQueueAndNoLongerStartTheStateMachine() {
    Map<String, Object> rule =
        map(s.only("AWS::Events::Rule", "IngestQueueLandedObjectRule").get("Properties"));
    Map<String, Object> pattern = map(rule.get("EventPattern"));
    assertThat(pattern.get("source")).isEqualTo(List.of("aws.s3"));
    assertThat(pattern.get("detail-type")).isEqualTo(List.of("Object Created"));
    Map<String, Object> detail = map(pattern.get("detail"));
    assertThat(Cfn.strings(map(detail.get("bucket")).get("name")))
        .containsExactly("<" + StorageTest.landingId() + ">");
    assertThat(map(detail.get("object")).get("key"))
        .isEqualTo(List.of(Map.of("prefix", "landing/")));

    Map<String, Object> target = map(list(rule.get("Targets")).get(0));
    assertThat(list(rule.get("Targets"))).hasSize(1);
    assertThat(render(target.get("Arn"))).isEqualTo("<" + queue + ".Arn>");
    assertThat(render(map(target.get("DeadLetterConfig")).get("Arn")))
        .isEqualTo("<" + deadLetters + ".Arn>");
    assertThat(target.get("RetryPolicy"))
        .isEqualTo(Map.of("MaximumEventAgeInSeconds", 21600, "MaximumRetryAttempts", 8));
    assertThat(target).as("a queue target needs no role").doesNotContainKey("RoleArn");

    // Only the batch schedule starts the ingest pipeline.
    String pipeline = pipeline();
    List<String> starters =
        s.resources("AWS::Events::Rule").entrySet().stream()
            .filter(
                e ->
                    list(map(e.getValue().get("Properties")).get("Targets")).stream()
                        .anyMatch(t -> render(map(t).get("Arn")).equals("<" + pipeline + ">")))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(starters).singleElement().asString().startsWith("OrchestrationIngestBatchSchedule");
    assertThat(s.resources("AWS::IAM::Role").keySet()).noneMatch(id -> id.contains("EventsRole"));
  }

  /**
   * Only the landed-object rule may send, to the queue and (delivery failures) to the dead-letter
   * queue.
   */
  @Test
  void queuePoliciesLetOnlyTheRuleSendAndRefusePlainHttp() {
    for (String id : List.of(queue, deadLetters)) {
      List<Map<String, Object>> statements = queuePolicyStatements(id);
      assertThat(statements).hasSize(2);
      assertThat(statements)
          .anySatisfy(
              st -> {
                assertThat(st.get("Effect")).isEqualTo("Deny");
                assertThat(st.get("Condition"))
                    .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
              });
      Map<String, Object> send =
          statements.stream()
              .filter(st -> "LandedObjectRuleSends".equals(st.get("Sid")))
              .findFirst()
              .orElseThrow();
      assertThat(send.get("Effect")).isEqualTo("Allow");
      assertThat(send.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
      assertThat(send.get("Action")).isEqualTo("sqs:SendMessage");
      assertThat(render(send.get("Resource"))).isEqualTo("<" + id + ".Arn>");
      String rule = logicalId(s, "AWS::Events::Rule", "IngestQueueLandedObjectRule");
      assertThat(render(map(map(send.get("Condition")).get("ArnEquals")).get("aws:SourceArn")))
          .isEqualTo("<" + rule + ".Arn>");
    }
  }

  /**
   * EventBridge encrypts to the queues as the service: the key lets it GenerateDataKey and Decrypt
   * for this account's rules (StorageConstruct), and grants it nothing more anywhere. (CDK's SNS
   * rule targets of MonitoringConstruct add Decrypt and GenerateDataKey* for EventBridge too: the
   * same two operations.)
   */
  @Test
  void keyPolicyLetsEventBridgeEncryptToTheQueuesAndNoMore() {
    List<Map<String, Object>> forEvents =
        Cfn.list(map(s.properties(StorageTest.keyId()).get("KeyPolicy")).get("Statement")).stream()
            .map(Cfn::map)
            .filter(st -> String.valueOf(st.get("Principal")).contains("events.amazonaws.com"))
            .toList();
    assertThat(forEvents)
        .filteredOn(st -> "EventsAndAlarmsToEncryptedTargets".equals(st.get("Sid")))
        .singleElement()
        .satisfies(
            st -> {
              assertThat(Cfn.strings(st.get("Action")))
                  .containsExactly("kms:Decrypt", "kms:GenerateDataKey");
              assertThat(
                      render(
                          map(map(st.get("Condition")).get("StringEquals"))
                              .get("aws:SourceAccount")))
                  .isEqualTo("<AWS::AccountId>");
            });
    forEvents.forEach(
        st ->
            assertThat(Cfn.strings(st.get("Action")))
                .isSubsetOf("kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*"));
  }

  @Test
  void alarmsOnDeadLettersAndOnTheOldestMessageNotifyTheTopic() {
    assertAlarm(
        "IngestQueueDeadLetterQueueNotEmpty", "ApproximateNumberOfMessagesVisible", deadLetters, 1);
    assertAlarm("IngestQueueOldestMessageTooOld", "ApproximateAgeOfOldestMessage", queue, 3600);
  }

  private static void assertAlarm(String id, String metric, String queueId, int threshold) {
    Map<String, Object> alarm = map(s.only("AWS::CloudWatch::Alarm", id).get("Properties"));
    assertThat(alarm.get("Namespace")).isEqualTo("AWS/SQS");
    assertThat(alarm.get("MetricName")).isEqualTo(metric);
    assertThat(map(list(alarm.get("Dimensions")).get(0)).get("Name")).isEqualTo("QueueName");
    assertThat(render(map(list(alarm.get("Dimensions")).get(0)).get("Value")))
        .isEqualTo("<" + queueId + ".QueueName>");
    assertThat(alarm.get("Statistic")).isEqualTo("Maximum");
    assertThat(alarm.get("Threshold")).isEqualTo(threshold);
    assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanOrEqualToThreshold");
    assertThat(alarm.get("TreatMissingData")).isEqualTo("notBreaching");
    assertThat(Cfn.strings(alarm.get("AlarmActions")))
        .singleElement()
        .asString()
        .startsWith("<MonitoringAlertTopic");
  }

  @Test
  void aScheduleStartsTheIngestPipelineEveryMinuteWithAnEmptyInput() {
    Map<String, Object> rule =
        map(s.only("AWS::Events::Rule", "OrchestrationIngestBatchSchedule").get("Properties"));
    assertThat(rule.get("ScheduleExpression")).isEqualTo("rate(1 minute)");
    assertThat(rule.get("State")).isEqualTo("ENABLED");
    Map<String, Object> target = map(list(rule.get("Targets")).get(0));
    assertThat(list(rule.get("Targets"))).hasSize(1);
    assertThat(render(target.get("Arn"))).isEqualTo("<" + pipeline() + ">");
    assertThat(target.get("Input")).isEqualTo("{}");
    assertThat(target.get("RetryPolicy"))
        .isEqualTo(Map.of("MaximumEventAgeInSeconds", 60, "MaximumRetryAttempts", 2));
    String role = logicalId(s, "AWS::IAM::Role", "OrchestrationIngestBatchScheduleRole");
    assertThat(render(target.get("RoleArn"))).isEqualTo("<" + role + ".Arn>");
  }

  @Test
  void theScheduleRoleMayOnlyStartTheIngestPipeline() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "OrchestrationIngestBatchScheduleRole");
    assertThat(st)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.effect()).isEqualTo("Allow");
              assertThat(x.actions()).containsExactly("states:StartExecution");
              assertThat(x.resources()).containsExactly("<" + pipeline() + ">");
            });
    String trust =
        String.valueOf(
            s.properties(logicalId(s, "AWS::IAM::Role", "OrchestrationIngestBatchScheduleRole"))
                .get("AssumeRolePolicyDocument"));
    assertThat(trust).contains("events.amazonaws.com").contains("aws:SourceAccount");
  }

  @Test
  void theRouterGetsTheQueueAndTheBatchSettings() {
    Map<String, Object> env = environment(s, FunctionsConstruct.Spec.INGEST_ROUTER);
    assertThat(render(env.get("INGEST_QUEUE_URL"))).isEqualTo("<" + queue + ">");
    assertThat(env)
        .containsEntry("BATCH_MAX_OBJECTS", "100")
        .containsEntry("BATCH_WINDOW_SECONDS", "30")
        .containsEntry("BATCH_LEASE_SECONDS", "43200")
        .containsEntry("BATCH_MAX_PASSES", "10");
    for (FunctionsConstruct.Spec other :
        List.of(
            FunctionsConstruct.Spec.TABLE_ADMIN,
            FunctionsConstruct.Spec.MAINTENANCE,
            FunctionsConstruct.Spec.RUN_RECORDER)) {
      assertThat(environment(s, other))
          .doesNotContainKeys(
              "INGEST_QUEUE_URL",
              "BATCH_MAX_OBJECTS",
              "BATCH_WINDOW_SECONDS",
              "BATCH_LEASE_SECONDS",
              "BATCH_MAX_PASSES");
    }
    assertThat(s.properties(functionId(s, FunctionsConstruct.Spec.INGEST_ROUTER)).get("Timeout"))
        .isEqualTo(300);
  }

  @Test
  void everyBatchingKeyCanBeOverriddenThroughContext() {
    TestStacks.Synthesized prod = TestStacks.synth(EnvironmentsTest.PROD);
    Map<String, Object> env = environment(prod, FunctionsConstruct.Spec.INGEST_ROUTER);
    assertThat(env)
        .containsEntry("BATCH_MAX_OBJECTS", "250")
        .containsEntry("BATCH_WINDOW_SECONDS", "10")
        .containsEntry("BATCH_LEASE_SECONDS", "3600")
        .containsEntry("BATCH_MAX_PASSES", "4");
    Map<String, Object> q =
        prod.properties(logicalId(prod, "AWS::SQS::Queue", "IngestQueueLandedObjectQueue"));
    assertThat(q.get("VisibilityTimeout")).isEqualTo(3600);
    assertThat(map(q.get("RedrivePolicy")).get("maxReceiveCount")).isEqualTo(3);
    assertThat(
            map(prod.only("AWS::CloudWatch::Alarm", "IngestQueueOldestMessageTooOld")
                    .get("Properties"))
                .get("Threshold"))
        .isEqualTo(900);
    assertThat(
            map(prod.only("AWS::Events::Rule", "OrchestrationIngestBatchSchedule")
                    .get("Properties"))
                .get("ScheduleExpression"))
        .isEqualTo("rate(2 minutes)");
  }

  @Test
  void aBadBatchingValueFailsTheSynthInOneLineNamingItsKey() {
    // context key, value (as cdk.json or -c gives it) -> the one line the synth fails with
    List<List<Object>> cases =
        List.of(
            List.of(
                "batchMaxObjects",
                0,
                "lakehouse:batchMaxObjects: batch size must be between 1 and 1000, was 0"),
            List.of(
                "batchMaxObjects",
                "1001",
                "lakehouse:batchMaxObjects: batch size must be between 1 and 1000, was 1001"),
            List.of(
                "batchWindowSeconds",
                3601,
                "lakehouse:batchWindowSeconds: batch window must be between 0 and 3600 seconds, was 3601"),
            List.of(
                "batchLeaseSeconds",
                43_201,
                "lakehouse:batchLeaseSeconds: batch lease must be between 60 and 43200 seconds, was 43201"),
            List.of(
                "batchLeaseSeconds",
                "12h",
                "lakehouse:batchLeaseSeconds must be a whole number, got '12h'"),
            List.of(
                "batchMaxPasses",
                0,
                "lakehouse:batchMaxPasses: bronze passes per batch must be between 1 and 100, was 0"),
            List.of(
                "batchMaxReceives",
                0,
                "lakehouse:batchMaxReceives must be between 1 and 1000, got 0"),
            List.of(
                "batchMaxAgeSeconds",
                30,
                "lakehouse:batchMaxAgeSeconds must be at least 60, got 30"),
            List.of(
                "batchSchedule",
                "every minute",
                "lakehouse:batchSchedule must be rate(...) or cron(...), got 'every minute'"));
    for (List<Object> c : cases) {
      assertThatThrownBy(() -> config(Map.of("lakehouse:" + c.get(0), c.get(1))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage((String) c.get(2));
    }
    // The same line stops the app before anything is built.
    assertThatThrownBy(
            () ->
                LakehouseApp.build(
                    App.Builder.create().context(Map.of("lakehouse:batchMaxObjects", 0)).build(),
                    TestStacks.artifacts()))
        .hasMessage("lakehouse:batchMaxObjects: batch size must be between 1 and 1000, was 0");
  }

  /**
   * The router claims (receive with a lease, queue depth), releases and acknowledges messages of
   * this queue only, lists the executions of the ingest state machine only, and writes manifests
   * under batches/ only.
   */
  @Test
  void theRouterMayUseExactlyTheQueueTheStateMachineAndTheManifests() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "FunctionsIngestRouterRole");
    List<Cfn.Statement> sqs =
        st.stream().filter(x -> x.actions().stream().anyMatch(a -> a.startsWith("sqs:"))).toList();
    assertThat(sqs)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.actions())
                  .containsExactlyInAnyOrder(
                      "sqs:ReceiveMessage",
                      "sqs:DeleteMessage",
                      "sqs:ChangeMessageVisibility",
                      "sqs:GetQueueAttributes");
              assertThat(x.resources()).containsExactly("<" + queue + ".Arn>");
            });
    List<Cfn.Statement> states =
        st.stream()
            .filter(x -> x.actions().stream().anyMatch(a -> a.startsWith("states:")))
            .toList();
    assertThat(states)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.actions()).containsExactly("states:ListExecutions");
              assertThat(x.resources())
                  .containsExactly(
                      "arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:lakehouse-dev-ingest-pipeline");
            });
    // The ARN is built from the name, so the name must be the state machine's.
    assertThat(s.properties(pipeline()).get("StateMachineName"))
        .isEqualTo("lakehouse-dev-ingest-pipeline");
    String manifests = "<" + StorageTest.landingId() + ".Arn>/batches/*";
    List<Cfn.Statement> onManifests =
        st.stream().filter(x -> x.resources().contains(manifests)).toList();
    assertThat(onManifests)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.actions()).containsExactlyInAnyOrder("s3:GetObject", "s3:PutObject");
              assertThat(x.resources()).containsExactly(manifests);
            });
    assertThat(IamTest.resourcesOf(st, "kms:Decrypt"))
        .containsExactly("<" + StorageTest.keyId() + ".Arn>");
  }

  @Test
  void theRunRecorderAndTheBronzeJobReadTheManifests() {
    String landing = "<" + StorageTest.landingId() + ".Arn>";
    List<Cfn.Statement> recorder = Cfn.statementsOfRole(s, "FunctionsRunRecorderRole");
    assertThat(
            recorder.stream().filter(x -> x.resources().contains(landing + "/batches/*")).toList())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.actions()).containsExactly("s3:GetObject");
              assertThat(x.resources()).containsExactly(landing + "/batches/*");
            });
    assertThat(IamTest.resourcesOf(recorder, "kms:Decrypt"))
        .containsExactly("<" + StorageTest.keyId() + ".Arn>");

    // (Policies are minimized: the read of the landing bucket shares a statement with the read of
    // the job code.)
    List<Cfn.Statement> bronze = Cfn.statementsOfRole(s, "JobsBronzeJobRole");
    assertThat(bronze.stream().filter(x -> x.resources().contains(landing + "/batches/*")).toList())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.actions()).containsExactly("s3:GetObject");
              assertThat(x.resources())
                  .filteredOn(r -> r.startsWith(landing))
                  .containsExactlyInAnyOrder(landing + "/landing/*", landing + "/batches/*");
            });
    for (String family : List.of("JobsSilverJobRole", "JobsGoldJobRole", "JobsCompactionJobRole")) {
      assertThat(Cfn.statementsOfRole(s, family))
          .noneMatch(x -> x.resources().stream().anyMatch(r -> r.startsWith(landing)));
    }
  }

  @Test
  void ingestJobsQueueTheirRunsBeyondTheConcurrencyLimit() {
    Map<String, Object> queuing = new java.util.TreeMap<>();
    s.resources("AWS::Glue::Job")
        .values()
        .forEach(
            j -> {
              Map<String, Object> p = map(j.get("Properties"));
              queuing.put((String) p.get("Name"), p.getOrDefault("JobRunQueuingEnabled", "absent"));
            });
    assertThat(queuing)
        .containsExactly(
            Map.entry("lakehouse-dev-bronze", true),
            Map.entry("lakehouse-dev-compaction", "absent"),
            Map.entry("lakehouse-dev-gold", true),
            Map.entry("lakehouse-dev-silver-customers", true),
            Map.entry("lakehouse-dev-silver-orders", true),
            Map.entry("lakehouse-dev-silver-products", true));
  }

  /** The ingest state machine's logical id. */
  private static String pipeline() {
    return logicalId(s, "AWS::StepFunctions::StateMachine", "OrchestrationIngestPipeline");
  }

  private static LakehouseConfig config(Map<String, Object> context) {
    return LakehouseConfig.fromContext(App.Builder.create().context(context).build().getNode());
  }

  private static Map<String, Object> environment(
      TestStacks.Synthesized stack, FunctionsConstruct.Spec spec) {
    return map(map(stack.properties(functionId(stack, spec)).get("Environment")).get("Variables"));
  }

  private static String functionId(TestStacks.Synthesized stack, FunctionsConstruct.Spec spec) {
    return logicalId(stack, "AWS::Lambda::Function", "Functions" + spec.id);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> queuePolicyStatements(String queueId) {
    return s.resources("AWS::SQS::QueuePolicy").values().stream()
        .map(p -> map(p.get("Properties")))
        .filter(p -> Cfn.strings(p.get("Queues")).contains("<" + queueId + ">"))
        .flatMap(p -> list(map(p.get("PolicyDocument")).get("Statement")).stream())
        .map(st -> (Map<String, Object>) st)
        .toList();
  }

  private static String logicalId(TestStacks.Synthesized stack, String type, String prefix) {
    List<String> ids =
        stack.resources(type).keySet().stream()
            .filter(
                id -> id.startsWith(prefix) && id.substring(prefix.length()).matches("[0-9A-F]{8}"))
            .toList();
    assertThat(ids).as(prefix + "* among " + stack.resources(type).keySet()).hasSize(1);
    return ids.get(0);
  }
}
