package dev.lakehouse.asl.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.model.ErrorNames;
import dev.lakehouse.asl.model.StatesError;
import java.util.ArrayList;
import java.util.List;

/**
 * A "Reference Path" (spec): a path that identifies exactly one node using only field and index
 * notation, e.g. {@code $.a.b}, {@code $['a b'][0]}. ResultPath uses it to <em>write</em> into the
 * input, which json-path cannot do with the spec's semantics, hence this small dedicated parser.
 */
public final class ReferencePath {
  public static final ReferencePath ROOT = new ReferencePath("$", List.of());

  private final String text;
  private final List<Object> segments; // String (field) or Integer (array index)

  private ReferencePath(String text, List<Object> segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * @throws IllegalArgumentException if {@code text} is not a reference path
   */
  public static ReferencePath parse(String text) {
    if (text == null || !text.startsWith("$") || text.startsWith("$$")) {
      throw notReference(text, "must start with '$'");
    }
    List<Object> segments = new ArrayList<>();
    int i = 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
          i++;
        }
        String name = text.substring(start, i);
        if (name.isEmpty() || name.contains("*") || name.contains("@") || name.contains("]")) {
          throw notReference(text, "invalid field name '" + name + "'");
        }
        segments.add(name);
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw notReference(text, "unclosed '['");
        }
        String inner = text.substring(i + 1, close).trim();
        if (inner.length() >= 2
            && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
            && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
          segments.add(inner.substring(1, inner.length() - 1));
        } else if (inner.matches("\\d+")) {
          segments.add(Integer.parseInt(inner));
        } else {
          throw notReference(
              text, "only field names and array indexes are allowed, found '[" + inner + "]'");
        }
        i = close + 1;
      } else {
        throw notReference(text, "unexpected character '" + c + "'");
      }
    }
    return new ReferencePath(text, List.copyOf(segments));
  }

  private static IllegalArgumentException notReference(String text, String why) {
    return new IllegalArgumentException("'" + text + "' is not a valid reference path: " + why);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  /**
   * Returns a copy of {@code input} with {@code value} placed at this path, creating intermediate
   * objects. Per spec, a path that runs into a non-object (or a missing array slot) is a
   * ResultPathMatchFailure.
   */
  public JsonNode set(JsonNode input, JsonNode value) {
    if (segments.isEmpty()) {
      return value;
    }
    JsonNode root = input.deepCopy();
    JsonNode node = root;
    for (int i = 0; i < segments.size(); i++) {
      Object segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (segment instanceof String field) {
        if (!(node instanceof ObjectNode object)) {
          throw mismatch(input, "cannot set field '" + field + "' on a " + node.getNodeType());
        }
        if (last) {
          object.set(field, value);
        } else {
          JsonNode child = object.get(field);
          if (child == null || child.isNull()) {
            child = object.putObject(field);
          } else if (!child.isContainerNode()) {
            throw mismatch(input, "field '" + field + "' is a " + child.getNodeType());
          }
          node = child;
        }
      } else {
        int index = (Integer) segment;
        if (!(node instanceof ArrayNode array) || index >= array.size()) {
          throw mismatch(input, "no array element [" + index + "]");
        }
        if (last) {
          array.set(index, value);
        } else {
          node = array.get(index);
        }
      }
    }
    return root;
  }

  private StatesError mismatch(JsonNode input, String why) {
    return new StatesError(
        ErrorNames.RESULT_PATH_MATCH_FAILURE,
        "Unable to apply ResultPath '" + text + "' to input '" + Json.write(input) + "': " + why);
  }

  @Override
  public String toString() {
    return text;
  }
}
