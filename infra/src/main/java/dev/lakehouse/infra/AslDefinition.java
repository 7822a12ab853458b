package dev.lakehouse.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A state machine definition file and the {@code ${Name}} substitution placeholders it uses. */
public record AslDefinition(Path path, String text, Set<String> placeholders) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");

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
    Set<String> names = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return new AslDefinition(path, text, names);
  }
}
