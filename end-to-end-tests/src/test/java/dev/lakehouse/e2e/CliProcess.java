package dev.lakehouse.e2e;

import dev.lakehouse.local.stack.ProjectFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `lakehouse ...` in a process of its own, as a user's terminal runs it: the test JVM's classpath
 * and JVM flags.
 */
final class CliProcess {
  private CliProcess() {}

  static Process start(Path home, Path log, String heap, String... args) throws IOException {
    List<String> cliArgs = new ArrayList<>(List.of("--home", home.toString()));
    cliArgs.addAll(List.of(args));
    return java(log, heap, "dev.lakehouse.local.cli.LakehouseCli", cliArgs);
  }

  /** Any main class of the test classpath in a JVM of its own, output to {@code log}. */
  static Process java(Path log, String heap, String mainClass, List<String> args)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + ProjectFiles.locate().root().resolve("config/jvm.options"),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
