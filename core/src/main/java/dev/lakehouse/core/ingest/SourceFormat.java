package dev.lakehouse.core.ingest;

import java.util.Locale;
import java.util.Optional;

/**
 * File formats the bronze job reads, chosen by the landed object's extension. Text formats may be gzip-compressed
 * ({@code orders.jsonl.gz}); Parquet compresses internally.
 */
public enum SourceFormat {
  /** One JSON object per line ({@code .jsonl}, {@code .ndjson}); {@code .json} holding lines is read this way too. */
  JSON_LINES,
  /** A single JSON array of objects ({@code .json} whose first non-blank character is '['). */
  JSON_ARRAY,
  /** Comma-separated with a header row; flat tables only (customers, products). */
  CSV,
  PARQUET;

  /** The format named by a key's extension; {@code .json} is resolved to lines or array by content later. */
  public static Optional<SourceFormat> fromKey(String key) {
    String name = key.toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
      if (name.endsWith(".parquet")) {
        return Optional.empty();
      }
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Optional.of(JSON_LINES);
    }
    if (name.endsWith(".csv")) {
      return Optional.of(CSV);
    }
    if (name.endsWith(".parquet")) {
      return Optional.of(PARQUET);
    }
    return Optional.empty();
  }

  public static boolean isGzip(String key) {
    return key.toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SourceFormat parse(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
