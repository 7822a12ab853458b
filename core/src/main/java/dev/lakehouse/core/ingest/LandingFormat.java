package dev.lakehouse.core.ingest;

import java.util.Locale;
import java.util.Optional;

/**
 * File formats the bronze jobs read, named by extension; text formats may be gzip-compressed
 * ({@code .gz}).
 */
public enum LandingFormat {
  /** One JSON object per line. */
  JSONL(".jsonl"),
  /** Same as JSONL under another name. */
  NDJSON(".ndjson"),
  /** One JSON array of objects. */
  JSON(".json"),
  /** Comma-separated with a header line; customers and products only (orders have nested items). */
  CSV(".csv"),
  /** Apache Parquet; compressed internally, so never {@code .parquet.gz}. */
  PARQUET(".parquet");

  private final String extension;

  LandingFormat(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }

  /**
   * Lower-case name as answered to the state machine: {@code jsonl}, {@code json}, {@code csv}, ...
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Format and compression read from a key's extension, e.g. {@code orders.jsonl.gz}; empty when
   * none matches.
   */
  public static Optional<Detected> fromKey(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    boolean gzip = name.endsWith(".gz");
    if (gzip) {
      name = name.substring(0, name.length() - 3);
    }
    for (LandingFormat f : values()) {
      if (name.endsWith(f.extension) && name.length() > f.extension.length()) {
        return Optional.of(new Detected(f, gzip));
      }
    }
    return Optional.empty();
  }

  /** A format plus whether the bytes are gzip-compressed. */
  public record Detected(LandingFormat format, boolean gzip) {
    public String compression() {
      return gzip ? "gzip" : "none";
    }
  }
}
