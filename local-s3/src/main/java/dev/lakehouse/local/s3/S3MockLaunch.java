package dev.lakehouse.local.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How S3Mock's JVM is launched so that it starts in about half the CPU time: its Spring Boot jar
 * extracted once into plain jars (Spring Boot's {@code -Djarmode=tools extract}; a JVM shares no
 * class data from jars nested in a jar) and a class-data-sharing archive of the classes it loads.
 * The archive is written by the first server started without one, when that server exits ({@code
 * -XX:ArchiveClassesAtExit}, so it holds what serving took, not only start-up), under a temporary
 * name; the next start checks it in a throwaway JVM and only then uses it, since a JVM given a
 * damaged archive crashes instead of ignoring it. Everything lives in a cache directory per S3Mock
 * jar (size, modification time) and JVM version; when extracting fails the jar runs as it is.
 */
final class S3MockLaunch {
  /** The cache directory (tests); default {@code $XDG_CACHE_HOME/lakehouse}, else ~/.cache. */
  static final String CACHE_PROPERTY = "lakehouse.s3.cacheDir";

  static final String ARCHIVE = "s3mock.jsa";
  static final String TRAINING_SUFFIX = ".jsa.part";
  static final String DUMP_FLAG = "-XX:ArchiveClassesAtExit=";

  // A dump in progress (a server stopping now) is not complete yet: only older failures are junk.
  private static final Duration DUMP_GRACE = Duration.ofMinutes(2);

  private S3MockLaunch() {}

  /**
   * The arguments after {@code java} and {@code flags} (heap, compiler, GC: an archive is checked
   * with the flags it is used with): class-data sharing and the jar to run.
   */
  static List<String> jarArgs(String javaBin, List<String> flags, Path jar) {
    Path dir = cacheDir(jar);
    Path app = extracted(javaBin, jar, dir);
    if (app == null) {
      return List.of("-jar", jar.toString());
    }
    Path archive = dir.resolve(ARCHIVE);
    promoteTrainings(javaBin, flags, app, dir, archive);
    List<String> args = new ArrayList<>();
    // The dump warns once per class it skips (hundreds of lines): the server log needs none.
    args.add("-Xlog:cds=off");
    args.add("-Xlog:cds+dynamic=off");
    args.add(
        Files.isRegularFile(archive)
            ? "-XX:SharedArchiveFile=" + archive
            : "-XX:ArchiveClassesAtExit="
                + dir.resolve("training-" + UUID.randomUUID() + TRAINING_SUFFIX));
    args.add("-jar");
    args.add(app.toString());
    return args;
  }

  /** The jar's cache directory: one per S3Mock jar and JVM, since an archive fits only those. */
  static Path cacheDir(Path jar) {
    try {
      String key =
          String.join(
              "-",
              jar.getFileName().toString().replaceAll("\\.jar$", ""),
              Long.toString(Files.size(jar)),
              Long.toString(Files.getLastModifiedTime(jar).toMillis()),
              System.getProperty("java.vm.version").replaceAll("[^A-Za-z0-9.+_]", "_"));
      return cacheRoot().resolve("s3mock").resolve(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path cacheRoot() {
    String configured = System.getProperty(CACHE_PROPERTY);
    if (configured != null) {
      return Path.of(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return (xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("lakehouse");
  }

  /** The extracted jar (extracting it now if needed), or null when it cannot be extracted. */
  private static Path extracted(String javaBin, Path jar, Path dir) {
    Path app = dir.resolve("app");
    Path main = app.resolve(jar.getFileName());
    if (Files.isRegularFile(main)) {
      return main;
    }
    Path tmp = dir.resolve("app.tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      Process p =
          new ProcessBuilder(
                  javaBin,
                  "-Djarmode=tools",
                  "-jar",
                  jar.toString(),
                  "extract",
                  "--destination",
                  tmp.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
      if (p.isAlive()
          || p.exitValue() != 0
          || !Files.isRegularFile(tmp.resolve(jar.getFileName()))) {
        deleteTree(tmp);
        return null;
      }
      try {
        Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
        deleteTree(tmp); // another process extracted it meanwhile: the same files
      }
      return Files.isRegularFile(main) ? main : null;
    } catch (IOException e) {
      deleteTree(tmp);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deleteTree(tmp);
      return null;
    }
  }

  /**
   * Archives dumped by servers that exited: the first one a JVM accepts becomes the archive; the
   * others, and broken ones (a server killed while dumping), are deleted.
   */
  private static void promoteTrainings(
      String javaBin, List<String> flags, Path app, Path dir, Path archive) {
    List<Path> trainings = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TRAINING_SUFFIX)) {
      files.forEach(trainings::add);
    } catch (IOException e) {
      return;
    }
    trainings.sort(Comparator.naturalOrder());
    for (Path training : trainings) {
      try {
        if (Files.isRegularFile(archive)) {
          Files.deleteIfExists(training);
        } else if (accepted(javaBin, flags, app, training, dir)) {
          Files.move(training, archive, StandardCopyOption.ATOMIC_MOVE);
        } else if (Files.getLastModifiedTime(training)
            .toInstant()
            .isBefore(Instant.now().minus(DUMP_GRACE))) {
          Files.deleteIfExists(training);
        }
      } catch (IOException ignored) {
        // another process promoted or deleted it meanwhile
      }
    }
  }

  /** Whether a JVM maps the archive for this class path ({@code -Xshare:on} fails otherwise). */
  private static boolean accepted(
      String javaBin, List<String> flags, Path app, Path archive, Path dir) {
    Path crashLog = dir.resolve("check-" + UUID.randomUUID() + ".log");
    List<String> check = new ArrayList<>(List.of(javaBin));
    check.addAll(flags);
    check.addAll(
        List.of(
            "-Xshare:on",
            "-XX:SharedArchiveFile=" + archive,
            "-XX:ErrorFile=" + crashLog,
            "-XX:-CreateCoredumpOnCrash",
            "-cp",
            app.toString(),
            "-version"));
    try {
      Process p =
          new ProcessBuilder(check)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      boolean done = p.waitFor(1, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly();
      }
      return done && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      try {
        Files.deleteIfExists(crashLog);
      } catch (IOException ignored) {
        // a leftover crash log in the cache harms nothing
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException ignored) {
      // a leftover temporary directory in the cache harms nothing
    }
  }
}
