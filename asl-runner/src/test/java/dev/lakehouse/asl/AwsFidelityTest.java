package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.asl.history.EventType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Behaviour decided against the Amazon States Language spec and the Step Functions developer guide
 * where the two (or the runner and AWS) could disagree. Each test names the source it follows.
 *
 * <p>"Recorded on AWS" means LocalStack's snapshot tests marked {@code @markers.aws.validated},
 * whose expected execution histories were recorded against real Step Functions
 * (github.com/localstack/localstack, files
 * tests/aws/services/stepfunctions/v2/**&#47;*.snapshot.json, dates in the matching
 * *.validation.json). Where AWS is undocumented and unrecorded, the runner takes the stricter side,
 * so a run that passes here passes on AWS.
 */
class AwsFidelityTest {
  /**
   * Retry and Catch on States.ALL plus every name the error could be thought to have: none may
   * apply.
   */
  private static final String CATCH_EVERYTHING =
      "'Retry':[{'ErrorEquals':['States.ALL']}],'Catch':["
          + "{'ErrorEquals':['States.Runtime','States.ParameterPathFailure','States.IntrinsicFailure'],'Next':'R'},"
          + "{'ErrorEquals':['States.ALL'],'Next':'R'}],";

  /**
   * Developer guide, "Fail workflow state": ErrorPath and CausePath may be an intrinsic that
   * returns a string.
   */
  @Test
  void failStateErrorPathAndCausePathTakeStringIntrinsics() {
    // Plain JSON: the intrinsics' own single quotes rule out the tests' single-quote shorthand.
    StateMachine m =
        AslLoader.load(
            """
        {"StartAt": "F", "States": {"F": {"Type": "Fail",
          "ErrorPath": "States.Format('{}.Rejected', $.source)",
          "CausePath": "States.Format('object {} of {} bytes', $.key, $.size)"}}}""",
            Map.of());

    Execution ex =
        Runner.builder().build().start(m, "e", q("{'source':'Orders','key':'a.csv','size':0}"));

    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("Orders.Rejected");
    assertThat(ex.cause()).isEqualTo("object a.csv of 0 bytes");
  }

  /**
   * The guide lists the allowed intrinsics (Format, JsonToString, ArrayGetItem, Base64*, Hash,
   * UUID): not others.
   */
  @Test
  void failStateErrorPathRejectsAnIntrinsicOutsideTheDocumentedList() {
    assertThatThrownBy(
            () ->
                machine(
                    "{'StartAt':'F','States':{'F':{'Type':'Fail',"
                        + "'ErrorPath':'States.MathAdd($.a, 1)'}}}"))
        .isInstanceOf(AslValidationException.class)
        .hasMessage(
            "State 'F': 'ErrorPath' cannot use States.MathAdd (allowed: States.ArrayGetItem, "
                + "States.Base64Decode, States.Base64Encode, States.Format, States.Hash, States.JsonToString, "
                + "States.UUID)");
  }

  /**
   * Developer guide: ToleratedFailurePercentage belongs to the Distributed Map; the runner has
   * inline Maps only.
   */
  @Test
  void toleratedFailurePercentageOnAnInlineMapIsRejectedAtLoad() {
    assertThatThrownBy(
            () ->
                machine(
                    "{'StartAt':'M','States':{'M':{'Type':'Map','ToleratedFailurePercentage':10,"
                        + "'ItemProcessor':{'StartAt':'A','States':{'A':{'Type':'Succeed'}}},'End':true}}}"))
        .isInstanceOf(AslValidationException.class)
        .hasMessage(
            "State 'M': unsupported field 'ToleratedFailurePercentage' "
                + "(distributed Map is not supported by the local runner)");
  }

  /**
   * A Parameters / ResultSelector path that selects nothing. Developer guide, "Handling errors in
   * Step Functions workflows"
   * (docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html) names it
   * States.ParameterPathFailure, but AWS raises States.Runtime ("The JSONPath '$.no_such_jsonpath'
   * specified for the field 'value.$' could not be found in the input ...": recorded on AWS
   * 2025-01-02, test_base_scenarios.snapshot.json,
   * test_invalid_jsonpath[INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH]; the AWS Step Functions
   * workshop shows the same error for a Task's Parameters). The same guide: "A States.Runtime error
   * is not retriable, and will always cause the execution to fail. A retry or catch on States.ALL
   * will not catch States.Runtime errors"; a catcher naming States.Runtime does not catch it either
   * (recorded on AWS 2023-11-23, test_catch_states_runtime).
   */
  @Test
  void missingParametersOrResultSelectorPathIsStatesRuntimeWhichNothingRetriesOrCatches() {
    Runner runner = Runner.builder().handler("arn:t", inv -> inv.parameters()).build();
    Execution parameters =
        runner.start(
            machine(
                "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:t',"
                    + "'Parameters':{'x.$':'$.nope'},"
                    + CATCH_EVERYTHING
                    + "'End':true},'R':{'Type':'Succeed'}}}"),
            "p",
            q("{'a':1}"));
    Execution selector =
        runner.start(
            machine(
                "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:t',"
                    + "'ResultSelector':{'y.$':'$.nope'},"
                    + CATCH_EVERYTHING
                    + "'End':true},'R':{'Type':'Succeed'}}}"),
            "s",
            q("{'a':1}"));

    assertThat(parameters.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(parameters.error()).isEqualTo("States.Runtime");
    assertThat(parameters.cause())
        .isEqualTo(
            "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{\"a\":1}'");
    assertThat(selector.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(selector.error()).isEqualTo("States.Runtime");
    assertThat(selector.cause())
        .isEqualTo(
            "The JSONPath '$.nope' specified for the field 'y.$' could not be found in the input '{\"a\":1}'");
    assertThat(parameters.history())
        .noneMatch(e -> e.type() == EventType.RetryScheduled || e.type() == EventType.ErrorCaught);
    assertThat(selector.history())
        .noneMatch(e -> e.type() == EventType.RetryScheduled || e.type() == EventType.ErrorCaught);
  }

  /**
   * An intrinsic failing at run time. The developer guide (concepts-error-handling.html) names it
   * States.IntrinsicFailure; no AWS recording shows which name AWS really raises, while for the
   * sibling payload-template failure above AWS raises States.Runtime instead of the documented
   * name. The runner raises States.Runtime: if AWS raised a catchable States.IntrinsicFailure, a
   * run could only fail here where it is caught there, never the reverse.
   */
  @Test
  void intrinsicFailingAtRunTimeIsStatesRuntimeWhichNothingRetriesOrCatches() {
    StateMachine m =
        machine(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:t',"
                + "'Parameters':{'x.$':'States.ArrayGetItem($.a, 5)'},"
                + CATCH_EVERYTHING
                + "'End':true},"
                + "'R':{'Type':'Succeed'}}}");

    Execution ex =
        Runner.builder()
            .handler("arn:t", inv -> inv.parameters())
            .build()
            .start(m, "e", q("{'a':[1]}"));

    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("States.Runtime");
    assertThat(ex.cause())
        .isEqualTo("States.ArrayGetItem index 5 is out of bounds for an array of size 1");
    assertThat(ex.history())
        .noneMatch(e -> e.type() == EventType.RetryScheduled || e.type() == EventType.ErrorCaught);
  }

  /**
   * IsNull (like every Choice rule but IsPresent) on a Variable that selects nothing is
   * States.Runtime, not false. Developer guide, "Choice workflow state"
   * (docs.aws.amazon.com/step-functions/latest/dg/state-choice.html): its IsPresent example exists
   * so that a rule on "$.keyThatMightNotExist" "is only evaluated when [it] exists". No AWS
   * recording covers a type test on a missing path; failing is the side that keeps local passes
   * true on AWS.
   */
  @ParameterizedTest
  @CsvSource({
    "IsNull,true",
    "IsNull,false",
    "IsString,false",
    "IsNumeric,false",
    "IsBoolean,false",
    "IsTimestamp,false"
  })
  void typeTestOnAMissingVariableIsStatesRuntime(String operator, boolean operand) {
    StateMachine m =
        machine(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.x','"
                + operator
                + "':"
                + operand
                + ",'Next':'Y'}],'Default':'Y'},'Y':{'Type':'Succeed'}}}");

    Execution ex = Runner.builder().build().start(m, "e", "{}");

    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("States.Runtime");
    assertThat(ex.cause())
        .isEqualTo(
            "Invalid path '$.x': the choice state's condition path references an invalid value.");
  }

  /**
   * States.BranchFailed is not a wildcard. Developer guide (concepts-error-handling.html) lists two
   * wildcards, States.ALL and States.TaskFailed; States.BranchFailed is "A branch of a Parallel
   * state failed" with no matching rule. A failed branch fails the Parallel state under the
   * branch's own error name, which its Catch matches (recorded on AWS: test_parallel_state_catch,
   * Catch on "FailureType"). So a catcher on States.BranchFailed does not catch a branch's error
   * (the runner never raises States.BranchFailed).
   */
  @Test
  void branchFailedIsNotAWildcardForABranchError() {
    String parallel =
        "{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':[{'StartAt':'B','States':{"
            + "'B':{'Type':'Fail','Error':'Bad.Item','Cause':'item 2'}}}],"
            + "'Catch':[{'ErrorEquals':['%s'],'ResultPath':'$.error','Next':'Handled'}],'End':true},"
            + "'Handled':{'Type':'Pass','End':true}}}";
    Runner runner = Runner.builder().build();

    Execution branchFailed =
        runner.start(machine(parallel.formatted("States.BranchFailed")), "bf", "{}");
    Execution ownName = runner.start(machine(parallel.formatted("Bad.Item")), "own", "{}");

    assertThat(branchFailed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(branchFailed.error()).isEqualTo("Bad.Item");
    assertThat(branchFailed.cause()).isEqualTo("item 2");
    assertThat(ownName.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(ownName.output(), "{'error':{'Error':'Bad.Item','Cause':'item 2'}}");
  }

  /**
   * Developer guide, "Intrinsic functions"
   * (docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html), States.MathAdd:
   * integers in -2147483648..2147483647, and a non-integer argument is rounded "off to the nearest
   * integer" (as LocalStack's math_add.py quotes the guide). AWS rounds halves up like Java's
   * Math.round (recorded on AWS 2023-09-13, test_math_operations.snapshot.json, test_math_add: 1.49
   * + 1.5 = 3, -1.5 + -1.51 = -3, 2.5 + 0 = 3, -2.5 + 0 = -2, -0.5 + 0 = 0), so non-integers are
   * not rejected at load time.
   */
  @ParameterizedTest
  @CsvSource({
    "-9,3,-6",
    "1.49,1.5,3",
    "-1.5,-1.51,-3",
    "2.5,0,3",
    "-2.5,0,-2",
    "-0.5,0,0",
    "-0.5,0.5,1"
  })
  void mathAddRoundsNonIntegerArgumentsLikeAws(String a, String b, int sum) {
    StateMachine m =
        machine(
            "{'StartAt':'P','States':{'P':{'Type':'Pass',"
                + "'Parameters':{'sum.$':'States.MathAdd($.a, $.b)'},'End':true}}}");

    Execution ex = Runner.builder().build().start(m, "e", "{\"a\":" + a + ",\"b\":" + b + "}");

    assertJson(ex.output(), "{'sum':" + sum + "}");
  }

  /**
   * Outside the documented range, or not a number: a run-time failure, or a load-time error for a
   * literal.
   */
  @Test
  void mathAddRejectsArgumentsOutsideTheIntegerRange() {
    StateMachine m =
        machine(
            "{'StartAt':'P','States':{'P':{'Type':'Pass',"
                + "'Parameters':{'sum.$':'States.MathAdd($.a, 1)'},'End':true}}}");

    Execution ex = Runner.builder().build().start(m, "e", q("{'a':2147483648}"));

    assertThat(ex.error()).isEqualTo("States.Runtime");
    assertThat(ex.cause())
        .isEqualTo(
            "States.MathAdd argument 1 must be within -2147483648..2147483647 but was 2147483648");
    assertThatThrownBy(
            () ->
                machine(
                    "{'StartAt':'P','States':{'P':{'Type':'Pass',"
                        + "'Parameters':{'sum.$':'States.MathAdd($.a, 3000000000)'},'End':true}}}"))
        .isInstanceOf(AslValidationException.class)
        .hasMessage(
            "State 'P': Parameters: field 'sum.$': States.MathAdd argument 2 must be within "
                + "-2147483648..2147483647 but was 3000000000");
  }
}
