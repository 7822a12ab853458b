package dev.lakehouse.local.trino;

import dev.lakehouse.local.stack.ProjectFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Trino's server (lib/) and Iceberg plugin, unpacked once from the archives Maven downloaded into
 * the local repository (the build of the {@code local} module resolves them) into a cache directory
 * shared by every home: {@code $XDG_CACHE_HOME/lakehouse/trino-476} (default ~/.cache). Only the
 * Iceberg plugin is installed: each plugin costs start-up time. The SQLite JDBC driver the
 * project's catalog uses is copied next to the plugin's jars, since Trino's JDBC catalog loads its
 * driver from the plugin's class path.
 */
public record TrinoDistribution(Path dir) {
  public static final String VERSION = "476";

  public Path lib() {
    return dir.resolve("lib");
  }

  public Path plugins() {
    return dir.resolve("plugin");
  }

  /** The unpacked distribution, unpacking it first if this is the first use on this machine. */
  public static TrinoDistribution installed() {
    Path cacheRoot =
        Optional.ofNullable(System.getenv("XDG_CACHE_HOME"))
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".cache"));
    return installed(cacheRoot.resolve("lakehouse").resolve("trino-" + VERSION));
  }

  static TrinoDistribution installed(Path dir) {
    TrinoDistribution distribution = new TrinoDistribution(dir);
    if (!Files.isDirectory(distribution.lib())) {
      unpack(dir);
    }
    distribution.installSqliteDriver();
    return distribution;
  }

  private static void unpack(Path dir) {
    Path server =
        ProjectFiles.mavenArtifact("io.trino", "trino-server-core", VERSION, null, "tar.gz");
    Path iceberg = ProjectFiles.mavenArtifact("io.trino", "trino-iceberg", VERSION, null, "zip");
    for (Path archive : new Path[] {server, iceberg}) {
      if (!Files.isRegularFile(archive)) {
        throw new IllegalStateException(
            "Trino "
                + VERSION
                + " is not in the local Maven repository ("
                + archive
                + "); build the CLI once with network access: mvn -B -pl local -am package -DskipTests");
      }
    }
    // Unpacked beside the final directory and moved into place in one step: two processes starting
    // at once
    // never see half a distribution.
    Path partial =
        dir.resolveSibling(dir.getFileName() + ".partial-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(partial);
      String prefix = "trino-server-core-" + VERSION + "/lib";
      Process tar =
          new ProcessBuilder(
                  "tar",
                  "-xzf",
                  server.toString(),
                  "-C",
                  partial.toString(),
                  "--strip-components=1",
                  prefix)
              .redirectErrorStream(true)
              .start();
      String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (tar.waitFor() != 0) {
        throw new IllegalStateException("could not unpack " + server + ": " + output.strip());
      }
      unzip(iceberg, partial.resolve("plugin/iceberg"));
      try {
        Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException anotherProcessWon) {
        deleteTree(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack Trino into " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking Trino", e);
    }
  }

  /**
   * The zip's single top directory (trino-iceberg-476/) is dropped: its content lands in {@code
   * target}.
   */
  private static void unzip(Path zip, Path target) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        int slash = name.indexOf('/');
        if (entry.isDirectory() || slash < 0) {
          continue;
        }
        Path out = target.resolve(name.substring(slash + 1)).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("unexpected entry " + name + " in " + zip);
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * The CLI's own SQLite driver jar, so Trino reads the catalog with the driver the project writes
   * it with.
   */
  private void installSqliteDriver() {
    try {
      Path jar =
          Path.of(
              org.sqlite.JDBC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path pluginDir = plugins().resolve("iceberg");
      Path installed = pluginDir.resolve(jar.getFileName());
      if (Files.isRegularFile(installed)) {
        return;
      }
      try (DirectoryStream<Path> older = Files.newDirectoryStream(pluginDir, "sqlite-jdbc-*.jar")) {
        for (Path old : older) {
          Files.delete(old);
        }
      }
      Path copy =
          pluginDir.resolve(jar.getFileName() + ".partial-" + ProcessHandle.current().pid());
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          copy, installed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not install the SQLite driver into " + plugins(), e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
