package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lambda deployment package stays far inside Lambda's limits and carries no dead weight. Lambda
 * unpacks the package and counts the unpacked bytes against 250 MB; the function jar under {@code
 * lib/} stays one compressed file there, and its own content has a budget too, so what was cut
 * (Hadoop's YARN/HDFS/MapReduce v2, SQLite, Netty, ORC, natives for other platforms) cannot creep
 * back unnoticed. What the trimmed jar still does is run by {@link AwsEmulatorTest}: reads, commits
 * and S3 moves from this very package.
 */
class LambdaPackageTest {
  static final long MB = 1_000_000;

  /** Lambda's measure: the unpacked deployment package. The limit is 250 MB. */
  static final long PACKAGE_BUDGET = 120 * MB;

  /**
   * The classes and resources inside the function jar, uncompressed: 240 MB before the trim, 171 MB
   * after, 180.5 MB with the SQS, Step Functions and Secrets Manager clients (batched ingestion,
   * the REST source).
   */
  static final long JAR_CONTENT_BUDGET = 190 * MB;

  static Path unpacked;

  @BeforeAll
  static void unpackTheBuiltPackage() {
    Path zip = TestStacks.infraDir().getParent().resolve(Artifacts.FUNCTIONS_PACKAGE);
    Assumptions.assumeTrue(
        Files.isRegularFile(zip),
        "the Lambda package is not built (mvn -B package -DskipTests -pl functions -am): its size checks are skipped");
    unpacked = TestStacks.infraDir().resolve("target/lambda-package-check");
    unpack(zip, unpacked);
  }

  @Test
  void theUnpackedPackageIsUnderItsBudget() throws IOException {
    long bytes;
    try (Stream<Path> files = Files.walk(unpacked)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(LambdaPackageTest::size).sum();
    }
    assertThat(bytes).as("unpacked deployment package, bytes").isLessThanOrEqualTo(PACKAGE_BUDGET);
    assertThat(
            entries(unpacked.resolve("lib/lakehouse-functions.jar")).stream()
                .mapToLong(ZipEntry::getSize)
                .sum())
        .as("function jar content, uncompressed bytes")
        .isLessThanOrEqualTo(JAR_CONTENT_BUDGET);
  }

  @Test
  void theFunctionJarCarriesNothingLambdaCannotUse() {
    List<String> names =
        entries(unpacked.resolve("lib/lakehouse-functions.jar")).stream()
            .map(ZipEntry::getName)
            .toList();
    assertThat(names)
        .as("local-only or unused code")
        .noneMatch(
            n ->
                n.startsWith("org/sqlite/")
                    || n.startsWith("dev/lakehouse/local/")
                    || n.startsWith("io/netty/")
                    || n.startsWith("org/apache/orc/")
                    || n.startsWith("org/apache/hadoop/yarn/")
                    || n.startsWith("org/apache/hadoop/hdfs/")
                    || n.startsWith("org/apache/hadoop/mapreduce/v2/")
                    || n.startsWith("webapps/"));
    // Natives for the one platform FunctionsConstruct deploys (x86_64 Linux).
    List<String> natives =
        names.stream()
            .filter(
                n ->
                    n.endsWith(".so")
                        || n.endsWith(".dll")
                        || n.endsWith(".dylib")
                        || n.endsWith(".jnilib")
                        || n.endsWith(".a"))
            .toList();
    assertThat(natives)
        .hasSize(2)
        .allMatch(
            n ->
                n.startsWith("linux/amd64/")
                    || n.startsWith("org/xerial/snappy/native/Linux/x86_64/"));
    // What Parquet reads and writes need from Hadoop is still there (AwsEmulatorTest runs them).
    assertThat(names)
        .contains(
            "org/apache/hadoop/conf/Configuration.class",
            "org/apache/hadoop/mapreduce/lib/input/FileInputFormat.class",
            "core-default.xml");
  }

  /**
   * Unpacks a deployment package as Lambda does; answers the class path the Java runtime gives it.
   */
  static String unpack(Path zip, Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> old = Files.walk(dir)) {
          for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      try (ZipFile archive = new ZipFile(zip.toFile())) {
        for (ZipEntry e : entries(archive)) {
          Path target = dir.resolve(e.getName()).normalize();
          if (!target.startsWith(dir)) {
            throw new IOException("entry outside the package: " + e.getName());
          }
          if (e.isDirectory()) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            try (InputStream in = archive.getInputStream(e)) {
              Files.copy(in, target);
            }
          }
        }
      }
      return dir + File.pathSeparator + dir.resolve("lib") + File.separator + "*";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ZipEntry> entries(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return entries(zip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ZipEntry> entries(ZipFile zip) {
    List<ZipEntry> out = new ArrayList<>();
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      out.add(e.nextElement());
    }
    return out;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
