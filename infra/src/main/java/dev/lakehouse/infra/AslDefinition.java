package dev.lakehouse.infra;

import dev.lakehouse.core.resources.StatePlaceholders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** A state machine definition file and the {@code ${Name}} substitution placeholders it uses. */
public record AslDefinition(Path path, String text, Set<String> placeholders) {
  public AslDefinition {
    placeholders = Set.copyOf(placeholders);
  }

  public static AslDefinition read(Path path) {
    try {
      return of(path, Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state machine definition " + path, e);
    }
  }

  /** A definition derived from the file at {@code path} (e.g. its EMR Serverless form). */
  public static AslDefinition of(Path path, String text) {
    return new AslDefinition(path, text, StatePlaceholders.in(text));
  }
}
