package dev.lakehouse.local.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the local stack finds what the build produced: the ASL files in {@code statemachines/} and
 * S3Mock's jar. The repo root comes from {@code -Dlakehouse.root} (set by ./lakehouse) or is found
 * by walking up from the working directory (tests run in a module directory).
 */
public record ProjectFiles(Path root) {
  public static final String S3MOCK_VERSION = "5.2.0";

  public static ProjectFiles locate() {
    String property = System.getProperty("lakehouse.root");
    if (property != null) {
      return new ProjectFiles(Path.of(property).toAbsolutePath().normalize());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("statemachines"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return new ProjectFiles(dir);
      }
    }
    throw new IllegalStateException(
        "cannot find the project root (a directory with statemachines/ and pom.xml); "
            + "run from the repository or set -Dlakehouse.root");
  }

  public Path stateMachine(String name) {
    return root.resolve("statemachines").resolve(name + ".asl.json");
  }

  /**
   * S3Mock's exec jar: copied by the build into local/target, else straight from the local Maven
   * repository.
   */
  public Path s3MockJar() {
    Path built = root.resolve("local/target/s3mock/s3mock-exec.jar");
    if (Files.isRegularFile(built)) {
      return built;
    }
    return mavenArtifact("com.adobe.testing", "s3mock", S3MOCK_VERSION, "exec", "jar");
  }

  /**
   * An artifact in the local Maven repository ({@code -Dmaven.repo.local}, else ~/.m2/repository).
   */
  public static Path mavenArtifact(
      String group, String artifact, String version, String classifier, String type) {
    Path repo =
        Optional.ofNullable(System.getProperty("maven.repo.local"))
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".m2", "repository"));
    return repo.resolve(group.replace('.', '/'))
        .resolve(artifact)
        .resolve(version)
        .resolve(
            artifact + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type);
  }
}
