package dev.lakehouse.asl.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A Choice rule: boolean combinators or a single data-test expression. */
public sealed interface ChoiceRule {

  record And(List<ChoiceRule> rules) implements ChoiceRule {}

  record Or(List<ChoiceRule> rules) implements ChoiceRule {}

  record Not(ChoiceRule rule) implements ChoiceRule {}

  /**
   * {@code Variable} compared with {@code operand} by {@code operator}; when {@code operandIsPath}
   * the operand is a path (the {@code ...Path} operator variants) read at run time.
   */
  record Comparison(String variable, Operator operator, JsonNode operand, boolean operandIsPath)
      implements ChoiceRule {}

  /** A top-level rule of the Choices array: only these carry a Next. */
  record Branch(ChoiceRule rule, String next) {}

  enum Operator {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp;

    public boolean isTypeTest() {
      return name().startsWith("Is");
    }

    /**
     * Whether a {@code <name>Path} variant exists (every comparison except StringMatches and Is*).
     */
    public boolean hasPathVariant() {
      return !isTypeTest() && this != StringMatches;
    }
  }
}
