package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.jobs.JobTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's pure parts on plain strings (split size, grouping, CSV cells, JSON array elements),
 * and Spark's split path for an object larger than a split.
 */
class SourceReaderTest {
  @TempDir Path home;

  @Test
  void objectsAreSpreadOverTasksBySizeLargestFirst() {
    List<SourceObject> objects = new ArrayList<>();
    long[] sizes = {10, 70, 20, 30, 40};
    for (int i = 0; i < sizes.length; i++) {
      objects.add(new SourceObject("s3://b/" + i, "/" + i, LandingFormat.JSONL, false, sizes[i]));
    }
    assertThat(SourceReader.groups(objects, 2))
        .extracting(group -> group.stream().map(o -> o.sourceFile().substring(7)).toList())
        .containsExactly(List.of("1", "2"), List.of("4", "3", "0"));
    assertThat(SourceReader.groups(objects.subList(0, 1), 4)).hasSize(1);
  }

  @Test
  void anObjectIsSplitOnlyWhereSparksOwnReaderWouldSplitIt() {
    long mb = 1 << 20;
    // A hundred 10 kB drops on 2 cores: each counts its open cost (4 MB), so splits are 128 MB and
    // every drop is streamed; one 3 MB file is one 4 MB split; 10 MB split in two; 1 GB in 128 MB.
    long[] burst = new long[100];
    java.util.Arrays.fill(burst, 10_000);
    assertThat(SourceReader.splitSize(burst, 128 * mb, 4 * mb, 2)).isEqualTo(128 * mb);
    assertThat(SourceReader.splitSize(new long[] {3 * mb}, 128 * mb, 4 * mb, 2)).isEqualTo(4 * mb);
    assertThat(SourceReader.splitSize(new long[] {10 * mb}, 128 * mb, 4 * mb, 2)).isEqualTo(7 * mb);
    assertThat(SourceReader.splitSize(new long[] {1000 * mb}, 128 * mb, 4 * mb, 2))
        .isEqualTo(128 * mb);
  }

  @Test
  void aLargeObjectReadBySparksSplitReaderIsNumberedAndCleanedLikeAStreamedOne() throws Exception {
    SparkSession spark = JobTestSupport.lakehouse(home);
    StringBuilder jsonl = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      jsonl.append(i == 7 ? "" : "{\"n\":" + i + "}").append(i % 2 == 0 ? "\r\n" : "\n");
    }
    Path lines = Files.writeString(home.resolve("big.jsonl"), jsonl);
    Path csv =
        Files.writeString(
            home.resolve("big.csv"),
            "product_id,name\r\n" + "P1,a\r\n".repeat(20) + "P2\r\n" + "P3,c\r\n".repeat(20));
    spark.conf().set("spark.sql.files.maxPartitionBytes", "64");
    spark.conf().set("spark.sql.files.openCostInBytes", "16");
    try {
      List<SourceRecord> read =
          SourceReader.read(
                  spark,
                  SourceEntity.PRODUCTS,
                  List.of(
                      new SourceObject(
                          "s3://b/big.jsonl", lines.toString(), LandingFormat.JSONL, false, -1)))
              .collect();
      assertThat(read.stream().sorted(java.util.Comparator.comparingLong(SourceRecord::line)))
          .extracting(SourceRecord::sourceFile, SourceRecord::line, SourceRecord::json)
          .containsExactlyElementsOf(
              java.util.stream.IntStream.rangeClosed(1, 40)
                  .filter(i -> i != 7)
                  .mapToObj(i -> tuple("s3://b/big.jsonl", (long) i, "{\"n\":" + i + "}"))
                  .toList());
      assertThat(spark.read().text(lines.toString()).javaRDD().getNumPartitions()).isGreaterThan(1);

      List<SourceRecord> cells =
          SourceReader.read(
                  spark,
                  SourceEntity.PRODUCTS,
                  List.of(
                      new SourceObject(
                          "s3://b/big.csv", csv.toString(), LandingFormat.CSV, false, -1)))
              .collect();
      assertThat(cells).hasSize(41);
      assertThat(cells.stream().filter(r -> r.problem() != null))
          .extracting(SourceRecord::line, SourceRecord::raw, SourceRecord::problem)
          .containsExactly(tuple(22L, "P2", "CSV line does not have the header's 2 cells"));
      assertThat(cells.stream().filter(r -> r.line() == 23).findFirst().orElseThrow().json())
          .isEqualTo("{\"product_id\":\"P3\",\"name\":\"c\"}");
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
  }

  @Test
  void aCsvLineBecomesItsCellsOrAProblemWhenTheyDoNotMatchTheHeader() {
    CsvMapping mapping = new CsvMapping(SourceEntity.PRODUCTS, "product_id,name,price");
    SourceRecord fits =
        SourceReader.cells(mapping, SourceRecord.of("s3://b/p.csv", 2, "P1,\"Mug, blue\",9.50"));
    SourceRecord short1 = SourceReader.cells(mapping, SourceRecord.of("s3://b/p.csv", 3, "P2,x"));
    assertThat(List.of(fits, short1))
        .extracting(
            SourceRecord::line, SourceRecord::json, SourceRecord::problem, SourceRecord::cells)
        .containsExactly(
            tuple(
                2L,
                "{\"product_id\":\"P1\",\"name\":\"Mug, blue\",\"price\":\"9.50\"}",
                null,
                true),
            tuple(3L, null, "CSV line does not have the header's 3 cells", false));
    assertThat(short1.raw()).isEqualTo("P2,x");
  }

  @Test
  void aJsonArrayGivesItsElementsNumberedFromOneAndAnythingElseOneRecord() {
    List<SourceRecord> elements = new ArrayList<>();
    SourceReader.arrayElements("s3://b/a.json", "[{\"a\":1}, {\"a\":2.50}]")
        .forEachRemaining(elements::add);
    assertThat(elements)
        .extracting(SourceRecord::line, SourceRecord::json)
        .containsExactly(tuple(1L, "{\"a\":1}"), tuple(2L, "{\"a\":2.50}"));

    List<SourceRecord> notArray = new ArrayList<>();
    SourceReader.arrayElements("s3://b/a.json", "{\"a\":1}").forEachRemaining(notArray::add);
    assertThat(notArray)
        .extracting(SourceRecord::line, SourceRecord::json, SourceRecord::problem)
        .containsExactly(tuple(1L, "{\"a\":1}", null));
  }
}
