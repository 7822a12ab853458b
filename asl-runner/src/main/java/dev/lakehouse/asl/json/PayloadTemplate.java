package dev.lakehouse.asl.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.model.ErrorNames;
import dev.lakehouse.asl.model.StatesError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled "Payload Template" (Parameters, ResultSelector, ItemSelector): a JSON value in which
 * every field named {@code key.$} is replaced by {@code key} with the value of a path ({@code
 * $...}), a context path ({@code $$...}) or an intrinsic function call.
 */
public final class PayloadTemplate {
  private sealed interface Node permits Constant, Dynamic, ObjectTemplate, ArrayTemplate {
    JsonNode apply(JsonNode input, JsonNode context);
  }

  private record Constant(JsonNode value) implements Node {
    @Override
    public JsonNode apply(JsonNode input, JsonNode context) {
      return value.deepCopy();
    }
  }

  private record Dynamic(String fieldName, String expression, Intrinsics.Expr expr)
      implements Node {
    @Override
    public JsonNode apply(JsonNode input, JsonNode context) {
      if (expr instanceof Intrinsics.PathRef ref) {
        JsonNode source = JsonPaths.isContextPath(ref.path()) ? context : input;
        // States.Runtime, not the documented States.ParameterPathFailure: what AWS records (see
        // AwsFidelityTest).
        return JsonPaths.read(ref.path(), input, context)
            .orElseThrow(
                () ->
                    new StatesError(
                        ErrorNames.RUNTIME,
                        "The JSONPath '"
                            + ref.path()
                            + "' specified for the field '"
                            + fieldName
                            + "' could not be found in the input '"
                            + Json.write(source)
                            + "'"));
      }
      return expr.evaluate(input, context);
    }
  }

  private record ObjectTemplate(Map<String, Node> fields) implements Node {
    @Override
    public JsonNode apply(JsonNode input, JsonNode context) {
      ObjectNode out = Json.object();
      fields.forEach((name, node) -> out.set(name, node.apply(input, context)));
      return out;
    }
  }

  private record ArrayTemplate(List<Node> elements) implements Node {
    @Override
    public JsonNode apply(JsonNode input, JsonNode context) {
      ArrayNode out = Json.NODES.arrayNode();
      elements.forEach(node -> out.add(node.apply(input, context)));
      return out;
    }
  }

  private final Node root;

  private PayloadTemplate(Node root) {
    this.root = root;
  }

  /**
   * @throws IllegalArgumentException naming the offending field, for invalid paths or intrinsics
   */
  public static PayloadTemplate compile(JsonNode template) {
    return new PayloadTemplate(compileNode(template));
  }

  /**
   * @throws StatesError States.Runtime when a path selects nothing or an intrinsic fails
   */
  public JsonNode apply(JsonNode input, JsonNode context) {
    return root.apply(input, context);
  }

  private static Node compileNode(JsonNode template) {
    if (template.isObject()) {
      Map<String, Node> fields = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = template.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = field.getKey();
        if (name.endsWith(".$")) {
          String key = name.substring(0, name.length() - 2);
          if (template.has(key)) {
            throw new IllegalArgumentException(
                "fields '" + key + "' and '" + name + "' both present");
          }
          fields.put(key, compileDynamic(name, field.getValue()));
        } else {
          fields.put(name, compileNode(field.getValue()));
        }
      }
      return fields.values().stream().allMatch(Constant.class::isInstance)
          ? new Constant(template)
          : new ObjectTemplate(fields);
    }
    if (template.isArray()) {
      List<Node> elements = new ArrayList<>();
      template.forEach(element -> elements.add(compileNode(element)));
      return elements.stream().allMatch(Constant.class::isInstance)
          ? new Constant(template)
          : new ArrayTemplate(elements);
    }
    return new Constant(template);
  }

  private static Node compileDynamic(String fieldName, JsonNode value) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException(
          "field '" + fieldName + "' must be a string path or intrinsic function");
    }
    String expression = value.textValue().trim();
    try {
      if (expression.startsWith("$")) {
        JsonPaths.validate(expression, true);
        return new Dynamic(fieldName, expression, new Intrinsics.PathRef(expression));
      }
      if (expression.startsWith("States.")) {
        return new Dynamic(fieldName, expression, Intrinsics.parse(expression));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field '" + fieldName + "': " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "field '"
            + fieldName
            + "': '"
            + expression
            + "' is neither a path (starting with $) nor an intrinsic function (States.*)");
  }
}
