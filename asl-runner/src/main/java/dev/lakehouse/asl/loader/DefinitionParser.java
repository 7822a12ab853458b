package dev.lakehouse.asl.loader;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.AslValidationException;
import dev.lakehouse.asl.json.Intrinsics;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.json.JsonPaths;
import dev.lakehouse.asl.json.PayloadTemplate;
import dev.lakehouse.asl.json.ReferencePath;
import dev.lakehouse.asl.model.Catcher;
import dev.lakehouse.asl.model.ChoiceRule;
import dev.lakehouse.asl.model.ErrorNames;
import dev.lakehouse.asl.model.Io;
import dev.lakehouse.asl.model.Retrier;
import dev.lakehouse.asl.model.State;
import dev.lakehouse.asl.model.StateGraph;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a parsed ASL document into the validated {@link StateGraph} model. Every rule of the spec
 * that can be checked statically is checked here, so a definition that loads can only fail for data
 * reasons. Fails fast on the first problem with an {@link AslValidationException} naming the state.
 */
public final class DefinitionParser {

  private static final Set<String> COMMON = Set.of("Type", "Comment");
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "Task",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "Parameters",
                  "ResultSelector",
                  "ResultPath",
                  "Retry",
                  "Catch",
                  "Resource",
                  "TimeoutSeconds",
                  "TimeoutSecondsPath",
                  "HeartbeatSeconds",
                  "HeartbeatSecondsPath"),
          "Pass",
              Set.of(
                  "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result"),
          "Choice", Set.of("InputPath", "OutputPath", "Choices", "Default"),
          "Wait",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "Seconds",
                  "Timestamp",
                  "SecondsPath",
                  "TimestampPath"),
          "Succeed", Set.of("InputPath", "OutputPath"),
          "Fail", Set.of("Error", "ErrorPath", "Cause", "CausePath"),
          "Parallel",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "Parameters",
                  "ResultSelector",
                  "ResultPath",
                  "Retry",
                  "Catch",
                  "Branches"),
          "Map",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "ItemsPath",
                  "ItemSelector",
                  "Parameters",
                  "ResultSelector",
                  "ResultPath",
                  "Retry",
                  "Catch",
                  "ItemProcessor",
                  "Iterator",
                  "MaxConcurrency"));

  /**
   * Real ASL fields this runner deliberately does not implement: rejected rather than silently
   * ignored.
   */
  private static final Map<String, String> UNSUPPORTED =
      Map.ofEntries(
          Map.entry("ItemReader", "distributed Map is not supported by the local runner"),
          Map.entry("ItemBatcher", "distributed Map is not supported by the local runner"),
          Map.entry("ResultWriter", "distributed Map is not supported by the local runner"),
          Map.entry(
              "ToleratedFailurePercentage", "distributed Map is not supported by the local runner"),
          Map.entry(
              "ToleratedFailurePercentagePath",
              "distributed Map is not supported by the local runner"),
          Map.entry(
              "ToleratedFailureCount", "distributed Map is not supported by the local runner"),
          Map.entry(
              "ToleratedFailureCountPath", "distributed Map is not supported by the local runner"),
          Map.entry("Label", "distributed Map is not supported by the local runner"),
          Map.entry("MaxConcurrencyPath", "use a literal MaxConcurrency"),
          Map.entry(
              "Credentials",
              "cross-account task credentials are not supported by the local runner"),
          Map.entry("QueryLanguage", "only JSONPath is supported; JSONata is not"),
          Map.entry("Arguments", "JSONata is not supported by the local runner"),
          Map.entry("Output", "JSONata is not supported by the local runner"),
          Map.entry("Items", "JSONata is not supported by the local runner"),
          Map.entry("Assign", "variables are not supported by the local runner"));

  private static final Set<String> TOP_LEVEL =
      Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage");

  private final Map<String, String> resources = new TreeMap<>();

  /** Task resources seen anywhere in the definition, mapped to the first state using each one. */
  public Map<String, String> resources() {
    return resources;
  }

  public StateGraph parseTopLevel(JsonNode root) {
    String where = "State machine";
    if (!root.isObject()) {
      throw new AslValidationException(where, "the definition must be a JSON object");
    }
    checkQueryLanguage(root, where);
    for (String field : names(root)) {
      if (!TOP_LEVEL.contains(field)) {
        throw new AslValidationException(where, "unknown field '" + field + "'");
      }
    }
    Integer timeout =
        root.has("TimeoutSeconds") ? positiveInt(root, "TimeoutSeconds", where) : null;
    return parseGraph(root, "", where, timeout);
  }

  // ---------------------------------------------------------------- graphs

  private StateGraph parseGraph(
      JsonNode node, String prefix, String where, Integer timeoutSeconds) {
    if (!node.hasNonNull("StartAt")) {
      throw new AslValidationException(where, "missing required field 'StartAt'");
    }
    if (!node.get("StartAt").isTextual()) {
      throw new AslValidationException(where, "'StartAt' must be a string");
    }
    JsonNode statesNode = node.get("States");
    if (statesNode == null || !statesNode.isObject() || statesNode.isEmpty()) {
      throw new AslValidationException(
          where, "missing required field 'States' (a non-empty object)");
    }
    String startAt = node.get("StartAt").textValue();
    Map<String, State> states = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      states.put(e.getKey(), parseState(e.getKey(), e.getValue(), prefix));
    }
    if (!states.containsKey(startAt)) {
      throw new AslValidationException(where, "StartAt '" + startAt + "' is not a state");
    }
    StateGraph graph =
        new StateGraph(startAt, Collections.unmodifiableMap(states), timeoutSeconds, prefix);
    checkTransitions(graph, states);
    checkReachability(graph, states);
    return graph;
  }

  private static void checkTransitions(StateGraph graph, Map<String, State> states) {
    for (State state : states.values()) {
      String where = stateLocation(graph.location(), state.name());
      for (Map.Entry<String, String> t : transitions(state).entrySet()) {
        if (!states.containsKey(t.getValue())) {
          throw new AslValidationException(
              where, t.getKey() + " '" + t.getValue() + "' is not a state");
        }
      }
    }
  }

  private static void checkReachability(StateGraph graph, Map<String, State> states) {
    Set<String> reached = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(List.of(graph.startAt()));
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      if (reached.add(name)) {
        todo.addAll(transitions(states.get(name)).values());
      }
    }
    for (String name : states.keySet()) {
      if (!reached.contains(name)) {
        throw new AslValidationException(
            stateLocation(graph.location(), name),
            "state is unreachable from StartAt '" + graph.startAt() + "'");
      }
    }
  }

  /** Every outgoing edge of a state, keyed by the field that declares it (for error messages). */
  private static Map<String, String> transitions(State state) {
    Map<String, String> edges = new LinkedHashMap<>();
    // (No pattern-matching switch: that is Java 21, this project targets 17.)
    if (state instanceof State.Task s) {
      addNext(edges, s.next());
      addCatchers(edges, s.catchers());
    } else if (state instanceof State.Pass s) {
      addNext(edges, s.next());
    } else if (state instanceof State.Wait s) {
      addNext(edges, s.next());
    } else if (state instanceof State.Parallel s) {
      addNext(edges, s.next());
      addCatchers(edges, s.catchers());
    } else if (state instanceof State.Map s) {
      addNext(edges, s.next());
      addCatchers(edges, s.catchers());
    } else if (state instanceof State.Choice s) {
      for (int i = 0; i < s.choices().size(); i++) {
        edges.put("Choices[" + i + "].Next", s.choices().get(i).next());
      }
      if (s.defaultNext() != null) {
        edges.put("Default", s.defaultNext());
      }
    }
    return edges;
  }

  private static void addNext(Map<String, String> edges, String next) {
    if (next != null) {
      edges.put("Next", next);
    }
  }

  private static void addCatchers(Map<String, String> edges, List<Catcher> catchers) {
    for (int i = 0; i < catchers.size(); i++) {
      edges.put("Catch[" + i + "].Next", catchers.get(i).next());
    }
  }

  private static String stateLocation(String prefix, String name) {
    return "State '" + prefix + name + "'";
  }

  // ---------------------------------------------------------------- states

  private State parseState(String name, JsonNode node, String prefix) {
    String where = stateLocation(prefix, name);
    if (!node.isObject()) {
      throw new AslValidationException(where, "a state must be a JSON object");
    }
    if (!node.hasNonNull("Type")) {
      throw new AslValidationException(where, "missing required field 'Type'");
    }
    String type = node.get("Type").asText();
    Set<String> allowed = FIELDS.get(type);
    if (allowed == null) {
      throw new AslValidationException(where, "unknown state Type '" + type + "'");
    }
    checkQueryLanguage(node, where);
    for (String field : names(node)) {
      if (COMMON.contains(field) || allowed.contains(field)) {
        continue;
      }
      String unsupported = UNSUPPORTED.get(field);
      if (unsupported != null) {
        throw new AslValidationException(
            where, "unsupported field '" + field + "' (" + unsupported + ")");
      }
      throw new AslValidationException(
          where, "unknown field '" + field + "' for a " + type + " state");
    }
    return switch (type) {
      case "Task" -> parseTask(name, node, where);
      case "Pass" ->
          new State.Pass(name, parseIo(node, where), node.get("Result"), next(node, where));
      case "Choice" -> parseChoice(name, node, where);
      case "Wait" -> parseWait(name, node, where);
      case "Succeed" -> new State.Succeed(name, parseIo(node, where));
      case "Fail" -> parseFail(name, node, where);
      case "Parallel" -> parseParallel(name, node, where, prefix);
      case "Map" -> parseMap(name, node, where, prefix);
      default -> throw new IllegalStateException(type);
    };
  }

  private static void checkQueryLanguage(JsonNode node, String where) {
    JsonNode ql = node.get("QueryLanguage");
    if (ql != null && !"JSONPath".equals(ql.asText())) {
      throw new AslValidationException(
          where,
          "unsupported QueryLanguage '"
              + ql.asText()
              + "' (only JSONPath is supported; JSONata is not)");
    }
  }

  /** Next/End rule for the states that transition: exactly one of Next and End: true. */
  private static String next(JsonNode node, String where) {
    boolean end = node.has("End") && node.get("End").asBoolean(false);
    if (node.has("End") && !node.get("End").isBoolean()) {
      throw new AslValidationException(where, "'End' must be a boolean");
    }
    JsonNode next = node.get("Next");
    if (end && next != null) {
      throw new AslValidationException(where, "cannot have both 'End' and 'Next'");
    }
    if (!end && next == null) {
      throw new AslValidationException(where, "non-terminal state must have 'Next' or 'End: true'");
    }
    if (next != null && !next.isTextual()) {
      throw new AslValidationException(where, "'Next' must be a string");
    }
    return end ? null : next.textValue();
  }

  private static Io parseIo(JsonNode node, String where) {
    return new Io(
        path(node, "InputPath", where),
        template(node, "Parameters", where),
        template(node, "ResultSelector", where),
        resultPath(node, "ResultPath", where),
        path(node, "OutputPath", where));
  }

  /** Absent → "$"; explicit null → null (meaning {}); otherwise a validated Path. */
  private static String path(JsonNode node, String field, String where) {
    if (!node.has(field)) {
      return "$";
    }
    JsonNode value = node.get(field);
    if (value.isNull()) {
      return null;
    }
    return validPath(value, field, where, false);
  }

  private static String validPath(
      JsonNode value, String field, String where, boolean allowContext) {
    if (!value.isTextual()) {
      throw new AslValidationException(where, "'" + field + "' must be a string path");
    }
    try {
      JsonPaths.validate(value.textValue(), allowContext);
    } catch (IllegalArgumentException e) {
      throw new AslValidationException(where, "'" + field + "': " + e.getMessage(), e);
    }
    return value.textValue();
  }

  private static ReferencePath resultPath(JsonNode node, String field, String where) {
    if (!node.has(field)) {
      return ReferencePath.ROOT;
    }
    JsonNode value = node.get(field);
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new AslValidationException(where, "'" + field + "' must be a string or null");
    }
    try {
      return ReferencePath.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw new AslValidationException(where, "'" + field + "': " + e.getMessage(), e);
    }
  }

  private static PayloadTemplate template(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (field.equals("ResultSelector") && !value.isObject()) {
      throw new AslValidationException(where, "'ResultSelector' must be a JSON object");
    }
    try {
      return PayloadTemplate.compile(value);
    } catch (IllegalArgumentException e) {
      throw new AslValidationException(where, field + ": " + e.getMessage(), e);
    }
  }

  private State parseTask(String name, JsonNode node, String where) {
    JsonNode resource = node.get("Resource");
    if (resource == null || !resource.isTextual() || resource.textValue().isBlank()) {
      throw new AslValidationException(where, "missing required field 'Resource'");
    }
    resources.putIfAbsent(resource.textValue(), where);
    exclusive(node, where, "TimeoutSeconds", "TimeoutSecondsPath");
    exclusive(node, where, "HeartbeatSeconds", "HeartbeatSecondsPath");
    Integer timeout =
        node.has("TimeoutSeconds") ? positiveInt(node, "TimeoutSeconds", where) : null;
    String timeoutPath =
        node.has("TimeoutSecondsPath")
            ? validPath(node.get("TimeoutSecondsPath"), "TimeoutSecondsPath", where, false)
            : null;
    Integer heartbeat =
        node.has("HeartbeatSeconds") ? positiveInt(node, "HeartbeatSeconds", where) : null;
    if (node.has("HeartbeatSecondsPath")) {
      validPath(node.get("HeartbeatSecondsPath"), "HeartbeatSecondsPath", where, false);
    }
    return new State.Task(
        name,
        parseIo(node, where),
        resource.textValue(),
        timeout,
        timeoutPath,
        heartbeat,
        retriers(node, where),
        catchers(node, where),
        next(node, where));
  }

  private State parseChoice(String name, JsonNode node, String where) {
    JsonNode choices = node.get("Choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      throw new AslValidationException(where, "Choice state must have a non-empty 'Choices' array");
    }
    List<ChoiceRule.Branch> branches = new ArrayList<>();
    for (int i = 0; i < choices.size(); i++) {
      String ruleWhere = "Choices[" + i + "]";
      JsonNode rule = choices.get(i);
      JsonNode next = rule.get("Next");
      if (next == null || !next.isTextual()) {
        throw new AslValidationException(
            where, ruleWhere + ": a top-level choice rule must have 'Next'");
      }
      branches.add(
          new ChoiceRule.Branch(parseRule(rule, where, ruleWhere, true), next.textValue()));
    }
    JsonNode defaultNext = node.get("Default");
    if (defaultNext != null && !defaultNext.isTextual()) {
      throw new AslValidationException(where, "'Default' must be a state name");
    }
    return new State.Choice(
        name,
        parseIo(node, where),
        List.copyOf(branches),
        defaultNext == null ? null : defaultNext.textValue());
  }

  private static ChoiceRule parseRule(
      JsonNode rule, String where, String ruleWhere, boolean topLevel) {
    if (!rule.isObject()) {
      throw new AslValidationException(where, ruleWhere + ": a choice rule must be a JSON object");
    }
    List<String> operators = new ArrayList<>();
    for (String field : names(rule)) {
      switch (field) {
        case "Variable", "Comment" -> {}
        case "Next" -> {
          if (!topLevel) {
            throw new AslValidationException(
                where, ruleWhere + ": 'Next' is only allowed on top-level choice rules");
          }
        }
        case "And", "Or", "Not" -> operators.add(field);
        default -> {
          if (operatorOf(field) == null) {
            throw new AslValidationException(where, ruleWhere + ": unknown field '" + field + "'");
          }
          operators.add(field);
        }
      }
    }
    if (operators.size() != 1) {
      throw new AslValidationException(
          where,
          ruleWhere
              + ": a choice rule must have exactly one of And, Or, Not or a comparison operator, found "
              + operators);
    }
    String op = operators.get(0);
    JsonNode value = rule.get(op);
    if (op.equals("And") || op.equals("Or")) {
      if (!value.isArray() || value.isEmpty()) {
        throw new AslValidationException(
            where, ruleWhere + "." + op + " must be a non-empty array of rules");
      }
      List<ChoiceRule> rules = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        rules.add(parseRule(value.get(i), where, ruleWhere + "." + op + "[" + i + "]", false));
      }
      if (rule.has("Variable")) {
        throw new AslValidationException(
            where, ruleWhere + ": 'Variable' is not allowed with " + op);
      }
      return op.equals("And")
          ? new ChoiceRule.And(List.copyOf(rules))
          : new ChoiceRule.Or(List.copyOf(rules));
    }
    if (op.equals("Not")) {
      if (rule.has("Variable")) {
        throw new AslValidationException(where, ruleWhere + ": 'Variable' is not allowed with Not");
      }
      return new ChoiceRule.Not(parseRule(value, where, ruleWhere + ".Not", false));
    }
    if (!rule.has("Variable")) {
      throw new AslValidationException(where, ruleWhere + ": missing 'Variable' for " + op);
    }
    String variable = validPath(rule.get("Variable"), ruleWhere + ".Variable", where, true);
    ChoiceRule.Operator operator = operatorOf(op);
    boolean isPath = !op.equals(operator.name());
    if (isPath) {
      validPath(value, ruleWhere + "." + op, where, true);
    } else {
      checkOperand(operator, value, where, ruleWhere + "." + op);
    }
    return new ChoiceRule.Comparison(variable, operator, value, isPath);
  }

  private static ChoiceRule.Operator operatorOf(String field) {
    for (ChoiceRule.Operator op : ChoiceRule.Operator.values()) {
      if (op.name().equals(field) || (op.hasPathVariant() && (op.name() + "Path").equals(field))) {
        return op;
      }
    }
    return null;
  }

  private static void checkOperand(
      ChoiceRule.Operator op, JsonNode value, String where, String field) {
    String name = op.name();
    boolean ok;
    String expected;
    if (op.isTypeTest() || name.startsWith("Boolean")) {
      ok = value.isBoolean();
      expected = "a boolean";
    } else if (name.startsWith("String")) {
      ok = value.isTextual();
      expected = "a string";
    } else if (name.startsWith("Numeric")) {
      ok = value.isNumber();
      expected = "a number";
    } else {
      ok = value.isTextual() && Json.parseTimestamp(value.textValue()).isPresent();
      expected = "an RFC 3339 timestamp string";
    }
    if (!ok) {
      throw new AslValidationException(where, field + " must be " + expected + ", got " + value);
    }
  }

  private static State parseWait(String name, JsonNode node, String where) {
    List<String> present = new ArrayList<>();
    for (String f : List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")) {
      if (node.has(f)) {
        present.add(f);
      }
    }
    if (present.size() != 1) {
      throw new AslValidationException(
          where,
          "Wait state must have exactly one of Seconds, Timestamp, SecondsPath, TimestampPath, found "
              + present);
    }
    Long seconds = null;
    Instant timestamp = null;
    String secondsPath = null;
    String timestampPath = null;
    switch (present.get(0)) {
      case "Seconds" -> {
        JsonNode v = node.get("Seconds");
        if (!v.canConvertToExactIntegral() || v.asLong() < 0) {
          throw new AslValidationException(where, "'Seconds' must be a non-negative integer");
        }
        seconds = v.asLong();
      }
      case "Timestamp" ->
          timestamp =
              Json.parseTimestamp(node.get("Timestamp").asText())
                  .orElseThrow(
                      () ->
                          new AslValidationException(
                              where,
                              "'Timestamp' must be an RFC 3339 timestamp, got "
                                  + node.get("Timestamp")));
      case "SecondsPath" ->
          secondsPath = validPath(node.get("SecondsPath"), "SecondsPath", where, true);
      default -> timestampPath = validPath(node.get("TimestampPath"), "TimestampPath", where, true);
    }
    return new State.Wait(
        name,
        parseIo(node, where),
        seconds,
        timestamp,
        secondsPath,
        timestampPath,
        next(node, where));
  }

  private static State parseFail(String name, JsonNode node, String where) {
    exclusive(node, where, "Error", "ErrorPath");
    exclusive(node, where, "Cause", "CausePath");
    return new State.Fail(
        name,
        optionalString(node, "Error", where),
        node.has("ErrorPath") ? failPath(node.get("ErrorPath"), "ErrorPath", where) : null,
        optionalString(node, "Cause", where),
        node.has("CausePath") ? failPath(node.get("CausePath"), "CausePath", where) : null);
  }

  /**
   * A Fail state's ErrorPath / CausePath: a reference path, or (as the Step Functions developer
   * guide documents) one of the intrinsic functions that return a string.
   */
  private static String failPath(JsonNode value, String field, String where) {
    if (!value.isTextual() || !value.textValue().startsWith("States.")) {
      return validPath(value, field, where, true);
    }
    Intrinsics.Call call;
    try {
      call = Intrinsics.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw new AslValidationException(where, "'" + field + "': " + e.getMessage(), e);
    }
    if (!Intrinsics.FAIL_FIELD_FUNCTIONS.contains(call.name())) {
      throw new AslValidationException(
          where,
          "'"
              + field
              + "' cannot use "
              + call.name()
              + " (allowed: "
              + String.join(", ", new java.util.TreeSet<>(Intrinsics.FAIL_FIELD_FUNCTIONS))
              + ")");
    }
    return value.textValue();
  }

  private State parseParallel(String name, JsonNode node, String where, String prefix) {
    JsonNode branches = node.get("Branches");
    if (branches == null || !branches.isArray() || branches.isEmpty()) {
      throw new AslValidationException(
          where, "Parallel state must have a non-empty 'Branches' array");
    }
    List<StateGraph> graphs = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      JsonNode branch = branches.get(i);
      String branchWhere = where + " Branches[" + i + "]";
      onlyFields(branch, branchWhere, Set.of("StartAt", "States", "Comment"));
      graphs.add(parseGraph(branch, prefix + name + "/", branchWhere, null));
    }
    return new State.Parallel(
        name,
        parseIo(node, where),
        List.copyOf(graphs),
        retriers(node, where),
        catchers(node, where),
        next(node, where));
  }

  private State parseMap(String name, JsonNode node, String where, String prefix) {
    exclusive(node, where, "ItemProcessor", "Iterator");
    exclusive(node, where, "ItemSelector", "Parameters");
    String field = node.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
    JsonNode processor = node.get(field);
    if (processor == null || !processor.isObject()) {
      throw new AslValidationException(
          where, "Map state must have an 'ItemProcessor' (or legacy 'Iterator')");
    }
    String processorWhere = where + " " + field;
    onlyFields(
        processor,
        processorWhere,
        field.equals("Iterator")
            ? Set.of("StartAt", "States", "Comment")
            : Set.of("StartAt", "States", "Comment", "ProcessorConfig"));
    JsonNode config = processor.get("ProcessorConfig");
    if (config != null && config.has("Mode") && !"INLINE".equals(config.get("Mode").asText())) {
      throw new AslValidationException(
          where,
          "unsupported ProcessorConfig.Mode '"
              + config.get("Mode").asText()
              + "' (only INLINE is supported; distributed Map is not)");
    }
    StateGraph graph = parseGraph(processor, prefix + name + "/", processorWhere, null);
    int maxConcurrency = 0;
    if (node.has("MaxConcurrency")) {
      JsonNode v = node.get("MaxConcurrency");
      if (!v.canConvertToExactIntegral() || v.asInt() < 0) {
        throw new AslValidationException(where, "'MaxConcurrency' must be a non-negative integer");
      }
      maxConcurrency = v.asInt();
    }
    Io io = parseIo(node, where);
    // Legacy "Parameters" on a Map is the per-item selector, not a state-level Parameters.
    PayloadTemplate selector =
        node.has("ItemSelector") ? template(node, "ItemSelector", where) : io.parameters();
    io = new Io(io.inputPath(), null, io.resultSelector(), io.resultPath(), io.outputPath());
    String itemsPath =
        node.has("ItemsPath") ? validPath(node.get("ItemsPath"), "ItemsPath", where, true) : "$";
    return new State.Map(
        name,
        io,
        itemsPath,
        selector,
        graph,
        maxConcurrency,
        retriers(node, where),
        catchers(node, where),
        next(node, where));
  }

  // ---------------------------------------------------------------- Retry / Catch

  private static List<Retrier> retriers(JsonNode node, String where) {
    JsonNode retry = node.get("Retry");
    if (retry == null) {
      return List.of();
    }
    if (!retry.isArray()) {
      throw new AslValidationException(where, "'Retry' must be an array");
    }
    List<Retrier> out = new ArrayList<>();
    for (int i = 0; i < retry.size(); i++) {
      JsonNode r = retry.get(i);
      String rw = "Retry[" + i + "]";
      onlyFields(
          r,
          where,
          rw,
          Set.of(
              "ErrorEquals",
              "IntervalSeconds",
              "MaxAttempts",
              "BackoffRate",
              "MaxDelaySeconds",
              "JitterStrategy",
              "Comment"));
      List<String> errors = errorEquals(r, where, rw, i == retry.size() - 1);
      int interval =
          r.has("IntervalSeconds") ? positiveInt(r, "IntervalSeconds", where, rw + ".") : 1;
      int maxAttempts = 3;
      if (r.has("MaxAttempts")) {
        JsonNode v = r.get("MaxAttempts");
        if (!v.canConvertToExactIntegral() || v.asInt() < 0) {
          throw new AslValidationException(
              where, rw + ".MaxAttempts must be a non-negative integer");
        }
        maxAttempts = v.asInt();
      }
      double backoff = 2.0;
      if (r.has("BackoffRate")) {
        JsonNode v = r.get("BackoffRate");
        if (!v.isNumber() || v.asDouble() < 1.0) {
          throw new AslValidationException(where, rw + ".BackoffRate must be a number >= 1.0");
        }
        backoff = v.asDouble();
      }
      Integer maxDelay =
          r.has("MaxDelaySeconds") ? positiveInt(r, "MaxDelaySeconds", where, rw + ".") : null;
      Retrier.JitterStrategy jitter = Retrier.JitterStrategy.NONE;
      if (r.has("JitterStrategy")) {
        try {
          jitter = Retrier.JitterStrategy.valueOf(r.get("JitterStrategy").asText());
        } catch (IllegalArgumentException e) {
          throw new AslValidationException(where, rw + ".JitterStrategy must be FULL or NONE");
        }
      }
      out.add(new Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter));
    }
    return List.copyOf(out);
  }

  private static List<Catcher> catchers(JsonNode node, String where) {
    JsonNode catchNode = node.get("Catch");
    if (catchNode == null) {
      return List.of();
    }
    if (!catchNode.isArray()) {
      throw new AslValidationException(where, "'Catch' must be an array");
    }
    List<Catcher> out = new ArrayList<>();
    for (int i = 0; i < catchNode.size(); i++) {
      JsonNode c = catchNode.get(i);
      String cw = "Catch[" + i + "]";
      onlyFields(c, where, cw, Set.of("ErrorEquals", "Next", "ResultPath", "Comment"));
      List<String> errors = errorEquals(c, where, cw, i == catchNode.size() - 1);
      if (!c.hasNonNull("Next") || !c.get("Next").isTextual()) {
        throw new AslValidationException(where, cw + ": missing required field 'Next'");
      }
      ReferencePath resultPath;
      try {
        resultPath = resultPath(c, "ResultPath", where);
      } catch (AslValidationException e) {
        throw new AslValidationException(where, cw + "." + e.reason(), e);
      }
      out.add(new Catcher(errors, c.get("Next").textValue(), resultPath));
    }
    return List.copyOf(out);
  }

  private static List<String> errorEquals(JsonNode node, String where, String field, boolean last) {
    JsonNode errors = node.get("ErrorEquals");
    if (errors == null || !errors.isArray() || errors.isEmpty()) {
      throw new AslValidationException(
          where, field + ": 'ErrorEquals' must be a non-empty array of error names");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode e : errors) {
      if (!e.isTextual()) {
        throw new AslValidationException(where, field + ": error names must be strings");
      }
      String name = e.textValue();
      if (name.startsWith("States.") && !ErrorNames.RESERVED.contains(name)) {
        throw new AslValidationException(
            where, field + ": unknown predefined error '" + name + "'");
      }
      names.add(name);
    }
    if (names.contains(ErrorNames.ALL)) {
      if (names.size() != 1) {
        throw new AslValidationException(
            where, field + ": 'States.ALL' must appear alone in ErrorEquals");
      }
      if (!last) {
        throw new AslValidationException(
            where,
            field
                + ": 'States.ALL' must be in the last "
                + (field.startsWith("Retry") ? "retrier" : "catcher"));
      }
    }
    return List.copyOf(names);
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void onlyFields(JsonNode node, String where, Set<String> allowed) {
    if (!node.isObject()) {
      throw new AslValidationException(where, "must be a JSON object");
    }
    for (String field : names(node)) {
      if (!allowed.contains(field)) {
        throw new AslValidationException(where, "unknown field '" + field + "'");
      }
    }
  }

  private static void onlyFields(JsonNode node, String where, String prefix, Set<String> allowed) {
    if (!node.isObject()) {
      throw new AslValidationException(where, prefix + " must be a JSON object");
    }
    for (String field : names(node)) {
      if (!allowed.contains(field)) {
        throw new AslValidationException(where, prefix + ": unknown field '" + field + "'");
      }
    }
  }

  private static void exclusive(JsonNode node, String where, String a, String b) {
    if (node.has(a) && node.has(b)) {
      throw new AslValidationException(where, "cannot have both '" + a + "' and '" + b + "'");
    }
  }

  private static int positiveInt(JsonNode node, String field, String where) {
    return positiveInt(node, field, where, "");
  }

  private static int positiveInt(JsonNode node, String field, String where, String prefix) {
    JsonNode v = node.get(field);
    if (!v.canConvertToExactIntegral() || v.asLong() <= 0 || v.asLong() > Integer.MAX_VALUE) {
      throw new AslValidationException(
          where, "'" + prefix + field + "' must be a positive integer");
    }
    return v.asInt();
  }

  private static String optionalString(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new AslValidationException(where, "'" + field + "' must be a string");
    }
    return v.textValue();
  }
}
