package dev.lakehouse.jobs.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.jobs.JobTestSupport;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilverPipelinesTest {
  @TempDir Path home;

  @Test
  void theNewestValidRowOfEachTrimmedKeyIsKept() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Dataset<Row> checked =
        spark.sql(
            """
        SELECT key, CAST(at AS TIMESTAMP) AS _ingestion_timestamp, line AS _source_line, reason AS _reject_reason, v
        FROM VALUES (' K1', '2026-11-01 00:00:00', 1, NULL, 'older ingest'),
                    ('K1', '2026-11-02 00:00:00', 1, NULL, 'newest valid'),
                    ('K1', '2026-11-03 00:00:00', 5, 'bad', 'rejected'),
                    ('K2', '2026-11-01 00:00:00', 1, NULL, 'earlier line'),
                    ('K2', '2026-11-01 00:00:00', 2, NULL, 'last line')
        AS t(key, at, line, reason, v)""");

    Dataset<Row> newest = SilverPipelines.newestValid(checked, "key");

    assertThat(newest.columns()).containsExactly(checked.columns());
    assertThat(newest.collectAsList().stream().map(r -> r.getString(0) + ":" + r.getString(4)))
        .containsExactlyInAnyOrder("K1:newest valid", "K2:last line");
  }
}
