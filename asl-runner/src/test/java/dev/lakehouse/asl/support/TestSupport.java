package dev.lakehouse.asl.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.AslLoader;
import dev.lakehouse.asl.StateMachine;
import dev.lakehouse.asl.json.Json;
import java.util.Comparator;
import java.util.Map;

public final class TestSupport {
  /** Numbers compare by value (an IntNode 7 equals a LongNode 7), everything else structurally. */
  private static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private TestSupport() {}

  /**
   * Definitions in tests use single quotes for readability; they are turned into JSON double
   * quotes.
   */
  public static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  public static StateMachine machine(String singleQuotedDefinition) {
    return AslLoader.load(q(singleQuotedDefinition), Map.of());
  }

  public static JsonNode json(String singleQuoted) {
    return Json.parse(q(singleQuoted));
  }

  public static void assertJson(JsonNode actual, String expectedSingleQuoted) {
    JsonNode expected = json(expectedSingleQuoted);
    assertThat(actual.equals(NUMERIC, expected))
        .as(
            "expected %s but was %s",
            Json.write(expected), actual == null ? null : Json.write(actual))
        .isTrue();
  }
}
