package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Glue job jar ships only what Glue 5.0 does not provide, and nothing unrelocated that Glue
 * does (see docs/jobs.md, "The job class path"). That the jobs run from it on Spark's class path
 * alone is {@link AwsEmulatorTest}'s part.
 */
class GlueJobJarTest {
  static final long MB = 1_000_000;

  /** 341 MB before the trim, 209 MB after; Iceberg's Spark runtime alone is about 130 MB. */
  static final long CONTENT_BUDGET = 220 * MB;

  static List<ZipEntry> entries;

  @BeforeAll
  static void readTheBuiltJar() throws IOException {
    Path jar = TestStacks.infraDir().getParent().resolve(Artifacts.GLUE_JOBS_JAR);
    Assumptions.assumeTrue(
        Files.isRegularFile(jar) && Files.size(jar) > 1 << 20,
        "the Glue job jar is not built (mvn -B package -DskipTests -pl glue-jobs -am): its content checks are skipped");
    entries = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        entries.add(e.nextElement());
      }
    }
  }

  @Test
  void carriesNothingOfGluesRuntime() {
    List<String> classes =
        entries.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
    assertThat(classes)
        .as("provided by Glue, or local-only")
        .noneMatch(
            n ->
                n.startsWith("scala/")
                    || n.startsWith("breeze/")
                    || n.startsWith("spire/")
                    || n.startsWith("cats/")
                    || n.startsWith("org/apache/hadoop/")
                    || n.startsWith("io/netty/")
                    || n.startsWith("org/slf4j/")
                    || n.startsWith("org/sqlite/")
                    || n.startsWith("com/fasterxml/")
                    || n.startsWith("dev/lakehouse/local/")
                    // Iceberg's own classes live in Spark's SQL packages; nothing of Spark's
                    // does.
                    || (n.startsWith("org/apache/spark/") && !n.startsWith("org/apache/spark/sql/"))
                    || n.startsWith("org/apache/spark/sql/SparkSession")
                    || n.startsWith("org/apache/spark/sql/Dataset"));
    assertThat(classes)
        .as("shipped, so relocated")
        .noneMatch(
            n ->
                n.startsWith("software/amazon/awssdk/")
                    || n.startsWith("org/apache/http/")
                    || n.startsWith("org/apache/hc/")
                    || n.startsWith("org/apache/commons/codec/"));
  }

  @Test
  void shipsWhatGlueLacksWithinItsBudget() {
    List<String> names = entries.stream().map(ZipEntry::getName).toList();
    assertThat(names)
        .contains(
            "dev/lakehouse/jobs/BronzeIngestJob.class",
            "org/apache/iceberg/spark/SparkCatalog.class",
            "picocli/CommandLine.class",
            "dev/lakehouse/shaded/awssdk/services/glue/GlueClient.class",
            "dev/lakehouse/shaded/awssdk/services/s3/S3Client.class");
    assertThat(entries.stream().mapToLong(ZipEntry::getSize).sum())
        .as("uncompressed bytes")
        .isLessThanOrEqualTo(CONTENT_BUDGET);
  }
}
