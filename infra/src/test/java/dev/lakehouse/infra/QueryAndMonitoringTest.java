package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.list;
import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryAndMonitoringTest {
  static TestStacks.Synthesized s;

  @BeforeAll
  static void synth() {
    s = TestStacks.dev();
  }

  @Test
  void workgroupEnforcesEngineV3EncryptedResultsAndAScanLimit() {
    Map<String, Object> p =
        map(s.only("AWS::Athena::WorkGroup", "QueryWorkGroup").get("Properties"));
    assertThat(p.get("Name")).isEqualTo("lakehouse-dev");
    Map<String, Object> c = map(p.get("WorkGroupConfiguration"));
    assertThat(c.get("EnforceWorkGroupConfiguration")).isEqualTo(true);
    assertThat(c.get("EngineVersion"))
        .isEqualTo(Map.of("SelectedEngineVersion", "Athena engine version 3"));
    assertThat(((Number) c.get("BytesScannedCutoffPerQuery")).longValue())
        .isEqualTo(10L * 1024 * 1024 * 1024);
    Map<String, Object> results = map(c.get("ResultConfiguration"));
    assertThat(render(results.get("OutputLocation")))
        .matches("s3://<StorageAthenaResultsBucket[0-9A-F]+>/results/");
    assertThat(map(results.get("EncryptionConfiguration")).get("EncryptionOption"))
        .isEqualTo("SSE_KMS");
    assertThat(render(map(results.get("EncryptionConfiguration")).get("KmsKey")))
        .isEqualTo("<" + StorageTest.keyId() + ".Arn>");
  }

  @Test
  void namedQueriesShowRevenueTimeTravelSnapshotsAndFiles() {
    Map<String, String> queries = new LinkedHashMap<>();
    s.resources("AWS::Athena::NamedQuery")
        .values()
        .forEach(
            q -> {
              Map<String, Object> p = map(q.get("Properties"));
              assertThat(p.get("Database")).isEqualTo("ecommerce_lakehouse");
              assertThat(render(p.get("WorkGroup"))).startsWith("<QueryWorkGroup");
              queries.put((String) p.get("Name"), (String) p.get("QueryString"));
            });
    assertThat(queries)
        .containsOnlyKeys(
            "daily-revenue",
            "time-travel-by-timestamp",
            "time-travel-by-snapshot",
            "snapshot-history",
            "files-per-partition");
    assertThat(queries.get("daily-revenue"))
        .contains("FROM ecommerce_lakehouse.curated_orders", "sum(net_amount)");
    assertThat(queries.get("time-travel-by-timestamp")).contains("FOR TIMESTAMP AS OF");
    assertThat(queries.get("time-travel-by-snapshot")).contains("FOR VERSION AS OF");
    assertThat(queries.get("snapshot-history"))
        .contains("\"ecommerce_lakehouse\".\"curated_orders$snapshots\"");
    assertThat(queries.get("files-per-partition"))
        .contains("\"ecommerce_lakehouse\".\"curated_orders$files\"");
  }

  @Test
  void alertTopicIsEncryptedAndTlsOnly() {
    Map<String, Object> p =
        map(s.only("AWS::SNS::Topic", "MonitoringAlertTopic").get("Properties"));
    assertThat(render(p.get("KmsMasterKeyId"))).isEqualTo("<" + StorageTest.keyId() + ".Arn>");
    var policy = s.resources("AWS::SNS::TopicPolicy").values().iterator().next();
    assertThat(list(map(map(policy.get("Properties")).get("PolicyDocument")).get("Statement")))
        .anySatisfy(
            st ->
                assertThat(map(st).get("Condition"))
                    .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
  }

  @Test
  void alarmsCoverExecutionsLambdasGlueJobsAndDeadLetterQueues() {
    var alarms = s.resources("AWS::CloudWatch::Alarm");
    // 2 state machines x (failed, timed out, aborted) + 4 functions + Glue job failures + 2
    // dead-letter queues
    // + the age of the ingest queue's oldest message
    assertThat(alarms).hasSize(14);
    Map<String, Integer> byMetric = new LinkedHashMap<>();
    alarms
        .values()
        .forEach(
            a -> {
              Map<String, Object> p = map(a.get("Properties"));
              assertThat(Cfn.strings(p.get("AlarmActions")))
                  .singleElement()
                  .asString()
                  .startsWith("<MonitoringAlertTopic");
              byMetric.merge(p.get("Namespace") + "/" + p.get("MetricName"), 1, Integer::sum);
            });
    assertThat(byMetric)
        .containsEntry("AWS/States/ExecutionsFailed", 2)
        .containsEntry("AWS/States/ExecutionsTimedOut", 2)
        .containsEntry("AWS/States/ExecutionsAborted", 2)
        .containsEntry("AWS/Lambda/Errors", 4)
        .containsEntry("AWS/Events/TriggeredRules", 1)
        .containsEntry("AWS/SQS/ApproximateNumberOfMessagesVisible", 2)
        .containsEntry("AWS/SQS/ApproximateAgeOfOldestMessage", 1);
  }

  @Test
  void glueJobFailuresAreRoutedToTheTopic() {
    Map<String, Object> rule =
        map(s.only("AWS::Events::Rule", "MonitoringGlueJobFailureRule").get("Properties"));
    Map<String, Object> pattern = map(rule.get("EventPattern"));
    assertThat(pattern.get("source")).isEqualTo(java.util.List.of("aws.glue"));
    assertThat(pattern.get("detail-type")).isEqualTo(java.util.List.of("Glue Job State Change"));
    assertThat(map(pattern.get("detail")).get("state"))
        .isEqualTo(java.util.List.of("FAILED", "TIMEOUT", "ERROR"));
    assertThat(Cfn.strings(map(pattern.get("detail")).get("jobName")))
        .hasSize(6)
        .allMatch(n -> n.startsWith("lakehouse-dev-"));
    assertThat(render(map(list(rule.get("Targets")).get(0)).get("Arn")))
        .startsWith("<MonitoringAlertTopic");
  }

  /**
   * Job failures are not caught in the ASL (so a redrive resumes at the job): this rule records and
   * notifies.
   */
  @Test
  void failedExecutionsAreRecordedAndNotified() {
    Map<String, Object> rule =
        map(s.only("AWS::Events::Rule", "MonitoringExecutionFailureRule").get("Properties"));
    Map<String, Object> pattern = map(rule.get("EventPattern"));
    assertThat(pattern.get("source")).isEqualTo(java.util.List.of("aws.states"));
    assertThat(pattern.get("detail-type"))
        .isEqualTo(java.util.List.of("Step Functions Execution Status Change"));
    assertThat(map(pattern.get("detail")).get("status"))
        .isEqualTo(java.util.List.of("FAILED", "TIMED_OUT", "ABORTED"));
    assertThat(list(map(pattern.get("detail")).get("stateMachineArn"))).hasSize(2);
    var targets = list(rule.get("Targets"));
    assertThat(targets).hasSize(2);
    assertThat(render(map(targets.get(0)).get("Arn"))).contains("RunRecorder");
    assertThat(
            String.valueOf(map(map(targets.get(0)).get("InputTransformer")).get("InputTemplate")))
        .contains("\"step\":\"pipeline\"")
        .contains("\"executionId\":<detail-executionArn>")
        .contains("\"status\":<detail-status>");
    assertThat(render(map(targets.get(1)).get("Arn"))).startsWith("<MonitoringAlertTopic");
  }

  @Test
  void dashboardAndOutputs() {
    assertThat(s.resources("AWS::CloudWatch::Dashboard")).hasSize(1);
    assertThat(map(s.json().get("Outputs")))
        .containsKeys(
            "LandingBucketName",
            "WarehouseBucketName",
            "AthenaWorkGroupName",
            "IngestStateMachineArn",
            "IngestQueueUrl",
            "AlertTopicArn",
            "GlueDatabaseName");
  }
}
