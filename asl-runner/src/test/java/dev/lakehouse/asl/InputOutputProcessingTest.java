package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.json;
import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.support.ManualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * InputPath → Parameters → task → ResultSelector → ResultPath → OutputPath, with the spec's
 * examples.
 */
class InputOutputProcessingTest {
  private final ManualTime time = new ManualTime();
  private final List<JsonNode> seenParameters = new ArrayList<>();

  private Runner runner(TaskHandler handler) {
    return Runner.builder()
        .clock(time)
        .sleeper(time)
        .handler(
            "arn:test:task",
            invocation -> {
              seenParameters.add(invocation.parameters());
              return handler.invoke(invocation);
            })
        .build();
  }

  private static String task(String fields) {
    return "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:test:task',"
        + fields
        + "'End':true}}}";
  }

  @Test
  void specExample_inputPathResultPathOutputPath() {
    // spec: "Numbers to add" — the task sees only $.numbers, its sum lands in $.sum of the original
    // input
    TaskHandler add =
        inv ->
            Json.NODES.numberNode(
                inv.parameters().get("val1").asInt() + inv.parameters().get("val2").asInt());
    Execution ex =
        runner(add)
            .start(
                machine(task("'InputPath':'$.numbers','ResultPath':'$.sum','OutputPath':'$',")),
                "e1",
                q("{'title':'Numbers to add','numbers':{'val1':3,'val2':4}}"));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(seenParameters.get(0), "{'val1':3,'val2':4}");
    assertJson(ex.output(), "{'title':'Numbers to add','numbers':{'val1':3,'val2':4},'sum':7}");
  }

  @Test
  void specExample_parametersWithPathsContextAndIntrinsic() {
    String def =
        """
            {"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:test:task",
              "Parameters":{
                "flagged": true,
                "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"},
                "execution.$": "$$.Execution.Name",
                "formattedOutput.$": "States.Format('Run {} started', $$.Execution.Name)"
              },
              "End":true}}}""";
    Execution ex =
        runner(inv -> inv.parameters())
            .start(
                AslLoader.load(def, Map.of()),
                "monday",
                q("{'flagged':7,'vals':[0,10,20,30,40,50]}"));
    assertJson(
        ex.output(),
        "{'flagged':true,'parts':{'first':0,'last3':[30,40,50]},"
            + "'execution':'monday','formattedOutput':'Run monday started'}");
  }

  @Test
  void resultSelectorThenResultPath_awsExample() {
    TaskHandler emr =
        inv ->
            json(
                "{'resourceType':'elasticmapreduce','resource':'createCluster.sync',"
                    + "'output':{'SdkHttpMetadata':{'httpStatusCode':200},'ClusterId':'AKIAIOSFODNN7EXAMPLE'}}");
    Execution ex =
        runner(emr)
            .start(
                machine(
                    task(
                        "'ResultSelector':{'ClusterId.$':'$.output.ClusterId','ResourceType.$':'$.resourceType'},"
                            + "'ResultPath':'$.EMROutput',")),
                "e1",
                q("{'cluster':'c'}"));
    assertJson(
        ex.output(),
        "{'cluster':'c','EMROutput':{'ClusterId':'AKIAIOSFODNN7EXAMPLE','ResourceType':'elasticmapreduce'}}");
  }

  @Test
  void lambdaInvokeStyleBinding_resultSelectorOnPayload() {
    // The real lambda:invoke integration wraps the function result; bindings do that, the runner
    // does not care.
    TaskHandler function = inv -> json("{'x':42,'noise':true}");
    TaskHandler lambdaInvoke =
        inv -> {
          var wrapped = Json.object();
          wrapped.set("Payload", function.invoke(inv));
          wrapped.put("StatusCode", 200).put("ExecutedVersion", "$LATEST");
          return wrapped;
        };
    Execution ex =
        runner(lambdaInvoke)
            .start(
                machine(task("'ResultSelector':{'x.$':'$.Payload.x'},'ResultPath':'$.r',")),
                "e1",
                q("{'in':1}"));
    assertJson(ex.output(), "{'in':1,'r':{'x':42}}");
  }

  @Test
  void resultPathNullDiscardsResultAndKeepsRawInput() {
    Execution ex =
        runner(inv -> json("{'ignored':true}"))
            .start(
                machine(task("'InputPath':'$.a','ResultPath':null,")),
                "e1",
                q("{'a':{'b':1},'c':2}"));
    assertJson(ex.output(), "{'a':{'b':1},'c':2}");
  }

  @Test
  void resultPathMergesIntoNestedAndCreatesMissingObjects() {
    Execution ex =
        runner(inv -> json("'Hello'"))
            .start(
                machine(task("'ResultPath':'$.master.detail',")),
                "e1",
                q("{'master':{'detail':[1,2,3]},'other':1}"));
    assertJson(ex.output(), "{'master':{'detail':'Hello'},'other':1}");
    Execution created =
        runner(inv -> json("1")).start(machine(task("'ResultPath':'$.x.y.z',")), "e2", "{}");
    assertJson(created.output(), "{'x':{'y':{'z':1}}}");
  }

  @Test
  void resultPathIntoNonObjectIsResultPathMatchFailure() {
    Execution ex =
        runner(inv -> json("'Hello'"))
            .start(machine(task("'ResultPath':'$.master.detail',")), "e1", q("{'master':[0,1,2]}"));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("States.ResultPathMatchFailure");
    assertThat(ex.cause())
        .isEqualTo(
            "Unable to apply ResultPath '$.master.detail' to input '{\"master\":[0,1,2]}': "
                + "cannot set field 'detail' on a ARRAY");
  }

  @Test
  void inputPathAndOutputPathNullGiveEmptyObject() {
    Execution ex =
        runner(inv -> inv.parameters())
            .start(machine(task("'InputPath':null,'ResultPath':'$.seen',")), "e1", q("{'a':1}"));
    assertJson(ex.output(), "{'a':1,'seen':{}}");
    Execution out =
        runner(inv -> inv.parameters())
            .start(machine(task("'OutputPath':null,")), "e2", q("{'a':1}"));
    assertJson(out.output(), "{}");
  }

  @Test
  void missingInputPathAndMissingParameterPathAreRuntimeErrors() {
    Execution ex =
        runner(inv -> inv.parameters())
            .start(machine(task("'InputPath':'$.nope',")), "e1", q("{'a':1}"));
    assertThat(ex.error()).isEqualTo("States.Runtime");
    assertThat(ex.cause())
        .isEqualTo(
            "Invalid path '$.nope' : The InputPath '$.nope' could not be found in the input '{\"a\":1}'");

    Execution p =
        runner(inv -> inv.parameters())
            .start(machine(task("'Parameters':{'x.$':'$.nope'},")), "e2", q("{'a':1}"));
    assertThat(p.error()).isEqualTo("States.Runtime");
    assertThat(p.cause())
        .isEqualTo(
            "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{\"a\":1}'");
  }

  @Test
  void passStateResultParametersAndPaths() {
    StateMachine m =
        machine(
            "{'StartAt':'P1','States':{"
                + "'P1':{'Type':'Pass','Result':{'x-datum':0.381018,'y-datum':622.2269926397355},'ResultPath':'$.coords','Next':'P2'},"
                + "'P2':{'Type':'Pass','Parameters':{'sum.$':'$.coords','const':1},'ResultPath':'$.p','Next':'P3'},"
                + "'P3':{'Type':'Pass','InputPath':'$.p','OutputPath':'$.const','End':true}}}");
    Execution ex = runner(inv -> null).start(m, "e1", q("{'keep':true}"));
    assertJson(ex.output(), "1");
    assertJson(
        ex.history().stream()
            .filter(e -> e.stateName() != null && e.stateName().equals("P2") && e.output() != null)
            .findFirst()
            .orElseThrow()
            .output(),
        "{'keep':true,'coords':{'x-datum':0.381018,'y-datum':622.2269926397355},"
            + "'p':{'sum':{'x-datum':0.381018,'y-datum':622.2269926397355},'const':1}}");
  }

  @Test
  void contextObjectFields() {
    Execution ex =
        runner(inv -> inv.context())
            .start(machine(task("'ResultPath':'$.ctx',")), "ctx-run", q("{'a':1}"));
    JsonNode ctx = ex.output().get("ctx");
    assertThat(ctx.at("/Execution/Id").asText())
        .isEqualTo("arn:aws:states:local:000000000000:execution:state-machine:ctx-run");
    assertThat(ctx.at("/Execution/Name").asText()).isEqualTo("ctx-run");
    assertJson(ctx.at("/Execution/Input"), "{'a':1}");
    assertThat(ctx.at("/Execution/StartTime").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
    assertThat(ctx.at("/Execution/RedriveCount").asInt()).isZero();
    assertThat(ctx.at("/StateMachine/Name").asText()).isEqualTo("state-machine");
    assertThat(ctx.at("/State/Name").asText()).isEqualTo("T");
    assertThat(ctx.at("/State/EnteredTime").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
    assertThat(ctx.at("/State/RetryCount").asInt()).isZero();
  }

  @Test
  void jsonPathFeaturesInPaths() {
    Execution ex =
        runner(inv -> inv.parameters())
            .start(
                machine(
                    task(
                        "'Parameters':{'big.$':'$.items[?(@.p > 2)].p','all.$':'$..p','first.$':'$.items[0]'},")),
                "e1",
                q("{'items':[{'p':1},{'p':5},{'p':9}]}"));
    assertJson(ex.output(), "{'big':[5,9],'all':[1,5,9],'first':{'p':1}}");
  }
}
