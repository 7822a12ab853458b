package dev.lakehouse.asl.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ASL "Paths": JSONPath evaluated with Jayway json-path over Jackson trees. A path starting with
 * {@code $$} addresses the context object instead of the state input.
 *
 * <p>A path that selects nothing yields {@link Optional#empty()} (not null): callers turn that into
 * the error for their field (States.Runtime almost everywhere, as AWS raises it).
 */
public final class JsonPaths {
  // Explicit configuration: never fall back to json-path's default (json-smart) provider.
  private static final Configuration CONFIG =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
          .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
          .options(EnumSet.noneOf(com.jayway.jsonpath.Option.class))
          .build();
  private static final Map<String, JsonPath> COMPILED = new ConcurrentHashMap<>();

  private JsonPaths() {}

  public static boolean isContextPath(String path) {
    return path.startsWith("$$");
  }

  /**
   * Validates a Path at load time.
   *
   * @throws IllegalArgumentException with a readable reason
   */
  public static void validate(String path, boolean allowContext) {
    if (path == null || !path.startsWith("$")) {
      throw new IllegalArgumentException("invalid path '" + path + "': a path must start with '$'");
    }
    if (isContextPath(path) && !allowContext) {
      throw new IllegalArgumentException(
          "invalid path '" + path + "': context object paths ($$) are not allowed here");
    }
    if (!bracketsBalanced(path)) {
      // json-path 2.9 silently accepts a trailing '[' ("$.a["), so check this one ourselves.
      throw new IllegalArgumentException("invalid path '" + path + "': unbalanced brackets");
    }
    compile(path);
  }

  private static boolean bracketsBalanced(String path) {
    int depth = 0;
    char quote = 0;
    for (char c : path.toCharArray()) {
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[') {
        depth++;
      } else if (c == ']' && --depth < 0) {
        return false;
      }
    }
    return depth == 0 && quote == 0;
  }

  /** Reads {@code path} from {@code input}, or from {@code context} for {@code $$} paths. */
  public static Optional<JsonNode> read(String path, JsonNode input, JsonNode context) {
    if (isContextPath(path)) {
      return read(path.substring(1), context == null ? NullNode.getInstance() : context, null);
    }
    if ("$".equals(path)) {
      return Optional.of(input);
    }
    try {
      Object result = JsonPath.using(CONFIG).parse(input).read(compile(path));
      if (result == null) {
        return Optional.of(NullNode.getInstance());
      }
      return Optional.of(result instanceof JsonNode node ? node : Json.MAPPER.valueToTree(result));
    } catch (JsonPathException e) {
      // PathNotFoundException and type mismatches ("expected an object but found a string") alike.
      return Optional.empty();
    }
  }

  private static JsonPath compile(String path) {
    String jsonPath = isContextPath(path) ? path.substring(1) : path;
    JsonPath compiled = COMPILED.get(jsonPath);
    if (compiled == null) {
      try {
        compiled = JsonPath.compile(jsonPath);
      } catch (InvalidPathException | IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid path '" + path + "': " + e.getMessage(), e);
      }
      COMPILED.put(jsonPath, compiled);
    }
    return compiled;
  }
}
