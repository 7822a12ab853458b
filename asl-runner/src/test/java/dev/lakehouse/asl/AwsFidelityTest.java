package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behaviour decided against the Amazon States Language spec and the Step Functions developer guide where the two
 * (or the runner and AWS) could disagree. Each test names the source it follows.
 */
class AwsFidelityTest {

  /** Developer guide, "Fail workflow state": ErrorPath and CausePath may be an intrinsic that returns a string. */
  @Test
  void failStateErrorPathAndCausePathTakeStringIntrinsics() {
    // Plain JSON: the intrinsics' own single quotes rule out the tests' single-quote shorthand.
    StateMachine m = AslLoader.load("""
        {"StartAt": "F", "States": {"F": {"Type": "Fail",
          "ErrorPath": "States.Format('{}.Rejected', $.source)",
          "CausePath": "States.Format('object {} of {} bytes', $.key, $.size)"}}}""", Map.of());

    Execution ex = Runner.builder().build().start(m, "e", q("{'source':'Orders','key':'a.csv','size':0}"));

    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("Orders.Rejected");
    assertThat(ex.cause()).isEqualTo("object a.csv of 0 bytes");
  }

  /** The guide lists the allowed intrinsics (Format, JsonToString, ArrayGetItem, Base64*, Hash, UUID): not others. */
  @Test
  void failStateErrorPathRejectsAnIntrinsicOutsideTheDocumentedList() {
    assertThatThrownBy(() -> machine("{'StartAt':'F','States':{'F':{'Type':'Fail',"
        + "'ErrorPath':'States.MathAdd($.a, 1)'}}}"))
        .isInstanceOf(AslValidationException.class)
        .hasMessage("State 'F': 'ErrorPath' cannot use States.MathAdd (allowed: States.ArrayGetItem, "
            + "States.Base64Decode, States.Base64Encode, States.Format, States.Hash, States.JsonToString, "
            + "States.UUID)");
  }

  /** Developer guide: ToleratedFailurePercentage belongs to the Distributed Map; the runner has inline Maps only. */
  @Test
  void toleratedFailurePercentageOnAnInlineMapIsRejectedAtLoad() {
    assertThatThrownBy(() -> machine("{'StartAt':'M','States':{'M':{'Type':'Map','ToleratedFailurePercentage':10,"
        + "'ItemProcessor':{'StartAt':'A','States':{'A':{'Type':'Succeed'}}},'End':true}}}"))
        .isInstanceOf(AslValidationException.class)
        .hasMessage("State 'M': unsupported field 'ToleratedFailurePercentage' "
            + "(distributed Map is not supported by the local runner)");
  }
}
