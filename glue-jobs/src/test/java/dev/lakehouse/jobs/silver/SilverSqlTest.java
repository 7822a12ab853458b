package dev.lakehouse.jobs.silver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.jobs.JobTestSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilverSqlTest {
  @TempDir Path home;

  @Test
  void aTargetFilterListsTheKeysAsSparkReadsThemBackQuotesAndBackslashesIncluded() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    String filter = SilverSql.keyIn("t.id", Optional.of(List.of("O'1", "O\\2", "O3")));

    List<Row> rows =
        spark
            .sql(
                "SELECT id FROM VALUES ('O\\'1'), ('O\\\\2'), ('O3'), ('O4'), ('O1') AS t(id) WHERE true"
                    + filter)
            .collectAsList();

    assertThat(rows.stream().map(r -> r.getString(0))).containsExactly("O'1", "O\\2", "O3");
    assertThat(SilverSql.keyIn("t.id", Optional.of(List.of()))).isEqualTo(" AND false");
    assertThat(SilverSql.keyIn("t.id", Optional.empty())).isEmpty();
  }

  @Test
  void keysAreDistinctAndGivenUpBeyondTheLimitSoTheMergeJoinsTheWholeTable() {
    SparkSession spark = JobTestSupport.lakehouse(home);

    assertThat(
            SilverSql.keys(spark.sql("SELECT * FROM VALUES ('b'), ('a'), ('b') AS t(k)"))
                .map(keys -> keys.stream().sorted().toList()))
        .contains(List.of("a", "b"));
    assertThat(
            SilverSql.keys(
                spark.sql(
                    "SELECT CAST(id AS STRING) FROM range(%d)"
                        .formatted(SilverSql.TARGET_KEYS_MAX + 1))))
        .isEmpty();
    assertThat(
            SilverSql.keys(
                    spark.sql(
                        "SELECT CAST(id AS STRING) FROM range(%d)"
                            .formatted(SilverSql.TARGET_KEYS_MAX)))
                .map(List::size))
        .contains(SilverSql.TARGET_KEYS_MAX);
  }

  @Test
  void onlyBatchesUpToTheLimitAreBroadcast() {
    assertThat(SilverSql.broadcastHint(SilverSql.BROADCAST_MAX_ROWS, "n", "c"))
        .isEqualTo("/*+ BROADCAST(n, c) */");
    assertThat(SilverSql.broadcastHint(SilverSql.BROADCAST_MAX_ROWS + 1, "n")).isEmpty();
  }
}
