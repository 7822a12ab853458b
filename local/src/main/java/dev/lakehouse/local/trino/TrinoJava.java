package dev.lakehouse.local.trino;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a Java runtime Trino can run on (Trino 476 needs Java 24 or newer; the CLI itself runs on
 * Java 17): the one named by {@value #ENV}, else {@code JAVA_HOME}, the running JVM, then the
 * newest JDK under /usr/lib/jvm.
 */
public final class TrinoJava {
  /** A JDK directory (or its bin/java) for Trino, when none of the usual places has Java 24+. */
  public static final String ENV = "LAKEHOUSE_TRINO_JAVA";

  public static final int MIN_FEATURE_VERSION = 24;
  private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  private TrinoJava() {}

  /** The {@code bin/java} of the first JDK with Java 24+, if any. */
  public static Optional<Path> find(Map<String, String> env, Path usrLibJvm) {
    if (env.get(ENV) != null) {
      // Named explicitly: that one or nothing, so a wrong setting is reported rather than silently
      // bypassed.
      return javaOf(Path.of(env.get(ENV)));
    }
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(env.get("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
    candidates.add(Path.of(System.getProperty("java.home")));
    if (Files.isDirectory(usrLibJvm)) {
      try (Stream<Path> jdks = Files.list(usrLibJvm)) {
        jdks.filter(Files::isDirectory)
            .sorted(Comparator.comparingInt(TrinoJava::featureVersion).reversed())
            .forEach(candidates::add);
      } catch (IOException e) {
        // an unreadable /usr/lib/jvm just offers no candidates
      }
    }
    return candidates.stream().map(TrinoJava::javaOf).flatMap(Optional::stream).findFirst();
  }

  public static Optional<Path> find() {
    return find(System.getenv(), Path.of("/usr/lib/jvm"));
  }

  /** The one line the CLI prints, and the tests skip with, when no Java 24+ is found. */
  public static String missingMessage() {
    return "Trino needs Java "
        + MIN_FEATURE_VERSION
        + " or newer (the CLI itself runs on Java 17): install one (e.g. "
        + "Temurin 25) and point "
        + ENV
        + " (or JAVA_HOME) at its directory";
  }

  /** {@code dir}'s java if it is a JDK (or a bin/java) of Java 24+. */
  private static Optional<Path> javaOf(Path dirOrBinary) {
    Path home =
        Files.isRegularFile(dirOrBinary) && dirOrBinary.getParent() != null
            ? dirOrBinary.getParent().getParent()
            : dirOrBinary;
    Path java = home.resolve("bin/java");
    return home != null && featureVersion(home) >= MIN_FEATURE_VERSION && Files.isExecutable(java)
        ? Optional.of(java)
        : Optional.empty();
  }

  /** The feature version in the JDK's {@code release} file ("25.0.1" → 25), 0 if unknown. */
  static int featureVersion(Path jdk) {
    try {
      Matcher m = RELEASE_VERSION.matcher(Files.readString(jdk.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException unreadable) {
      return 0;
    }
  }
}
