package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.json.Intrinsics;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.model.StatesError;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {
  private static final JsonNode INPUT =
      json(
          "{'name':'Ada','n':3,'arr':[1,2,2,3],'obj':{'a':1,'b':{'c':2}},"
              + "'other':{'b':9,'d':4},'str':'{\\\"k\\\":[1,2]}','template':'{} and {}'}");
  private static final JsonNode CONTEXT = json("{'Execution':{'Name':'run-7'}}");

  private static JsonNode eval(String expression) {
    return Intrinsics.parse(expression).evaluate(INPUT, CONTEXT);
  }

  @Test
  void format() {
    assertThat(eval("States.Format('Hello, my name is {}.', $.name)").textValue())
        .isEqualTo("Hello, my name is Ada.");
    assertThat(eval("States.Format('{}-{}-{}', $.n, true, null)").textValue())
        .isEqualTo("3-true-null");
    assertThat(eval("States.Format('run {}', $$.Execution.Name)").textValue())
        .isEqualTo("run run-7");
    // \{ \} are literal braces, \' a literal quote
    assertThat(eval("States.Format('\\{\\} it\\'s {}', $.name)").textValue())
        .isEqualTo("{} it's Ada");
    assertThat(eval("States.Format($.template, 'x', 'y')").textValue()).isEqualTo("x and y");
    assertThat(eval("States.Format('nested {}', States.ArrayLength($.arr))").textValue())
        .isEqualTo("nested 4");
  }

  @Test
  void jsonConversions() {
    assertJson(eval("States.StringToJson($.str)"), "{'k':[1,2]}");
    assertThat(eval("States.JsonToString($.obj)").textValue())
        .isEqualTo("{\"a\":1,\"b\":{\"c\":2}}");
    assertJson(eval("States.StringToJson(States.JsonToString($.obj))"), "{'a':1,'b':{'c':2}}");
  }

  @Test
  void arrays() {
    assertJson(
        eval("States.Array('a', 1, $.n, true, null, States.Array())"), "['a',1,3,true,null,[]]");
    assertJson(eval("States.ArrayLength($.arr)"), "4");
    assertJson(eval("States.ArrayContains($.arr, 2)"), "true");
    assertJson(eval("States.ArrayContains($.arr, 7)"), "false");
    assertJson(eval("States.ArrayGetItem($.arr, 3)"), "3");
    assertJson(eval("States.ArrayPartition($.arr, 3)"), "[[1,2,2],[3]]");
    assertJson(eval("States.ArrayRange(1, 9, 2)"), "[1,3,5,7,9]");
    assertJson(eval("States.ArrayUnique($.arr)"), "[1,2,3]");
  }

  @Test
  void mathStringsHashesAndMerge() {
    assertJson(eval("States.MathAdd($.n, -1)"), "2");
    assertJson(eval("States.MathAdd(1.5, 1)"), "3");
    assertThat(eval("States.MathRandom(1, 999, 42)").asInt()).isBetween(1, 998);
    assertJson(eval("States.StringSplit('a,b;;c', ',;')"), "['a','b','c']");
    assertThat(eval("States.Base64Encode('Data to encode')").textValue())
        .isEqualTo("RGF0YSB0byBlbmNvZGU=");
    assertThat(eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')").textValue())
        .isEqualTo("Data to encode");
    assertThat(eval("States.Hash('input data', 'SHA-1')").textValue())
        .isEqualTo("aaff4a450a104cd177d28d18d74485e8cae074b7");
    assertJson(eval("States.JsonMerge($.obj, $.other, false)"), "{'a':1,'b':9,'d':4}");
    assertThat(eval("States.UUID()").textValue())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  @Test
  void runtimeFailuresAreStatesRuntime() {
    assertThatThrownBy(() -> eval("States.ArrayGetItem($.arr, 9)"))
        .isInstanceOf(StatesError.class)
        .hasMessage(
            "States.Runtime: States.ArrayGetItem index 9 is out of bounds for an array of size 4");
    assertThatThrownBy(() -> eval("States.Format('{} {}', 'only one')"))
        .hasMessage(
            "States.Runtime: States.Format template has more {} placeholders than arguments");
    assertThatThrownBy(() -> eval("States.JsonMerge($.obj, $.other, true)"))
        .hasMessage(
            "States.Runtime: States.JsonMerge only supports shallow merging: argument 3 must be false");
    assertThatThrownBy(() -> eval("States.ArrayLength($.name)"))
        .hasMessage(
            "States.Runtime: States.ArrayLength argument 1 must be an array but was \"Ada\"");
    assertThatThrownBy(() -> eval("States.StringToJson($.missing)"))
        .hasMessageStartingWith("States.Runtime: The JSONPath '$.missing' could not be found");
  }

  @Test
  void parseErrors() {
    assertThatThrownBy(() -> Intrinsics.parse("States.Nope(1)"))
        .hasMessage("unknown intrinsic function 'States.Nope'");
    assertThatThrownBy(() -> Intrinsics.parse("States.ArrayLength($.a, 2)"))
        .hasMessage("States.ArrayLength expects 1 argument(s) but got 2");
    assertThatThrownBy(() -> Intrinsics.parse("States.Format('abc"))
        .hasMessage(
            "invalid intrinsic function 'States.Format('abc' at position 18: unterminated string literal");
    assertThatThrownBy(() -> Intrinsics.parse("States.UUID() extra"))
        .hasMessage(
            "invalid intrinsic function 'States.UUID() extra' at position 14: unexpected text after the closing ')'");
  }

  @Test
  void pathArgumentsMayContainCommasAndParenthesesInFilters() {
    JsonNode input = json("{'items':[{'p':1,'n':'a,b'},{'p':5,'n':'c'}]}");
    JsonNode out =
        Intrinsics.parse("States.ArrayLength($.items[?(@.p > 2)])").evaluate(input, Json.object());
    assertJson(out, "1");
  }
}
