package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.history.EventType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChoiceTest {
  private final Runner runner = Runner.builder().build();

  /** Which terminal state an execution ended in (each branch target is a Succeed state). */
  private static String endState(Execution ex) {
    return ex.history().stream()
        .filter(e -> e.type() == EventType.StateEntered)
        .reduce((a, b) -> b)
        .orElseThrow()
        .stateName();
  }

  private static final String SPEC_EXAMPLE =
      """
          {"StartAt":"ChoiceStateX","States":{
            "ChoiceStateX":{"Type":"Choice","Choices":[
              {"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"},
              {"And":[
                {"Variable":"$.value","IsPresent":true},
                {"Variable":"$.value","IsNumeric":true},
                {"Variable":"$.value","NumericGreaterThanEquals":20},
                {"Variable":"$.value","NumericLessThan":30}],
               "Next":"ValueInTwenties"},
              {"Variable":"$.rating","NumericGreaterThanPath":"$.auditThreshold","Next":"StartAudit"}],
             "Default":"RecordEvent"},
            "Public":{"Type":"Succeed"},"ValueInTwenties":{"Type":"Succeed"},
            "StartAudit":{"Type":"Succeed"},"RecordEvent":{"Type":"Succeed"}}}""";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'type':'Public'}|Public",
        "{'type':'Private','value':25}|ValueInTwenties",
        "{'type':'Private','value':35,'rating':53,'auditThreshold':50}|StartAudit",
        "{'type':'Private','value':35,'rating':40,'auditThreshold':50}|RecordEvent",
        "{'type':'Private','value':'25','rating':1,'auditThreshold':50}|RecordEvent"
      })
  void specExample(String input, String expected) {
    Execution ex =
        runner.start(dev.lakehouse.asl.AslLoader.load(SPEC_EXAMPLE, Map.of()), null, q(input));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(endState(ex)).isEqualTo(expected);
    assertThat(ex.output().toString()).isEqualTo(q(input));
  }

  private String choose(String rule, String input) {
    StateMachine m =
        machine(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
                + rule
                + "],'Default':'No'},'Yes':{'Type':'Succeed'},'No':{'Type':'Succeed'}}}");
    Execution ex = runner.start(m, null, q(input));
    assertThat(ex.status()).as(ex.toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
    return endState(ex);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'Variable':'$.s','StringEquals':'abc','Next':'Yes'}|{'s':'abc'}|Yes",
        "{'Variable':'$.s','StringEqualsPath':'$.t','Next':'Yes'}|{'s':'abc','t':'abc'}|Yes",
        "{'Variable':'$.s','StringLessThan':'abd','Next':'Yes'}|{'s':'abc'}|Yes",
        "{'Variable':'$.s','StringGreaterThanEquals':'abc','Next':'Yes'}|{'s':'abc'}|Yes",
        "{'Variable':'$.s','StringMatches':'log-*.txt','Next':'Yes'}|{'s':'log-2024-01.txt'}|Yes",
        "{'Variable':'$.s','StringMatches':'log-*.txt','Next':'Yes'}|{'s':'log-2024-01.csv'}|No",
        "{'Variable':'$.s','StringMatches':'a\\\\*b','Next':'Yes'}|{'s':'a*b'}|Yes",
        "{'Variable':'$.s','StringMatches':'a\\\\*b','Next':'Yes'}|{'s':'axb'}|No",
        "{'Variable':'$.n','NumericEquals':1,'Next':'Yes'}|{'n':1.0}|Yes",
        "{'Variable':'$.n','NumericLessThanEqualsPath':'$.m','Next':'Yes'}|{'n':2,'m':2}|Yes",
        "{'Variable':'$.n','NumericGreaterThan':1,'Next':'Yes'}|{'n':'5'}|No",
        "{'Variable':'$.b','BooleanEquals':false,'Next':'Yes'}|{'b':false}|Yes",
        "{'Variable':'$.b','BooleanEqualsPath':'$.c','Next':'Yes'}|{'b':true,'c':true}|Yes",
        "{'Variable':'$.t','TimestampEquals':'2024-01-01T01:00:00+01:00','Next':'Yes'}|{'t':'2024-01-01T00:00:00Z'}|Yes",
        "{'Variable':'$.t','TimestampLessThan':'2024-01-01T00:00:00Z','Next':'Yes'}|{'t':'2023-12-31T23:59:59Z'}|Yes",
        "{'Variable':'$.t','TimestampGreaterThanPath':'$.u','Next':'Yes'}|{'t':'2024-01-02T00:00:00Z','u':'2024-01-01T00:00:00Z'}|Yes",
        "{'Variable':'$.t','TimestampGreaterThanEquals':'2024-01-01T00:00:00Z','Next':'Yes'}|{'t':'not a time'}|No",
        "{'Variable':'$.x','IsPresent':false,'Next':'Yes'}|{}|Yes",
        "{'Variable':'$.x','IsNull':true,'Next':'Yes'}|{'x':null}|Yes",
        "{'Variable':'$.x','IsString':true,'Next':'Yes'}|{'x':'s'}|Yes",
        "{'Variable':'$.x','IsNumeric':true,'Next':'Yes'}|{'x':'1'}|No",
        "{'Variable':'$.x','IsBoolean':true,'Next':'Yes'}|{'x':true}|Yes",
        "{'Variable':'$.x','IsTimestamp':true,'Next':'Yes'}|{'x':'2016-03-14T01:59:00Z'}|Yes",
        "{'Or':[{'Variable':'$.a','NumericEquals':1},{'Variable':'$.a','NumericEquals':2}],'Next':'Yes'}|{'a':2}|Yes",
        "{'And':[{'Variable':'$.a','IsPresent':true},{'Variable':'$.a','NumericEquals':2}],'Next':'Yes'}|{}|No",
        "{'Variable':'$$.Execution.Input.a','NumericEquals':2,'Next':'Yes'}|{'a':2}|Yes"
      })
  void operators(String rule, String input, String expected) {
    assertThat(choose(rule, input)).isEqualTo(expected);
  }

  @Test
  void noMatchWithoutDefaultIsNoChoiceMatched() {
    StateMachine m =
        machine(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
                + "{'Variable':'$.a','NumericEquals':1,'Next':'Yes'}]},'Yes':{'Type':'Succeed'}}}");
    Execution ex = runner.start(m, null, q("{'a':2}"));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("States.NoChoiceMatched");
    assertThat(ex.cause())
        .isEqualTo("No Choice Rule matched and no Default is specified in state 'C'");
  }

  @Test
  void comparingAMissingVariableIsRuntimeError() {
    StateMachine m =
        machine(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
                + "{'Variable':'$.a','NumericEquals':1,'Next':'Yes'}],'Default':'Yes'},'Yes':{'Type':'Succeed'}}}");
    Execution ex = runner.start(m, null, "{}");
    assertThat(ex.error()).isEqualTo("States.Runtime");
    assertThat(ex.cause())
        .isEqualTo(
            "Invalid path '$.a': the choice state's condition path references an invalid value.");
  }

  @Test
  void choiceAppliesInputPathAndOutputPath() {
    StateMachine m =
        machine(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','InputPath':'$.in','OutputPath':'$.v',"
                + "'Choices':[{'Variable':'$.v','NumericEquals':1,'Next':'Yes'}]},'Yes':{'Type':'Succeed'}}}");
    assertThat(runner.start(m, null, q("{'in':{'v':1}}")).output().asInt()).isEqualTo(1);
  }
}
