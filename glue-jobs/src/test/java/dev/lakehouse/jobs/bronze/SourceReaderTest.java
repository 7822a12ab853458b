package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.tables.SourceEntity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader's pure parts on plain strings: grouping, CSV cells, JSON array elements. */
class SourceReaderTest {
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
