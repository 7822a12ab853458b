package dev.lakehouse.local.trino;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrinoJavaTest {
  @TempDir Path dir;

  @Test
  void theNewestJdkUnderTheJvmDirectoryWhenNeitherTheVariableNorJavaHomeNamesOne()
      throws Exception {
    Path jvms = dir.resolve("jvm");
    jdk(jvms.resolve("java-17"), "17.0.15");
    jdk(jvms.resolve("temurin-24"), "24.0.2");
    Path newest = jdk(jvms.resolve("temurin-25"), "25.0.3");

    assertThat(TrinoJava.find(Map.of(), jvms)).contains(newest.resolve("bin/java"));
    assertThat(TrinoJava.find(Map.of("JAVA_HOME", jvms.resolve("temurin-24").toString()), jvms))
        .contains(jvms.resolve("temurin-24/bin/java"));
  }

  @Test
  void theVariableAloneWhenSetAndNothingBelowJava24() throws Exception {
    Path jvms = dir.resolve("jvm");
    Path old = jdk(jvms.resolve("java-17"), "17.0.15");
    jdk(jvms.resolve("temurin-25"), "25.0.3");

    assertThat(TrinoJava.find(Map.of(TrinoJava.ENV, old.toString()), jvms)).isEmpty();
    assertThat(
            TrinoJava.find(
                Map.of(TrinoJava.ENV, jvms.resolve("temurin-25/bin/java").toString()), jvms))
        .contains(jvms.resolve("temurin-25/bin/java"));
    assertThat(
            TrinoJava.find(Map.of("JAVA_HOME", old.toString()), dir.resolve("none"))
                .filter(java -> !java.startsWith(Path.of(System.getProperty("java.home")))))
        .as("Java 17 is never chosen")
        .isEmpty();
    assertThat(TrinoJava.missingMessage())
        .isEqualTo(
            "Trino needs Java 24 or newer (the CLI itself runs on Java 17): "
                + "install one (e.g. Temurin 25) and point LAKEHOUSE_TRINO_JAVA (or JAVA_HOME) at its directory");
  }

  private static Path jdk(Path home, String version) throws Exception {
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
