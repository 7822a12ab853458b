package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every load-time rejection, with its exact message. */
class ValidationTest {

  private static String task(String extra) {
    return "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:x',"
        + extra
        + "'End':true}}}";
  }

  private static String map(String innerStates) {
    return "{'StartAt':'M','States':{'M':{'Type':'Map','ItemProcessor':{'StartAt':'A','States':{"
        + innerStates
        + "}},'End':true}}}";
  }

  static Stream<Arguments> invalidDefinitions() {
    return Stream.of(
        Arguments.of(
            "{'States':{'A':{'Type':'Succeed'}}}",
            "State machine: missing required field 'StartAt'"),
        Arguments.of(
            "{'StartAt':'X','States':{'A':{'Type':'Succeed'}}}",
            "State machine: StartAt 'X' is not a state"),
        Arguments.of(
            "{'StartAt':'A'}",
            "State machine: missing required field 'States' (a non-empty object)"),
        Arguments.of(
            "{'StartAt':'A','Foo':1,'States':{'A':{'Type':'Succeed'}}}",
            "State machine: unknown field 'Foo'"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Type':'Magic'}}}",
            "State 'A': unknown state Type 'Magic'"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Comment':'no type'}}}",
            "State 'A': missing required field 'Type'"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Type':'Pass'}}}",
            "State 'A': non-terminal state must have 'Next' or 'End: true'"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'B'}}}",
            "State 'A': Next 'B' is not a state"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','End':true,'Next':'B'},'B':{'Type':'Succeed'}}}",
            "State 'A': cannot have both 'End' and 'Next'"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Type':'Succeed'},'B':{'Type':'Succeed'}}}",
            "State 'B': state is unreachable from StartAt 'A'"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Foo':1,'End':true}}}",
            "State 'A': unknown field 'Foo' for a Pass state"),
        Arguments.of(
            "{'StartAt':'A','States':{'A':{'Type':'Succeed','Next':'A'}}}",
            "State 'A': unknown field 'Next' for a Succeed state"),
        Arguments.of(
            "{'StartAt':'M','States':{'M':{'Type':'Map','ItemReader':{},'ItemProcessor':{'StartAt':'A','States':{'A':{'Type':'Succeed'}}},'End':true}}}",
            "State 'M': unsupported field 'ItemReader' (distributed Map is not supported by the local runner)"),
        Arguments.of(
            "{'StartAt':'M','States':{'M':{'Type':'Map','ResultWriter':{},'ItemProcessor':{'StartAt':'A','States':{'A':{'Type':'Succeed'}}},'End':true}}}",
            "State 'M': unsupported field 'ResultWriter' (distributed Map is not supported by the local runner)"),
        Arguments.of(
            "{'StartAt':'M','States':{'M':{'Type':'Map','ItemProcessor':{'ProcessorConfig':{'Mode':'DISTRIBUTED'},'StartAt':'A','States':{'A':{'Type':'Succeed'}}},'End':true}}}",
            "State 'M': unsupported ProcessorConfig.Mode 'DISTRIBUTED' (only INLINE is supported; distributed Map is not)"),
        Arguments.of(
            task("'Credentials':{'RoleArn':'r'},"),
            "State 'T': unsupported field 'Credentials' (cross-account task credentials are not supported by the local runner)"),
        Arguments.of(
            "{'QueryLanguage':'JSONata','StartAt':'A','States':{'A':{'Type':'Succeed'}}}",
            "State machine: unsupported QueryLanguage 'JSONata' (only JSONPath is supported; JSONata is not)"),
        Arguments.of(
            task("'QueryLanguage':'JSONata',"),
            "State 'T': unsupported QueryLanguage 'JSONata' (only JSONPath is supported; JSONata is not)"),
        Arguments.of(
            task("'Arguments':{},"),
            "State 'T': unsupported field 'Arguments' (JSONata is not supported by the local runner)"),
        Arguments.of(
            task("'Assign':{},"),
            "State 'T': unsupported field 'Assign' (variables are not supported by the local runner)"),
        Arguments.of(
            "{'StartAt':'T','States':{'T':{'Type':'Task','End':true}}}",
            "State 'T': missing required field 'Resource'"),
        Arguments.of(
            task("'InputPath':'foo',"),
            "State 'T': 'InputPath': invalid path 'foo': a path must start with '$'"),
        Arguments.of(
            task("'OutputPath':'$$.Execution',"),
            "State 'T': 'OutputPath': invalid path '$$.Execution': context object paths ($$) are not allowed here"),
        Arguments.of(
            task("'ResultPath':'$.a[*]',"),
            "State 'T': 'ResultPath': '$.a[*]' is not a valid reference path: only field names and array indexes are allowed, found '[*]'"),
        Arguments.of(
            task("'Parameters':{'x.$':'States.Nope($)'},"),
            "State 'T': Parameters: field 'x.$': unknown intrinsic function 'States.Nope'"),
        Arguments.of(
            task("'ResultSelector':{'x.$':'hello'},"),
            "State 'T': ResultSelector: field 'x.$': 'hello' is neither a path (starting with $) nor an intrinsic function (States.*)"),
        Arguments.of(
            task("'Parameters':{'x.$':'States.ArrayLength()'},"),
            "State 'T': Parameters: field 'x.$': States.ArrayLength expects 1 argument(s) but got 0"),
        Arguments.of(
            task("'Parameters':{'x':1,'x.$':'$'},"),
            "State 'T': Parameters: fields 'x' and 'x.$' both present"),
        Arguments.of(
            task("'TimeoutSeconds':0,"), "State 'T': 'TimeoutSeconds' must be a positive integer"),
        Arguments.of(
            task("'Retry':[{'ErrorEquals':['States.ALL']},{'ErrorEquals':['E']}],"),
            "State 'T': Retry[0]: 'States.ALL' must be in the last retrier"),
        Arguments.of(
            task("'Retry':[{'ErrorEquals':['E','States.ALL']}],"),
            "State 'T': Retry[0]: 'States.ALL' must appear alone in ErrorEquals"),
        Arguments.of(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:x','End':true,"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'R'},{'ErrorEquals':['E'],'Next':'R'}]},'R':{'Type':'Succeed'}}}",
            "State 'T': Catch[0]: 'States.ALL' must be in the last catcher"),
        Arguments.of(
            task("'Retry':[{'ErrorEquals':['States.Tiemout']}],"),
            "State 'T': Retry[0]: unknown predefined error 'States.Tiemout'"),
        Arguments.of(
            task("'Retry':[{'ErrorEquals':[]}],"),
            "State 'T': Retry[0]: 'ErrorEquals' must be a non-empty array of error names"),
        Arguments.of(
            task("'Retry':[{'ErrorEquals':['E'],'BackoffRate':0.5}],"),
            "State 'T': Retry[0].BackoffRate must be a number >= 1.0"),
        Arguments.of(
            task("'Retry':[{'ErrorEquals':['E'],'IntervalSeconds':0}],"),
            "State 'T': 'Retry[0].IntervalSeconds' must be a positive integer"),
        Arguments.of(
            task("'Catch':[{'ErrorEquals':['E'],'Next':'Nope'}],"),
            "State 'T': Catch[0].Next 'Nope' is not a state"),
        Arguments.of(
            task("'Catch':[{'ErrorEquals':['E']}],"),
            "State 'T': Catch[0]: missing required field 'Next'"),
        Arguments.of(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Default':'C'}}}",
            "State 'C': Choice state must have a non-empty 'Choices' array"),
        Arguments.of(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a','NumericEquals':'x','Next':'C'}]}}}",
            "State 'C': Choices[0].NumericEquals must be a number, got \"x\""),
        Arguments.of(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a','Next':'C'}]}}}",
            "State 'C': Choices[0]: a choice rule must have exactly one of And, Or, Not or a comparison operator, found []"),
        Arguments.of(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Not':{'Variable':'$.a','IsNull':true,'Next':'C'},'Next':'C'}]}}}",
            "State 'C': Choices[0].Not: 'Next' is only allowed on top-level choice rules"),
        Arguments.of(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a','IsNull':true}]}}}",
            "State 'C': Choices[0]: a top-level choice rule must have 'Next'"),
        Arguments.of(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a','IsNull':true,'Next':'C'}],'Default':'Nope'}}}",
            "State 'C': Default 'Nope' is not a state"),
        Arguments.of(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'Timestamp':'2024-01-01T00:00:00Z','End':true}}}",
            "State 'W': Wait state must have exactly one of Seconds, Timestamp, SecondsPath, TimestampPath, found [Seconds, Timestamp]"),
        Arguments.of(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Timestamp':'tomorrow','End':true}}}",
            "State 'W': 'Timestamp' must be an RFC 3339 timestamp, got \"tomorrow\""),
        Arguments.of(
            "{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'E','ErrorPath':'$.e'}}}",
            "State 'F': cannot have both 'Error' and 'ErrorPath'"),
        Arguments.of(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':[],'End':true}}}",
            "State 'P': Parallel state must have a non-empty 'Branches' array"),
        Arguments.of(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':[{'States':{'A':{'Type':'Succeed'}}}],'End':true}}}",
            "State 'P' Branches[0]: missing required field 'StartAt'"),
        Arguments.of(
            "{'StartAt':'M','States':{'M':{'Type':'Map','End':true}}}",
            "State 'M': Map state must have an 'ItemProcessor' (or legacy 'Iterator')"),
        Arguments.of(
            map("'A':{'Type':'Pass','Next':'Nope'}"), "State 'M/A': Next 'Nope' is not a state"),
        Arguments.of(
            map("'A':{'Type':'Succeed'},'B':{'Type':'Succeed'}"),
            "State 'M/B': state is unreachable from StartAt 'A'"),
        Arguments.of(
            map("'A':{'Type':'Task','Resource':'arn:x','ItemReader':{},'End':true}"),
            "State 'M/A': unsupported field 'ItemReader' (distributed Map is not supported by the local runner)"),
        Arguments.of(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':[{'StartAt':'M','States':{"
                + "'M':{'Type':'Map','Iterator':{'StartAt':'X','States':{'X':{'Type':'Nope'}}},'End':true}}}],'End':true}}}",
            "State 'P/M/X': unknown state Type 'Nope'"));
  }

  @ParameterizedTest
  @MethodSource("invalidDefinitions")
  void rejectsWithExactMessage(String definition, String message) {
    assertThatThrownBy(() -> AslLoader.load(q(definition), Map.of()))
        .isInstanceOf(AslValidationException.class)
        .hasMessage(message);
  }

  @Test
  void invalidJsonPathSyntax() {
    assertThatThrownBy(() -> AslLoader.load(q(task("'InputPath':'$.a[',")), Map.of()))
        .isInstanceOf(AslValidationException.class)
        .hasMessage("State 'T': 'InputPath': invalid path '$.a[': unbalanced brackets");
    assertThatThrownBy(() -> AslLoader.load(q(task("'OutputPath':'$.a.',")), Map.of()))
        .isInstanceOf(AslValidationException.class)
        .hasMessage(
            "State 'T': 'OutputPath': invalid path '$.a.': Path must not end with a '.' or '..'");
    assertThatThrownBy(
            () ->
                AslLoader.load(
                    q(task("'Parameters':{'x.$':'States.ArrayLength($.a.)'},")), Map.of()))
        .isInstanceOf(AslValidationException.class)
        .hasMessage(
            "State 'T': Parameters: field 'x.$': invalid path '$.a.': Path must not end with a '.' or '..'");
  }

  @Test
  void invalidJson() {
    assertThatThrownBy(() -> AslLoader.load("{\"StartAt\": ", Map.of()))
        .isInstanceOf(AslValidationException.class)
        .hasMessageStartingWith("State machine: Invalid JSON: ");
  }

  @Test
  void unresolvedPlaceholderNamesTheStateAndField() {
    String def =
        q(
            "{'StartAt':'Route','States':{'Route':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
                + "'Parameters':{'FunctionName':'${RouterArn}','Other':'${Other}'},'End':true}}}");
    assertThatThrownBy(() -> AslLoader.load(def, Map.of()))
        .isInstanceOf(AslValidationException.class)
        .hasMessage(
            "State 'Route': unresolved placeholder ${RouterArn} at /States/Route/Parameters/FunctionName"
                + " (also unresolved: ${Other})");
    StateMachine ok = AslLoader.load(def, Map.of("RouterArn", "arn:r", "Other", "o"));
    assertThat(ok.definitionJson()).contains("\"FunctionName\":\"arn:r\"");
  }

  @Test
  void unregisteredResourceIsALoadTimeErrorWhenHandlersAreKnown() {
    TaskHandlers handlers = new TaskHandlers().register("arn:known", inv -> null);
    String def =
        q(
            "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:known','Next':'B'},"
                + "'B':{'Type':'Task','Resource':'arn:unknown','End':true}}}");
    assertThatThrownBy(() -> AslLoader.load("m", def, Map.of(), handlers))
        .isInstanceOf(AslValidationException.class)
        .hasMessage("State 'B': no task handler registered for resource 'arn:unknown'");
    assertThat(AslLoader.load(def, Map.of()).resources())
        .containsExactlyInAnyOrder("arn:known", "arn:unknown");
  }

  @Test
  void exceptionExposesLocationAndReason() {
    AslValidationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            AslValidationException.class,
            () -> AslLoader.load(q("{'StartAt':'A','States':{'A':{'Type':'Pass'}}}"), Map.of()));
    assertThat(e.location()).isEqualTo("State 'A'");
    assertThat(e.reason()).isEqualTo("non-terminal state must have 'Next' or 'End: true'");
  }
}
