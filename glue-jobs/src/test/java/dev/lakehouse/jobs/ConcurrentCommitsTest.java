package dev.lakehouse.jobs;

import static dev.lakehouse.jobs.JobTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers MERGE into one merge-on-read table at the same time while compaction keeps rewriting its files: the
 * MERGEs whose files were rewritten under them fail Iceberg's validation and are planned again (CommitConflicts),
 * so every upsert lands exactly once and nothing is lost.
 */
class ConcurrentCommitsTest {
  // Two writers of one table is what the pipeline has (the orders silver job updates customers' stats while the
  // customers silver job runs), plus compaction from the maintenance schedule.
  static final int WRITERS = 2;
  static final int MERGES_PER_WRITER = 6;
  static final int KEYS_PER_MERGE = 20;

  @TempDir Path home;

  @Test
  void concurrentMergesAndACompactionLoseNothingAndDuplicateNothing() throws Exception {
    SparkSession spark = JobTestSupport.lakehouse(home);
    String table = "ecommerce_lakehouse.curated_products";
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger compactions = new AtomicInteger();
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(pool.submit(() -> {
        for (int round = 1; round <= MERGES_PER_WRITER; round++) {
          int r = round;
          // Each round upserts the same keys of this writer with the round number as the price.
          CommitConflicts.retrying(() -> spark.sql("""
              MERGE INTO %s t USING (
                SELECT concat('W%d-', id) AS product_id, 'Books' AS category,
                       CAST(%d AS DECIMAL(10,2)) AS price, 's3://landing/w%d' AS _source_file,
                       current_timestamp() AS _updated_at
                FROM range(%d)) s
              ON t.product_id = s.product_id
              WHEN MATCHED THEN UPDATE SET t.price = s.price, t._updated_at = s._updated_at
              WHEN NOT MATCHED THEN INSERT (product_id, category, price, _source_file, _updated_at)
                VALUES (s.product_id, s.category, s.price, s._source_file, s._updated_at)"""
              .formatted(table, writer, r, writer, KEYS_PER_MERGE)).count(), "merge W" + writer);
        }
      }));
    }
    Future<?> compactor = pool.submit(() -> {
      while (writing.get()) {
        compactions.incrementAndGet();
        try {
          CompactionJob.fromArgs("--table", "curated_products", "--min-input-files", "2").run(spark);
        } catch (RuntimeException lostToAWriter) {
          // compaction is best effort: it tries again on the next round
        }
      }
    });
    for (Future<?> w : writers) {
      w.get(10, TimeUnit.MINUTES);
    }
    writing.set(false);
    compactor.get(10, TimeUnit.MINUTES);
    pool.shutdown();

    assertThat(rows(spark, "SELECT count(*), count(DISTINCT product_id), min(price), max(price) FROM " + table)
        .get(0).toString()).isEqualTo("[" + WRITERS * KEYS_PER_MERGE + "," + WRITERS * KEYS_PER_MERGE + ","
            + MERGES_PER_WRITER + ".00," + MERGES_PER_WRITER + ".00]");
    assertThat(compactions.get()).as("compactions started while the writers ran").isPositive();
    String expected = rows(spark, "SELECT count(*), count(DISTINCT product_id), sum(price) FROM " + table).get(0).toString();
    CompactionJob.fromArgs("--table", "curated_products", "--min-input-files", "2").run(spark);
    assertThat(rows(spark, "SELECT count(*), count(DISTINCT product_id), sum(price) FROM " + table).get(0).toString())
        .isEqualTo(expected);
  }
}
