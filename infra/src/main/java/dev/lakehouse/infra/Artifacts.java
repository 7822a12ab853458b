package dev.lakehouse.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Where the build outputs of the other modules are, resolved against the repository root. The infra
 * module must synthesize (and its tests must pass) before those modules are packaged, so a missing
 * artifact is replaced by a placeholder under {@code infra/target/placeholder-assets/}: the
 * resource is still defined, only its code is a stub. With {@code lakehouse:strictArtifacts=true}
 * (use it for deploys) a missing artifact fails the synth instead.
 */
public record Artifacts(
    Path repoRoot,
    Path functionsPackage,
    Path glueJobsJar,
    Path glueStubScript,
    Path glueLauncherScript,
    Path ingestStateMachine,
    Path maintenanceStateMachine,
    List<String> placeholders) {

  /**
   * The Lambda deployment package: the function jar under {@code lib/} (see
   * functions/src/assembly).
   */
  public static final String FUNCTIONS_PACKAGE = "functions/target/lakehouse-functions.zip";

  public static final String GLUE_JOBS_JAR = "glue-jobs/target/lakehouse-glue-jobs.jar";
  public static final String GLUE_STUB = "infra/glue/LakehouseJobStub.scala";
  public static final String GLUE_LAUNCHER = "infra/glue/LakehouseJobLauncher.scala";
  public static final String INGEST_ASL = "statemachines/ingest-pipeline.asl.json";
  public static final String MAINTENANCE_ASL = "statemachines/maintenance.asl.json";
  static final String PLACEHOLDER_DIR = "infra/target/placeholder-assets";

  /** Builds every artifact the stack deploys (the Lambda and Glue jars). */
  public static final String BUILD_COMMAND = "mvn -B package -DskipTests";

  /** An artifact the stack would deploy is not built. */
  public static final class MissingArtifact extends IllegalStateException {
    MissingArtifact(String message) {
      super(message);
    }
  }

  public Artifacts {
    placeholders = List.copyOf(placeholders);
  }

  /**
   * Resolves every artifact under {@code repoRoot}, substituting placeholders unless {@code
   * strict}.
   */
  public static Artifacts resolve(Path repoRoot, boolean strict) {
    Path root = repoRoot.toAbsolutePath().normalize();
    List<String> missing = new ArrayList<>();
    Path placeholderDir = root.resolve(PLACEHOLDER_DIR);
    Path functions =
        orPlaceholder(
            root, FUNCTIONS_PACKAGE, strict, missing, p -> placeholderArchive(placeholderDir, p));
    Path jobs =
        orPlaceholder(
            root, GLUE_JOBS_JAR, strict, missing, p -> placeholderArchive(placeholderDir, p));
    Path ingest =
        orPlaceholder(root, INGEST_ASL, strict, missing, p -> placeholderAsl(placeholderDir, p));
    Path maintenance =
        orPlaceholder(
            root, MAINTENANCE_ASL, strict, missing, p -> placeholderAsl(placeholderDir, p));
    Path stub = root.resolve(GLUE_STUB);
    Path launcher = root.resolve(GLUE_LAUNCHER);
    for (Path script : List.of(stub, launcher)) {
      if (!Files.isRegularFile(script)) {
        throw new IllegalStateException(
            "Glue script missing: " + script + " (is " + root + " the repository root?)");
      }
    }
    return new Artifacts(root, functions, jobs, stub, launcher, ingest, maintenance, missing);
  }

  /**
   * The repository root: {@code lakehouse:repoRoot} if given, else the nearest directory upwards
   * from the working directory that holds {@code cdk.json} (the CLI runs the app from there; Maven
   * runs tests from {@code infra/}).
   */
  public static Path findRepoRoot(Object contextValue) {
    if (contextValue != null && !contextValue.toString().isBlank()) {
      return Path.of(contextValue.toString());
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("cdk.json"))) {
        return p;
      }
    }
    return dir;
  }

  private interface Maker {
    Path make(String relative) throws IOException;
  }

  private static Path orPlaceholder(
      Path root, String relative, boolean strict, List<String> missing, Maker maker) {
    Path real = root.resolve(relative);
    if (Files.isRegularFile(real)) {
      return real;
    }
    if (strict) {
      throw new MissingArtifact(
          relative
              + " does not exist: build what the stack deploys first with "
              + "'"
              + BUILD_COMMAND
              + "' (a synth with placeholder code, for tests only: -c lakehouse:strictArtifacts=false)");
    }
    missing.add(relative);
    try {
      return maker.make(relative);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A valid, byte-for-byte reproducible zip (stable asset hash) that says what it stands in for.
   */
  static Path placeholderArchive(Path dir, String relative) throws IOException {
    Path file = dir.resolve(Path.of(relative).getFileName());
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      ZipEntry entry = new ZipEntry("PLACEHOLDER.txt");
      entry.setTime(315532800000L); // 1980-01-01, the zip epoch: same bytes on every synth
      zip.putNextEntry(entry);
      zip.write(
          ("Placeholder for " + relative + ": build that module before deploying.\n")
              .getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return file;
  }

  /** A valid state machine that fails at once, naming the missing definition. */
  static Path placeholderAsl(Path dir, String relative) throws IOException {
    Path file = dir.resolve(Path.of(relative).getFileName());
    Files.createDirectories(dir);
    Files.writeString(
        file,
        """
        {
          "Comment": "Placeholder: %s was missing when this stack was synthesized.",
          "StartAt": "DefinitionMissing",
          "States": {
            "DefinitionMissing": {
              "Type": "Fail",
              "Error": "Lakehouse.DefinitionMissing",
              "Cause": "%s was not present at synth time"
            }
          }
        }
        """
            .formatted(relative, relative));
    return file;
  }
}
