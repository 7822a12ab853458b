package dev.lakehouse.asl.loader;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.AslValidationException;
import dev.lakehouse.asl.json.Json;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CDK {@code DefinitionSubstitutions}: {@code ${Name}} tokens replaced textually before parsing,
 * exactly as CDK does (values are inserted raw, so they may also stand for numbers). Leftover
 * tokens are an error: a definition with a dangling {@code ${IngestRouterFunctionArn}} would
 * otherwise fail only at run time.
 */
public final class Placeholders {
  // As broad as CloudFormation's substitution names (Fn::Sub's ${AWS::Region}, ${Res.Attr}): the
  // runner substitutes
  // whatever a deployment could. The project's own files use the stricter names of core's
  // StatePlaceholders; a
  // local test checks both read the same names from them.
  private static final Pattern TOKEN = Pattern.compile("\\$\\{([A-Za-z0-9_.:\\-]+)}");

  private Placeholders() {}

  /** The placeholder names {@code definition} uses, in order of first use. */
  public static Set<String> names(String definition) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TOKEN.matcher(definition);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  public static String substitute(String definition, Map<String, String> substitutions) {
    Set<String> unresolved = new LinkedHashSet<>();
    Matcher m = TOKEN.matcher(definition);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = substitutions.get(m.group(1));
      if (value == null) {
        unresolved.add(m.group(0));
        value = m.group(0);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (!unresolved.isEmpty()) {
      String first = unresolved.iterator().next();
      Optional<String> pointer = locate(out.toString(), first);
      String location =
          pointer
              .filter(p -> p.startsWith("/States/"))
              .map(p -> "State '" + p.split("/")[2] + "'")
              .orElse("State machine");
      StringBuilder reason = new StringBuilder("unresolved placeholder " + first);
      pointer.ifPresent(p -> reason.append(" at ").append(p));
      if (unresolved.size() > 1) {
        unresolved.remove(first);
        reason.append(" (also unresolved: ").append(String.join(", ", unresolved)).append(')');
      }
      throw new AslValidationException(location, reason.toString());
    }
    return out.toString();
  }

  /** Best effort: the JSON pointer of the first string containing the token, if the text parses. */
  private static Optional<String> locate(String text, String token) {
    try {
      return find(Json.MAPPER.readTree(text), "", token);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Optional<String> find(JsonNode node, String pointer, String token) {
    if (node.isTextual()) {
      return node.textValue().contains(token) ? Optional.of(pointer) : Optional.empty();
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        if (e.getKey().contains(token)) {
          return Optional.of(child);
        }
        Optional<String> found = find(e.getValue(), child, token);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = find(node.get(i), pointer + "/" + i, token);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
