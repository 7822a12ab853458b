package dev.lakehouse.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.json.JsonPaths;
import dev.lakehouse.asl.model.ChoiceRule;
import dev.lakehouse.asl.model.ErrorNames;
import dev.lakehouse.asl.model.StatesError;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Evaluates Choice rules. Conventions (matching AWS): a rule whose Variable or operand path selects
 * nothing is a States.Runtime error, type tests (IsNull, IsString...) included; only IsPresent
 * tests presence, which is why the developer guide guards comparisons with it. A comparison against
 * a value of the wrong type is false.
 */
final class ChoiceEvaluator {
  private ChoiceEvaluator() {}

  static boolean matches(ChoiceRule rule, JsonNode input, JsonNode context) {
    if (rule instanceof ChoiceRule.And and) {
      return and.rules().stream().allMatch(r -> matches(r, input, context));
    }
    if (rule instanceof ChoiceRule.Or or) {
      return or.rules().stream().anyMatch(r -> matches(r, input, context));
    }
    if (rule instanceof ChoiceRule.Not not) {
      return !matches(not.rule(), input, context);
    }
    return compare((ChoiceRule.Comparison) rule, input, context);
  }

  private static boolean compare(ChoiceRule.Comparison c, JsonNode input, JsonNode context) {
    Optional<JsonNode> found = JsonPaths.read(c.variable(), input, context);
    ChoiceRule.Operator op = c.operator();
    if (op == ChoiceRule.Operator.IsPresent) {
      return found.isPresent() == c.operand().booleanValue();
    }
    JsonNode value =
        found.orElseThrow(
            () ->
                new StatesError(
                    ErrorNames.RUNTIME,
                    "Invalid path '"
                        + c.variable()
                        + "': the choice state's condition path references an invalid value."));
    if (op.isTypeTest()) {
      return typeTest(op, value) == c.operand().booleanValue();
    }
    JsonNode operand = c.operand();
    if (c.operandIsPath()) {
      operand =
          JsonPaths.read(operand.textValue(), input, context)
              .orElseThrow(
                  () ->
                      new StatesError(
                          ErrorNames.RUNTIME,
                          "Invalid path '"
                              + c.operand().textValue()
                              + "': the choice state's comparison path references an invalid value."));
    }
    String name = op.name();
    if (name.startsWith("String")) {
      if (!value.isTextual() || !operand.isTextual()) {
        return false;
      }
      if (op == ChoiceRule.Operator.StringMatches) {
        return wildcard(operand.textValue()).matcher(value.textValue()).matches();
      }
      return ordered(
          name.substring("String".length()), value.textValue().compareTo(operand.textValue()));
    }
    if (name.startsWith("Numeric")) {
      if (!value.isNumber() || !operand.isNumber()) {
        return false;
      }
      return ordered(
          name.substring("Numeric".length()),
          value.decimalValue().compareTo(operand.decimalValue()));
    }
    if (name.startsWith("Boolean")) {
      return value.isBoolean()
          && operand.isBoolean()
          && value.booleanValue() == operand.booleanValue();
    }
    // Timestamp*
    Optional<Instant> left =
        value.isTextual() ? Json.parseTimestamp(value.textValue()) : Optional.empty();
    Optional<Instant> right =
        operand.isTextual() ? Json.parseTimestamp(operand.textValue()) : Optional.empty();
    if (left.isEmpty() || right.isEmpty()) {
      return false;
    }
    return ordered(name.substring("Timestamp".length()), left.get().compareTo(right.get()));
  }

  private static boolean ordered(String relation, int cmp) {
    return switch (relation) {
      case "Equals" -> cmp == 0;
      case "LessThan" -> cmp < 0;
      case "GreaterThan" -> cmp > 0;
      case "LessThanEquals" -> cmp <= 0;
      case "GreaterThanEquals" -> cmp >= 0;
      default -> throw new IllegalStateException(relation);
    };
  }

  private static boolean typeTest(ChoiceRule.Operator op, JsonNode v) {
    return switch (op) {
      case IsNull -> v.isNull();
      case IsNumeric -> v.isNumber();
      case IsString -> v.isTextual();
      case IsBoolean -> v.isBoolean();
      case IsTimestamp -> v.isTextual() && Json.parseTimestamp(v.textValue()).isPresent();
      default -> throw new IllegalStateException(op.name());
    };
  }

  /** StringMatches: '*' matches any run of characters; '\*' and '\\' are literal. */
  static Pattern wildcard(String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        literal.append(pattern.charAt(++i));
      } else if (c == '*') {
        regex.append(Pattern.quote(literal.toString())).append(".*");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    regex.append(Pattern.quote(literal.toString()));
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
