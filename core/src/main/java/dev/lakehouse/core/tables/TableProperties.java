package dev.lakehouse.core.tables;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Table properties every lakehouse table is created with, plus the per-zone write modes. See
 * docs/tables.md for why each value was chosen.
 */
public final class TableProperties {
  /**
   * Custom property naming the table's zone, so tools (CDK, Athena named queries, CLI) can group
   * tables.
   */
  public static final String ZONE = "lakehouse.zone";

  /**
   * A partition is compacted once it holds this many data files (or one of its files that many
   * delete files): by the nightly maintenance in every zone, and right after each write where
   * {@link #COMPACT_AFTER_WRITE} is on. Iceberg's rewrite option of the same name.
   */
  public static final String COMPACT_MIN_INPUT_FILES = "lakehouse.compact.min-input-files";

  public static final int DEFAULT_COMPACT_MIN_INPUT_FILES = 5;

  /**
   * Whether the job that wrote the table compacts the partitions that reached {@link
   * #COMPACT_MIN_INPUT_FILES} right after its commits: on for partitioned silver tables, whose
   * appends and MERGEs add a data file per partition they touch, so their files stay bounded
   * without a nightly wait while a rewrite stays the size of the partitions the batch touched. Off
   * for the unpartitioned dimensions, where a rewrite is the whole table: the nightly run keeps
   * them.
   */
  public static final String COMPACT_AFTER_WRITE = "lakehouse.compact.after-write";

  public static final long TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;
  public static final long MAX_SNAPSHOT_AGE_MS = 7L * 24 * 60 * 60 * 1000;
  public static final int MIN_SNAPSHOTS_TO_KEEP = 5;
  public static final int PREVIOUS_METADATA_VERSIONS_MAX = 50;

  private TableProperties() {}

  /** The table's {@link #COMPACT_MIN_INPUT_FILES}, the default where it predates the property. */
  public static int compactMinInputFiles(Map<String, String> properties) {
    String value = properties.get(COMPACT_MIN_INPUT_FILES);
    if (value == null) {
      return DEFAULT_COMPACT_MIN_INPUT_FILES;
    }
    try {
      int files = Integer.parseInt(value.trim());
      if (files >= 1) {
        return files;
      }
    } catch (NumberFormatException notANumber) {
      // named below, as a threshold below 1 is
    }
    throw new IllegalArgumentException(
        COMPACT_MIN_INPUT_FILES + " must be a whole number of at least 1, was '" + value + "'");
  }

  /**
   * The table's {@link #COMPACT_AFTER_WRITE}; where it predates the property, what it is declared
   * with now.
   */
  public static boolean compactAfterWrite(Map<String, String> properties, boolean partitioned) {
    String value = properties.get(COMPACT_AFTER_WRITE);
    return value == null
        ? compactsAfterWrite(Zone.SILVER.label().equals(properties.get(ZONE)), partitioned)
        : Boolean.parseBoolean(value.trim());
  }

  private static boolean compactsAfterWrite(boolean silver, boolean partitioned) {
    return silver && partitioned;
  }

  static Map<String, String> forTable(
      Zone zone, boolean partitioned, Map<String, String> overrides) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("format-version", "2");
    props.put(ZONE, zone.label());
    props.put("write.format.default", "parquet");
    props.put("write.parquet.compression-codec", "zstd");
    props.put("write.avro.compression-codec", "gzip");
    props.put("write.metadata.compression-codec", "gzip");
    props.put("write.target-file-size-bytes", Long.toString(TARGET_FILE_SIZE_BYTES));
    props.put("history.expire.max-snapshot-age-ms", Long.toString(MAX_SNAPSHOT_AGE_MS));
    props.put("history.expire.min-snapshots-to-keep", Integer.toString(MIN_SNAPSHOTS_TO_KEEP));
    props.put("write.metadata.delete-after-commit.enabled", "true");
    props.put(
        "write.metadata.previous-versions-max", Integer.toString(PREVIOUS_METADATA_VERSIONS_MAX));
    props.put("write.metadata.metrics.default", "truncate(16)");
    // Hash distribution clusters rows by partition before writing, so each task writes one file per
    // partition. Not in bronze: a load's rows share one partition (the day it was ingested), so the
    // shuffle would only funnel a whole file into one writing task; each reading task writes its
    // own file instead (fanout keeps a write that does span days correct).
    boolean clustered = partitioned && zone != Zone.BRONZE;
    props.put("write.distribution-mode", clustered ? "hash" : "none");
    if (zone == Zone.BRONZE) {
      props.put("write.spark.fanout.enabled", "true");
    }
    // Several writers (bronze of two files, Lambdas recording runs) may commit to one table at
    // once.
    props.put("commit.retry.num-retries", "10");
    props.put("commit.retry.min-wait-ms", "100");
    props.put("commit.retry.max-wait-ms", "10000");
    // Keep data files under the zone prefix so S3 lifecycle rules can target each zone.
    props.put("write.object-storage.enabled", "false");
    String rowLevelMode = zone == Zone.SILVER ? "merge-on-read" : "copy-on-write";
    props.put(COMPACT_MIN_INPUT_FILES, Integer.toString(DEFAULT_COMPACT_MIN_INPUT_FILES));
    props.put(
        COMPACT_AFTER_WRITE,
        Boolean.toString(compactsAfterWrite(zone == Zone.SILVER, partitioned)));
    props.put("write.merge.mode", rowLevelMode);
    props.put("write.update.mode", rowLevelMode);
    props.put("write.delete.mode", rowLevelMode);
    props.putAll(overrides);
    return Map.copyOf(props);
  }
}
