package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.tables.TableDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What one silver entity supplies to the shared run ({@link SilverPipelines#promote}): small
 * Dataset functions for the steps that differ between entities. The run does the rest the same way
 * for every entity: load the pending bronze rows, quarantine the rejects (and lines a later line of
 * the same file supersedes), keep the newest valid row per key, stage, enforce the quality gate and
 * commit, the last commit carrying the bronze watermark.
 *
 * @param <S> what the entity stages before its first write
 */
interface SilverEntity<S extends SilverEntity.Staged> {
  /**
   * Everything an entity promotes, computed before any write: a run that fails while writing stages
   * the same again when rerun, because nothing it read has changed.
   */
  interface Staged {
    /** Dates (yyyy-MM-dd) gold must recompute, written into the watermark commit's summary. */
    List<String> affectedDates();

    /** Entity-specific counts for the job result, besides those every entity reports. */
    default Map<String, Object> details() {
      return Map.of();
    }
  }

  TableDefinition bronze();

  /**
   * The silver table whose last commit of a run carries the watermark; the job result is about it.
   */
  TableDefinition silver();

  /**
   * Every silver table a run may write, compacted after the run's commits where they reached their
   * threshold (see {@link SilverPipelines#compactWritten}).
   */
  default List<TableDefinition> written() {
    return List.of(silver());
  }

  /** The column that identifies a record of the batch (before trimming). */
  String key();

  /** The batch with a {@code _reject_reason} column: NULL for a valid row, why otherwise. */
  Dataset<Row> validate(Dataset<Row> batch);

  /** The newest valid row of each key, in the shape the entity stages from. */
  Dataset<Row> shape(Dataset<Row> newest, Instant now);

  /**
   * Stages the promotion of {@code latest} (derived from the run's checkpointed batch: {@code rows}
   * rows, one per key, at least one). Affected dates come from what changes in gold's view: rows
   * whose gold-visible attributes are new or differ from silver's, never every row of the batch.
   */
  S stage(SparkSession spark, Dataset<Row> latest, long rows, Instant now);

  /**
   * The declared data quality checks over what is staged; throws when one fails, before anything is
   * written.
   */
  void gate(S staged);

  /**
   * Writes what is staged, one commit per table; the last commit goes through {@link
   * SilverSql#commitWith} with {@code watermark} so the watermark never claims rows that were not
   * merged.
   */
  void commit(SparkSession spark, S staged, Map<String, String> watermark, Instant now);
}
