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
 * Writers append to and MERGE into one merge-on-read table at the same time while compaction keeps
 * rewriting its files: commits that lose the catalog's compare-and-swap, and MERGEs whose files
 * were rewritten under them (Iceberg's validation), are planned again (CommitConflicts), so every
 * row lands exactly once and nothing is lost.
 *
 * <p>CI runs {@value #WRITERS} writers × {@value #DEFAULT_COMMITS} commits; the full proof recorded
 * in docs/reliability.md runs 50 commits each: {@code -Dreliability.commits=50}.
 */
class ConcurrentCommitsTest {
  static final int WRITERS = 8;
  static final int DEFAULT_COMMITS = 4;
  static final int COMMITS_PER_WRITER = Integer.getInteger("reliability.commits", DEFAULT_COMMITS);
  static final int KEYS_PER_COMMIT = 10;

  @TempDir Path home;

  @Test
  void concurrentAppendsMergesAndACompactionLoseNothingAndDuplicateNothing() throws Exception {
    SparkSession spark = JobTestSupport.lakehouse(home);
    String table = "ecommerce_lakehouse.curated_products";
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger compactions = new AtomicInteger();
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(
          pool.submit(
              () -> {
                for (int round = 1; round <= COMMITS_PER_WRITER; round++) {
                  // Odd rounds append new keys A<writer>-<round>-<i>; even rounds upsert this
                  // writer's keys M<writer>-<i>.
                  // Either way the round number is the price, so the end state says which commit
                  // landed how often.
                  String rows =
                      """
              SELECT concat('%s', id) AS product_id, 'Books' AS category, CAST(%d AS DECIMAL(10,2)) AS price,
                     's3://landing/w%d' AS _source_file, current_timestamp() AS _updated_at FROM range(%d)"""
                          .formatted(
                              round % 2 == 1
                                  ? "A" + writer + "-" + round + "-"
                                  : "M" + writer + "-",
                              round,
                              writer,
                              KEYS_PER_COMMIT);
                  // An insert-only MERGE is planned by Spark as an append (new keys: nothing to
                  // match); the other updates.
                  String sql =
                      """
              MERGE INTO %s t USING (%s) s ON t.product_id = s.product_id
              %s
              WHEN NOT MATCHED THEN INSERT (product_id, category, price, _source_file, _updated_at)
                VALUES (s.product_id, s.category, s.price, s._source_file, s._updated_at)"""
                          .formatted(
                              table,
                              rows,
                              round % 2 == 1
                                  ? ""
                                  : "WHEN MATCHED THEN UPDATE SET t.price = s.price, t._updated_at = s._updated_at");
                  CommitConflicts.retrying(() -> spark.sql(sql).count(), "writer " + writer);
                }
              }));
    }
    Future<?> compactor =
        pool.submit(
            () -> {
              while (writing.get()) {
                compactions.incrementAndGet();
                try {
                  // As the maintenance pipeline runs it: a job, retried when it loses to a writer.
                  CommitConflicts.retrying(
                      () ->
                          CompactionJob.fromArgs(
                                  "--table", "curated_products", "--min-input-files", "2")
                              .execute(spark),
                      "compaction");
                } catch (RuntimeException lostToWritersEveryTime) {
                  // compaction is best effort: it tries again on the next round
                }
              }
            });
    for (Future<?> w : writers) {
      w.get(30, TimeUnit.MINUTES);
    }
    writing.set(false);
    compactor.get(10, TimeUnit.MINUTES);
    pool.shutdown();

    int appends = (COMMITS_PER_WRITER + 1) / 2;
    int lastMerge = COMMITS_PER_WRITER - COMMITS_PER_WRITER % 2;
    long appendedRows = (long) WRITERS * appends * KEYS_PER_COMMIT;
    long mergedKeys = (long) WRITERS * KEYS_PER_COMMIT;
    // Sum of the odd rounds 1, 3, ... (appends * appends), each appended row once; each merged key
    // at the last round.
    long priceSum = (long) WRITERS * KEYS_PER_COMMIT * appends * appends + mergedKeys * lastMerge;
    String expected =
        "["
            + (appendedRows + mergedKeys)
            + ","
            + (appendedRows + mergedKeys)
            + ","
            + priceSum
            + ".00,"
            + mergedKeys
            + "]";
    String query =
        "SELECT count(*), count(DISTINCT product_id), sum(price), count_if(product_id LIKE 'M%' AND price = "
            + lastMerge
            + ") FROM "
            + table;
    assertThat(rows(spark, query).get(0).toString()).isEqualTo(expected);
    assertThat(compactions.get()).as("compactions started while the writers ran").isPositive();
    CompactionJob.fromArgs("--table", "curated_products", "--min-input-files", "2").execute(spark);
    assertThat(rows(spark, query).get(0).toString()).isEqualTo(expected);
  }
}
