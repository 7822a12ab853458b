package dev.lakehouse.e2e;

import dev.lakehouse.local.stack.ProjectFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `lakehouse ...` in a process of its own, as a user's terminal runs it: the test JVM's classpath and JVM flags. */
final class CliProcess {
  private CliProcess() {}

  static Process start(Path home, Path log, String heap, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + ProjectFiles.locate().root().resolve("config/jvm.options"), "-Xmx" + heap,
        "-cp", System.getProperty("java.class.path"), "dev.lakehouse.local.cli.LakehouseCli",
        "--home", home.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
