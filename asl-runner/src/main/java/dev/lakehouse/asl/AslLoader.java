package dev.lakehouse.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.loader.DefinitionParser;
import dev.lakehouse.asl.loader.Placeholders;
import dev.lakehouse.asl.model.StateGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads an ASL definition: substitutes CDK {@code ${Placeholders}}, parses, and validates
 * everything that can be checked statically. All problems surface as {@link
 * AslValidationException}.
 */
public final class AslLoader {
  public static final String DEFAULT_NAME = "state-machine";

  private AslLoader() {}

  /**
   * Loads a file; the state machine is named after the file ({@code pipeline.asl.json} → {@code
   * pipeline}).
   */
  public static StateMachine load(Path file, Map<String, String> substitutions) {
    return load(file, substitutions, null);
  }

  /**
   * As {@link #load(Path, Map)}, and also fails if a Task resource has no binding in {@code
   * handlers}.
   */
  public static StateMachine load(
      Path file, Map<String, String> substitutions, TaskHandlers handlers) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read state machine definition " + file, e);
    }
    String name = file.getFileName().toString().replaceFirst("(\\.asl)?\\.json$", "");
    return load(name, text, substitutions, handlers);
  }

  public static StateMachine load(String definition, Map<String, String> substitutions) {
    return load(DEFAULT_NAME, definition, substitutions, null);
  }

  /**
   * @param name state machine name (appears in execution ARNs and {@code $$.StateMachine.Name})
   * @param handlers if non-null, every Task resource must be registered in it
   */
  public static StateMachine load(
      String name, String definition, Map<String, String> substitutions, TaskHandlers handlers) {
    String text =
        Placeholders.substitute(definition, substitutions == null ? Map.of() : substitutions);
    JsonNode root;
    try {
      root = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AslValidationException("State machine", e.getMessage(), e);
    }
    DefinitionParser parser = new DefinitionParser();
    StateGraph graph = parser.parseTopLevel(root);
    if (handlers != null) {
      for (Map.Entry<String, String> resource : parser.resources().entrySet()) {
        if (handlers.find(resource.getKey()).isEmpty()) {
          throw new AslValidationException(
              resource.getValue(),
              "no task handler registered for resource '" + resource.getKey() + "'");
        }
      }
    }
    return new StateMachine(name, graph, parser.resources().keySet(), text);
  }
}
