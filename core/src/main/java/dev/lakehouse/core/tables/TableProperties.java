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

  public static final long TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;
  public static final long MAX_SNAPSHOT_AGE_MS = 7L * 24 * 60 * 60 * 1000;
  public static final int MIN_SNAPSHOTS_TO_KEEP = 5;
  public static final int PREVIOUS_METADATA_VERSIONS_MAX = 50;

  private TableProperties() {}

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
    props.put("write.merge.mode", rowLevelMode);
    props.put("write.update.mode", rowLevelMode);
    props.put("write.delete.mode", rowLevelMode);
    props.putAll(overrides);
    return Map.copyOf(props);
  }
}
