package dev.lakehouse.asl.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lakehouse.asl.model.ErrorNames;
import dev.lakehouse.asl.model.StatesError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * Intrinsic functions ({@code "x.$": "States.Format('{}-{}', $.a, $$.Execution.Name)"}).
 *
 * <p>Expressions are parsed once at load time ({@link #parse}), so syntax errors, unknown
 * functions, wrong argument counts and literal arguments no run could accept are load-time errors.
 * Runtime problems (bad argument types...) raise {@code States.Runtime}, not the documented {@code
 * States.IntrinsicFailure}: AWS raises States.Runtime for the sibling payload-template failure (a
 * path that selects nothing), and the terminal error is the side on which a run that passes here
 * also passes on AWS (see AwsFidelityTest).
 */
public final class Intrinsics {

  /**
   * An argument or a whole expression: evaluates against the effective input and context object.
   */
  public sealed interface Expr permits Literal, PathRef, Call {
    JsonNode evaluate(JsonNode input, JsonNode context);
  }

  /** A literal. {@code raw} keeps string escapes so States.Format can tell {@code \{} from {@code {}}. */
  public record Literal(JsonNode value, String raw) implements Expr {
    @Override
    public JsonNode evaluate(JsonNode input, JsonNode context) {
      return value;
    }
  }

  public record PathRef(String path) implements Expr {
    @Override
    public JsonNode evaluate(JsonNode input, JsonNode context) {
      return JsonPaths.read(path, input, context)
          .orElseThrow(
              () ->
                  failure(
                      "The JSONPath '"
                          + path
                          + "' could not be found in the input '"
                          + Json.write(input)
                          + "'"));
    }
  }

  public record Call(String name, List<Expr> args) implements Expr {
    @Override
    public JsonNode evaluate(JsonNode input, JsonNode context) {
      List<JsonNode> values = new ArrayList<>(args.size());
      for (Expr arg : args) {
        values.add(arg.evaluate(input, context));
      }
      return FUNCTIONS.get(name).impl.apply(this, values);
    }
  }

  private record Function(
      int minArgs, int maxArgs, BiFunction<Call, List<JsonNode>, JsonNode> impl) {}

  private static final int VARARGS = Integer.MAX_VALUE;
  private static final BigDecimal HALF = new BigDecimal("0.5");
  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  private static final Map<String, Function> FUNCTIONS =
      Map.ofEntries(
          Map.entry("States.Format", new Function(1, VARARGS, Intrinsics::format)),
          Map.entry(
              "States.StringToJson",
              new Function(1, 1, (c, a) -> Json.parseForIntrinsic(text(c, a, 0)))),
          Map.entry(
              "States.JsonToString",
              new Function(1, 1, (c, a) -> TextNode.valueOf(Json.write(a.get(0))))),
          Map.entry(
              "States.Array", new Function(0, VARARGS, (c, a) -> Json.NODES.arrayNode().addAll(a))),
          Map.entry("States.ArrayPartition", new Function(2, 2, Intrinsics::arrayPartition)),
          Map.entry(
              "States.ArrayContains",
              new Function(
                  2, 2, (c, a) -> BooleanNode.valueOf(contains(array(c, a, 0), a.get(1))))),
          Map.entry("States.ArrayRange", new Function(3, 3, Intrinsics::arrayRange)),
          Map.entry("States.ArrayGetItem", new Function(2, 2, Intrinsics::arrayGetItem)),
          Map.entry(
              "States.ArrayLength",
              new Function(1, 1, (c, a) -> Json.NODES.numberNode(array(c, a, 0).size()))),
          Map.entry("States.ArrayUnique", new Function(1, 1, Intrinsics::arrayUnique)),
          Map.entry(
              "States.Base64Encode",
              new Function(
                  1,
                  1,
                  (c, a) ->
                      TextNode.valueOf(
                          Base64.getEncoder()
                              .encodeToString(text(c, a, 0).getBytes(StandardCharsets.UTF_8))))),
          Map.entry("States.Base64Decode", new Function(1, 1, Intrinsics::base64Decode)),
          Map.entry("States.Hash", new Function(2, 2, Intrinsics::hash)),
          Map.entry("States.JsonMerge", new Function(3, 3, Intrinsics::jsonMerge)),
          Map.entry("States.MathRandom", new Function(2, 3, Intrinsics::mathRandom)),
          Map.entry("States.MathAdd", new Function(2, 2, Intrinsics::mathAdd)),
          Map.entry("States.StringSplit", new Function(2, 2, Intrinsics::stringSplit)),
          Map.entry(
              "States.UUID",
              new Function(0, 0, (c, a) -> TextNode.valueOf(UUID.randomUUID().toString()))));

  private Intrinsics() {}

  /**
   * The intrinsics a Fail state's ErrorPath / CausePath may use: the developer guide's list (they
   * return strings).
   */
  public static final Set<String> FAIL_FIELD_FUNCTIONS =
      Set.of(
          "States.Format",
          "States.JsonToString",
          "States.ArrayGetItem",
          "States.Base64Encode",
          "States.Base64Decode",
          "States.Hash",
          "States.UUID");

  public static Set<String> functionNames() {
    return FUNCTIONS.keySet();
  }

  /**
   * @throws IllegalArgumentException for syntax errors, unknown functions and wrong arity
   */
  public static Call parse(String expression) {
    Parser parser = new Parser(expression);
    parser.skipSpaces();
    Call call = parser.call();
    parser.skipSpaces();
    if (!parser.atEnd()) {
      throw parser.error("unexpected text after the closing ')'");
    }
    return call;
  }

  // ---------------------------------------------------------------- parser

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    void skipSpaces() {
      while (!atEnd() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error(String why) {
      return new IllegalArgumentException(
          "invalid intrinsic function '" + s + "' at position " + pos + ": " + why);
    }

    Call call() {
      int start = pos;
      while (!atEnd() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
        pos++;
      }
      String name = s.substring(start, pos);
      if (name.isEmpty()) {
        throw error("expected a function name like States.Format");
      }
      Function function = FUNCTIONS.get(name);
      if (function == null) {
        throw new IllegalArgumentException("unknown intrinsic function '" + name + "'");
      }
      skipSpaces();
      if (atEnd() || s.charAt(pos) != '(') {
        throw error("expected '(' after " + name);
      }
      pos++;
      List<Expr> args = new ArrayList<>();
      skipSpaces();
      if (!atEnd() && s.charAt(pos) == ')') {
        pos++;
      } else {
        while (true) {
          skipSpaces();
          args.add(argument());
          skipSpaces();
          if (atEnd()) {
            throw error("missing ')'");
          }
          char c = s.charAt(pos++);
          if (c == ')') {
            break;
          }
          if (c != ',') {
            throw error("expected ',' or ')' but found '" + c + "'");
          }
        }
      }
      if (args.size() < function.minArgs || args.size() > function.maxArgs) {
        String expected =
            function.minArgs == function.maxArgs
                ? String.valueOf(function.minArgs)
                : function.maxArgs == VARARGS
                    ? "at least " + function.minArgs
                    : function.minArgs + " to " + function.maxArgs;
        throw new IllegalArgumentException(
            name + " expects " + expected + " argument(s) but got " + args.size());
      }
      if ("States.MathAdd".equals(name)) {
        for (int i = 0; i < args.size(); i++) {
          if (args.get(i) instanceof Literal literal) {
            try {
              mathAddOperand(name, literal.value(), i);
            } catch (StatesError e) {
              throw new IllegalArgumentException(e.cause(), e);
            }
          }
        }
      }
      return new Call(name, List.copyOf(args));
    }

    Expr argument() {
      if (atEnd()) {
        throw error("missing argument");
      }
      char c = s.charAt(pos);
      if (c == '\'') {
        return string();
      }
      if (c == '$') {
        return path();
      }
      if (c == '-' || Character.isDigit(c)) {
        int start = pos;
        pos++;
        while (!atEnd() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) {
          pos++;
        }
        String token = s.substring(start, pos);
        try {
          return new Literal(Json.MAPPER.readTree(token), token);
        } catch (Exception e) {
          throw error("invalid number '" + token + "'");
        }
      }
      for (String keyword : List.of("true", "false", "null")) {
        if (s.startsWith(keyword, pos) && !continuesIdentifier(pos + keyword.length())) {
          pos += keyword.length();
          return new Literal(Json.parse(keyword), keyword);
        }
      }
      if (s.startsWith("States.", pos)) {
        return call();
      }
      throw error("unexpected '" + c + "'");
    }

    private boolean continuesIdentifier(int at) {
      return at < s.length() && Character.isLetterOrDigit(s.charAt(at));
    }

    /** 'text' with backslash escapes; the raw (still escaped) form is kept for States.Format. */
    Literal string() {
      int start = ++pos;
      StringBuilder value = new StringBuilder();
      while (true) {
        if (atEnd()) {
          throw error("unterminated string literal");
        }
        char c = s.charAt(pos++);
        if (c == '\'') {
          break;
        }
        if (c == '\\') {
          if (atEnd()) {
            throw error("dangling escape character");
          }
          c = s.charAt(pos++);
        }
        value.append(c);
      }
      return new Literal(TextNode.valueOf(value.toString()), s.substring(start, pos - 1));
    }

    /**
     * A path runs to the next top-level ',' or ')', skipping brackets, filter parentheses and
     * quotes.
     */
    PathRef path() {
      int start = pos;
      int depth = 0;
      char quote = 0;
      while (!atEnd()) {
        char c = s.charAt(pos);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '[' || c == '(') {
          depth++;
        } else if (c == ']' || (c == ')' && depth > 0)) {
          depth--;
        } else if (depth == 0 && (c == ',' || c == ')')) {
          break;
        }
        pos++;
      }
      String path = s.substring(start, pos).trim();
      JsonPaths.validate(path, true);
      return new PathRef(path);
    }
  }

  // ---------------------------------------------------------------- functions

  static StatesError failure(String message) {
    return new StatesError(ErrorNames.RUNTIME, message);
  }

  private static String text(Call call, List<JsonNode> args, int i) {
    JsonNode node = args.get(i);
    if (!node.isTextual()) {
      throw failure(
          call.name + " argument " + (i + 1) + " must be a string but was " + Json.write(node));
    }
    return node.textValue();
  }

  private static ArrayNode array(Call call, List<JsonNode> args, int i) {
    JsonNode node = args.get(i);
    if (!node.isArray()) {
      throw failure(
          call.name + " argument " + (i + 1) + " must be an array but was " + Json.write(node));
    }
    return (ArrayNode) node;
  }

  private static BigDecimal number(Call call, List<JsonNode> args, int i) {
    JsonNode node = args.get(i);
    if (!node.isNumber()) {
      throw failure(
          call.name + " argument " + (i + 1) + " must be a number but was " + Json.write(node));
    }
    return node.decimalValue();
  }

  private static int integer(Call call, List<JsonNode> args, int i) {
    BigDecimal value = number(call, args, i);
    try {
      return value.intValueExact();
    } catch (ArithmeticException e) {
      throw failure(call.name + " argument " + (i + 1) + " must be an integer but was " + value);
    }
  }

  /**
   * Developer guide, States.MathAdd: integer arguments in -2^31..2^31-1, and "if you specify a
   * non-integer value ... Step Functions will round it off to the nearest integer". AWS rounds like
   * Java's Math.round, halves up (2.5 to 3, -2.5 to -2): recorded on AWS, see AwsFidelityTest.
   */
  private static long mathAddOperand(String function, JsonNode node, int i) {
    if (!node.isNumber()) {
      throw failure(
          function + " argument " + (i + 1) + " must be a number but was " + Json.write(node));
    }
    BigDecimal rounded = node.decimalValue().add(HALF).setScale(0, RoundingMode.FLOOR);
    if (rounded.compareTo(INT_MIN) < 0 || rounded.compareTo(INT_MAX) > 0) {
      throw failure(
          function
              + " argument "
              + (i + 1)
              + " must be within -2147483648..2147483647 but was "
              + Json.write(node));
    }
    return rounded.longValueExact();
  }

  private static JsonNode mathAdd(Call call, List<JsonNode> args) {
    long sum =
        mathAddOperand(call.name, args.get(0), 0) + mathAddOperand(call.name, args.get(1), 1);
    if (sum != (int) sum) {
      // AWS documents no behaviour past the int range: failing is the side that keeps local passes
      // true on AWS.
      throw failure(call.name + " result " + sum + " is outside -2147483648..2147483647");
    }
    return Json.NODES.numberNode((int) sum);
  }

  private static boolean contains(ArrayNode array, JsonNode value) {
    for (JsonNode element : array) {
      if (element.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode format(Call call, List<JsonNode> args) {
    // A literal template keeps its escapes; a template read from a path is used as-is.
    String template =
        call.args.get(0) instanceof Literal literal && args.get(0).isTextual()
            ? literal.raw()
            : text(call, args, 0);
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\' && i + 1 < template.length()) {
        out.append(template.charAt(++i));
      } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        if (next >= args.size()) {
          throw failure("States.Format template has more {} placeholders than arguments");
        }
        JsonNode arg = args.get(next++);
        if (arg.isContainerNode()) {
          throw failure(
              "States.Format arguments must be strings, numbers, booleans or null, got "
                  + Json.write(arg));
        }
        out.append(arg.isTextual() ? arg.textValue() : arg.toString());
        i++;
      } else {
        out.append(c);
      }
    }
    if (next != args.size()) {
      throw failure(
          "States.Format got "
              + (args.size() - 1)
              + " arguments but the template has "
              + (next - 1)
              + " placeholders");
    }
    return TextNode.valueOf(out.toString());
  }

  private static JsonNode arrayPartition(Call call, List<JsonNode> args) {
    ArrayNode input = array(call, args, 0);
    int size = integer(call, args, 1);
    if (size <= 0) {
      throw failure("States.ArrayPartition chunk size must be positive but was " + size);
    }
    ArrayNode out = Json.NODES.arrayNode();
    ArrayNode chunk = null;
    for (JsonNode element : input) {
      if (chunk == null || chunk.size() == size) {
        chunk = out.addArray();
      }
      chunk.add(element);
    }
    return out;
  }

  private static JsonNode arrayRange(Call call, List<JsonNode> args) {
    int start = integer(call, args, 0);
    int end = integer(call, args, 1);
    int step = integer(call, args, 2);
    if (step == 0) {
      throw failure("States.ArrayRange step must not be 0");
    }
    ArrayNode out = Json.NODES.arrayNode();
    for (int v = start; step > 0 ? v <= end : v >= end; v += step) {
      if (out.size() >= 1000) {
        throw failure("States.ArrayRange may produce at most 1000 elements");
      }
      out.add(v);
    }
    return out;
  }

  private static JsonNode arrayGetItem(Call call, List<JsonNode> args) {
    ArrayNode input = array(call, args, 0);
    int index = integer(call, args, 1);
    if (index < 0 || index >= input.size()) {
      throw failure(
          "States.ArrayGetItem index "
              + index
              + " is out of bounds for an array of size "
              + input.size());
    }
    return input.get(index);
  }

  private static JsonNode arrayUnique(Call call, List<JsonNode> args) {
    return Json.NODES.arrayNode().addAll(new LinkedHashSet<>(listOf(array(call, args, 0))));
  }

  private static List<JsonNode> listOf(ArrayNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  private static JsonNode base64Decode(Call call, List<JsonNode> args) {
    try {
      return TextNode.valueOf(
          new String(Base64.getDecoder().decode(text(call, args, 0)), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw failure("States.Base64Decode input is not valid base64: " + e.getMessage());
    }
  }

  private static JsonNode hash(Call call, List<JsonNode> args) {
    String algorithm = text(call, args, 1);
    if (!List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
      throw failure(
          "States.Hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512 but was "
              + algorithm);
    }
    JsonNode data = args.get(0);
    String input = data.isTextual() ? data.textValue() : Json.write(data);
    try {
      byte[] digest =
          MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8));
      return TextNode.valueOf(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw failure("States.Hash algorithm " + algorithm + " is not available: " + e.getMessage());
    }
  }

  /** Shallow merge only, like AWS (which rejects deep mode): fields of the second object win. */
  private static JsonNode jsonMerge(Call call, List<JsonNode> args) {
    if (!args.get(0).isObject() || !args.get(1).isObject()) {
      throw failure("States.JsonMerge arguments 1 and 2 must be JSON objects");
    }
    if (!args.get(2).isBoolean() || args.get(2).booleanValue()) {
      throw failure("States.JsonMerge only supports shallow merging: argument 3 must be false");
    }
    ObjectNode merged = args.get(0).deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = args.get(1).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      merged.set(field.getKey(), field.getValue());
    }
    return merged;
  }

  private static JsonNode mathRandom(Call call, List<JsonNode> args) {
    int start = integer(call, args, 0);
    int end = integer(call, args, 1);
    if (end <= start) {
      throw failure("States.MathRandom end must be greater than start");
    }
    Random random =
        args.size() == 3 ? new Random(integer(call, args, 2)) : ThreadLocalRandom.current();
    return Json.NODES.numberNode(start + random.nextInt(end - start));
  }

  private static JsonNode stringSplit(Call call, List<JsonNode> args) {
    String input = text(call, args, 0);
    String delimiters = text(call, args, 1);
    ArrayNode out = Json.NODES.arrayNode();
    StringBuilder current = new StringBuilder();
    for (char c : input.toCharArray()) {
      if (delimiters.indexOf(c) >= 0) {
        if (current.length() > 0) {
          out.add(current.toString());
        }
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      out.add(current.toString());
    }
    return out;
  }
}
