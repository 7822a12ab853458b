package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.support.ManualTime;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A realistic CDK-style pipeline definition, with placeholders, run against fake AWS integrations.
 */
class PipelineTest {
  static final String LAMBDA = "arn:aws:states:::lambda:invoke";
  static final String GLUE = "arn:aws:states:::glue:startJobRun.sync";
  static final String SNS = "arn:aws:states:::sns:publish";
  static final Map<String, String> SUBSTITUTIONS =
      Map.of(
          "IngestRouterFunctionArn",
          "arn:aws:lambda:local:000000000000:function:router",
          "RecordRunFunctionArn",
          "arn:aws:lambda:local:000000000000:function:record-run",
          "BronzeJobName",
          "bronze",
          "SilverJobName",
          "silver",
          "GoldJobName",
          "gold",
          "AlertsTopicArn",
          "arn:aws:sns:local:000000000000:alerts");

  final ManualTime time = new ManualTime();
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<JsonNode> records = Collections.synchronizedList(new ArrayList<>());
  final List<JsonNode> alerts = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger glueConcurrencyErrors = new AtomicInteger();
  volatile boolean alreadyIngested;
  volatile String failingJob;

  static StateMachine load() {
    try {
      Path file = Path.of(PipelineTest.class.getResource("/asl/ingest-pipeline.asl.json").toURI());
      return AslLoader.load(file, SUBSTITUTIONS);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Like the real lambda:invoke integration: the function's result comes back wrapped in Payload.
   */
  TaskHandler lambdaInvoke() {
    return inv -> {
      String function = inv.parameters().get("FunctionName").asText();
      calls.add(function.substring(function.lastIndexOf(':') + 1));
      JsonNode payload = inv.parameters().get("Payload");
      JsonNode result;
      if (function.endsWith(":router")) {
        result =
            Json.object()
                .put("alreadyIngested", alreadyIngested)
                .put(
                    "rawPrefix",
                    "s3://raw/"
                        + payload.get("source").asText()
                        + "/"
                        + payload.get("day").asText());
      } else {
        records.add(payload);
        result = Json.object().put("recorded", true);
      }
      ObjectNode response = Json.object().put("StatusCode", 200).put("ExecutedVersion", "$LATEST");
      response.set("Payload", result);
      return response;
    };
  }

  TaskHandler glueSync() {
    return inv -> {
      String job = inv.parameters().get("JobName").asText();
      calls.add(job);
      if (job.equals("bronze") && glueConcurrencyErrors.getAndDecrement() > 0) {
        throw new TaskFailedException(
            "Glue.ConcurrentRunsExceededException", "Concurrent runs exceeded for bronze");
      }
      if (job.equals(failingJob)) {
        throw new TaskFailedException("States.TaskFailed", "Glue job " + job + " FAILED: boom");
      }
      return Json.object()
          .put("Id", "jr_" + job)
          .put("JobName", job)
          .put("JobRunState", "SUCCEEDED");
    };
  }

  Runner runner() {
    return Runner.builder()
        .clock(time)
        .sleeper(time)
        .handler(LAMBDA, lambdaInvoke())
        .handler(GLUE, glueSync())
        .handler(
            SNS,
            inv -> {
              alerts.add(inv.parameters());
              return Json.object().put("MessageId", "m-1");
            })
        .build();
  }

  @Test
  void happyPathRunsAllLayersAndRecordsTheRun() {
    glueConcurrencyErrors.set(2);
    Execution ex =
        runner().start(load(), "orders-2024-01-01", q("{'source':'orders','day':'2024-01-01'}"));

    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls)
        .containsExactly("router", "bronze", "bronze", "bronze", "silver", "gold", "record-run");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
    assertJson(
        ex.output(),
        """
            {'source':'orders','day':'2024-01-01',
             'route':{'alreadyIngested':false,'rawPrefix':'s3://raw/orders/2024-01-01'},
             'bronze':{'jobRunId':'jr_bronze','state':'SUCCEEDED'},
             'silver':{'jobRunId':'jr_silver','state':'SUCCEEDED'},
             'gold':{'jobRunId':'jr_gold','state':'SUCCEEDED'}}""");
    assertJson(
        records.get(0),
        "{'status':'SUCCEEDED','source':'orders','day':'2024-01-01',"
            + "'jobRuns':['jr_bronze','jr_silver','jr_gold'],'executionName':'orders-2024-01-01'}");
    assertThat(alerts).isEmpty();
    assertThat(load().resources()).containsExactlyInAnyOrder(LAMBDA, GLUE, SNS);
    assertThat(load().name()).isEqualTo("ingest-pipeline");
  }

  @Test
  void alreadyIngestedSkips() {
    alreadyIngested = true;
    Execution ex = runner().start(load(), "again", q("{'source':'orders','day':'2024-01-01'}"));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls).containsExactly("router");
    assertThat(RetryCatchTest.lastState(ex)).isEqualTo("Skipped");
  }

  @Test
  void glueFailureIsRecordedAlertedAndFailsWithTheOriginalError() {
    failingJob = "silver";
    Execution ex = runner().start(load(), "bad-day", q("{'source':'orders','day':'2024-01-02'}"));

    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("States.TaskFailed");
    assertThat(ex.cause()).isEqualTo("Glue job silver FAILED: boom");
    assertThat(calls).containsExactly("router", "bronze", "silver", "record-run");
    assertJson(
        records.get(0),
        "{'status':'FAILED','source':'orders','day':'2024-01-02',"
            + "'error':{'Error':'States.TaskFailed','Cause':'Glue job silver FAILED: boom'}}");
    assertJson(
        alerts.get(0),
        "{'TopicArn':'arn:aws:sns:local:000000000000:alerts',"
            + "'Subject':'Ingest failed: orders 2024-01-02',"
            + "'Message':'{\\\"Error\\\":\\\"States.TaskFailed\\\",\\\"Cause\\\":\\\"Glue job silver FAILED: boom\\\"}'}");
    assertThat(ex.history())
        .extracting(HistoryEvent::type)
        .last()
        .isEqualTo(EventType.ExecutionFailed);
    assertThat(ex.redrivePoint().stateName()).isEqualTo("Failed");
  }

  @Test
  void historyTableIsReadable() {
    Execution ex = runner().start(load(), "table", q("{'source':'orders','day':'2024-01-01'}"));
    String table = ex.historyTable();
    assertThat(table)
        .contains("Execution arn:aws:states:local:000000000000:execution:ingest-pipeline:table")
        .contains("status SUCCEEDED")
        .contains("TaskScheduled", "arn:aws:states:::glue:startJobRun.sync")
        .contains(
            "state                                              visits   total ms     max ms  last");
    assertThat(table.lines().filter(l -> l.startsWith("Bronze ")).findFirst().orElseThrow())
        .matches("Bronze\\s+1\\s+0\\s+0\\s+ok");
  }
}
