package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.jobs.JobTestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one pass bronze makes over its parsed records: counts per object and drift together. */
class RecordTallyTest {
  @TempDir Path home;

  @Test
  void countsParsedAndRejectedRecordsPerObjectAcrossPartitions() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    RecordParser parser =
        new RecordParser(
            new StructType()
                .add("customer_id", DataTypes.StringType)
                .add("points", DataTypes.LongType),
            false);
    List<ParsedRecord> records = new ArrayList<>();
    String[] first = {
      "{\"customer_id\":\"C1\",\"points\":1}",
      "{\"customer_id\":\"C2\",\"points\":\"many\"}",
      "not json",
      "{\"customer_id\":\"C3\",\"points\":3,\"tier\":\"gold\"}"
    };
    String[] second = {"{\"customer_id\":\"C4\"}", "{\"customer_id\":\"C5\",\"points\":5}"};
    for (int i = 0; i < first.length; i++) {
      records.add(parser.parse(SourceRecord.of("s3://landing/a.jsonl", i + 1, first[i]), "x"));
    }
    for (int i = 0; i < second.length; i++) {
      records.add(parser.parse(SourceRecord.of("s3://landing/b.jsonl", i + 1, second[i]), "x"));
    }

    RecordTally tally =
        RecordTally.of(
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(records, 4));

    assertThat(tally.parsed("s3://landing/a.jsonl")).isEqualTo(2);
    assertThat(tally.rejected("s3://landing/a.jsonl")).isEqualTo(2);
    assertThat(tally.parsed("s3://landing/b.jsonl")).isEqualTo(2);
    assertThat(tally.rejected("s3://landing/b.jsonl")).isZero();
    assertThat(tally.parsed("s3://landing/none.jsonl")).isZero();
    assertThat(tally.rejected()).isEqualTo(2);
    assertThat(tally.records()).isEqualTo(6);
    assertThat(tally.drift()).containsOnlyKeys("tier");
    assertThat(tally.drift().get("tier").toString()).isEqualTo("string");
  }
}
