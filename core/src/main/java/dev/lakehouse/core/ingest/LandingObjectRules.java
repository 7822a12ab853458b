package dev.lakehouse.core.ingest;

import dev.lakehouse.core.tables.SourceEntity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The rules a landed object must pass before any job reads it, as pure functions (no S3 here): key
 * hygiene, the table its prefix maps to, size bounds, and a format check by extension and by the
 * first bytes of content.
 */
public final class LandingObjectRules {
  /**
   * S3's own limit on one object is 5 TiB; ours defaults to 5 GiB so one Glue job run stays
   * bounded.
   */
  public static final long DEFAULT_MAX_OBJECT_BYTES = 5L * 1024 * 1024 * 1024;

  /** How many leading bytes {@link #checkContent} needs. */
  public static final int SNIFF_BYTES = 4096;

  private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private LandingObjectRules() {}

  /**
   * Rejects keys a person or a tool could use to escape the landing prefix or confuse downstream
   * paths.
   */
  public static void checkKey(String bucket, String key) {
    if (key == null || key.isBlank()) {
      throw new InvalidObjectKey(bucket, String.valueOf(key), "object key is empty");
    }
    if (key.startsWith("/")) {
      throw new InvalidObjectKey(
          bucket, key, "object key '" + printable(key) + "' is absolute (starts with '/')");
    }
    if (key.indexOf('\\') >= 0) {
      throw new InvalidObjectKey(
          bucket, key, "object key '" + printable(key) + "' contains a backslash");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        throw new InvalidObjectKey(
            bucket,
            key,
            "object key '"
                + printable(key)
                + "' contains a control character at "
                + "position "
                + i);
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new InvalidObjectKey(
            bucket,
            key,
            "object key '" + printable(key) + "' contains a '" + segment + "' path segment");
      }
    }
    if (key.contains("//")) {
      throw new InvalidObjectKey(
          bucket, key, "object key '" + printable(key) + "' contains an empty path segment");
    }
  }

  /** The source entity (and so bronze table) whose landing prefix holds this key. */
  public static SourceEntity entityFor(String bucket, String key) {
    return SourceEntity.forLandingKey(key)
        .orElseThrow(
            () ->
                new UnknownTable(
                    bucket,
                    key,
                    "no table takes objects under '"
                        + printable(prefixOf(key))
                        + "'; land files under one of "
                        + String.join(
                            ", ",
                            Arrays.stream(SourceEntity.values())
                                .map(SourceEntity::landingPrefix)
                                .toList())));
  }

  /** Format from the extension, and whether this entity accepts it. */
  public static LandingFormat.Detected formatFor(String bucket, String key, SourceEntity entity) {
    LandingFormat.Detected detected =
        LandingFormat.fromKey(key)
            .orElseThrow(
                () ->
                    new UnsupportedFormat(
                        bucket,
                        key,
                        "'"
                            + printable(key)
                            + "' has no supported extension; use .jsonl, .ndjson, .json, .csv or .parquet "
                            + "(text formats optionally .gz)"));
    if (detected.format() == LandingFormat.PARQUET && detected.gzip()) {
      throw new UnsupportedFormat(
          bucket,
          key,
          "'"
              + printable(key)
              + "': Parquet is compressed internally and cannot "
              + "be read gzip-wrapped; land the .parquet file as it is");
    }
    if (detected.format() == LandingFormat.CSV && entity == SourceEntity.ORDERS) {
      throw new UnsupportedFormat(
          bucket,
          key,
          "'"
              + printable(key)
              + "': orders carry nested items and cannot be CSV; "
              + "land them as .jsonl, .json or .parquet");
    }
    return detected;
  }

  public static void checkSize(String bucket, String key, long size, long maxBytes) {
    if (size <= 0) {
      throw new EmptyObject(bucket, key, "'" + printable(key) + "' is empty (0 bytes)");
    }
    if (size > maxBytes) {
      throw new ObjectTooLarge(
          bucket,
          key,
          "'"
              + printable(key)
              + "' is "
              + size
              + " bytes, more than the maximum of "
              + maxBytes
              + " bytes (MAX_OBJECT_BYTES); split it into smaller files");
    }
  }

  /**
   * Checks that the first bytes of the object look like the format its extension claims: gzip magic
   * for {@code .gz}, {@code PAR1} for Parquet, {@code [} for a JSON array, <code>{</code> for JSON
   * lines, and a header naming the entity's id column for CSV.
   */
  public static void checkContent(
      String bucket,
      String key,
      SourceEntity entity,
      LandingFormat.Detected detected,
      byte[] head) {
    byte[] bytes = head;
    if (detected.gzip()) {
      if (head.length < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) {
        throw new UnsupportedFormat(
            bucket, key, "'" + printable(key) + "' ends in .gz but is not gzip-compressed");
      }
      bytes = gunzipPrefix(bucket, key, head);
    }
    LandingFormat format = detected.format();
    if (format == LandingFormat.PARQUET) {
      if (bytes.length < 4 || !Arrays.equals(Arrays.copyOf(bytes, 4), PARQUET_MAGIC)) {
        throw new UnsupportedFormat(
            bucket, key, "'" + printable(key) + "' is not a Parquet file (no PAR1 header)");
      }
      return;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String trimmed = text.stripLeading();
    switch (format) {
      case JSON -> {
        if (!trimmed.startsWith("[")) {
          throw new UnsupportedFormat(
              bucket,
              key,
              "'"
                  + printable(key)
                  + "' is not a JSON array (a .json file must "
                  + "start with '['; use .jsonl for one object per line)");
        }
      }
      case JSONL, NDJSON -> {
        if (!trimmed.startsWith("{")) {
          throw new UnsupportedFormat(
              bucket,
              key,
              "'"
                  + printable(key)
                  + "' is not JSON lines (each line must be a "
                  + "JSON object starting with '{')");
        }
      }
      case CSV -> {
        int eol = trimmed.indexOf('\n');
        String header =
            (eol < 0 ? trimmed : trimmed.substring(0, eol)).strip().toLowerCase(Locale.ROOT);
        boolean hasId =
            Arrays.stream(header.split(","))
                .map(h -> h.strip().replace("\"", ""))
                .anyMatch(entity.idColumn()::equals);
        if (!hasId) {
          throw new UnsupportedFormat(
              bucket,
              key,
              "'"
                  + printable(key)
                  + "' has no CSV header naming "
                  + entity.idColumn()
                  + " in its first line");
        }
      }
      default -> throw new IllegalStateException(format.name());
    }
  }

  /**
   * Decompresses as much of a gzip prefix as the bytes allow (the object's tail is not needed to
   * sniff).
   */
  private static byte[] gunzipPrefix(String bucket, String key, byte[] head) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(head))) {
      byte[] buf = new byte[1024];
      int n;
      while (out.size() < SNIFF_BYTES && (n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (EOFException truncated) {
      // Expected: we only fetched the first bytes.
    } catch (IOException e) {
      if (out.size() == 0) {
        throw new UnsupportedFormat(
            bucket, key, "'" + printable(key) + "' is not valid gzip: " + e.getMessage());
      }
    }
    return out.toByteArray();
  }

  private static String prefixOf(String key) {
    int slash =
        key.indexOf(
            '/',
            key.startsWith(SourceEntity.LANDING_ROOT) ? SourceEntity.LANDING_ROOT.length() : 0);
    return slash < 0 ? key : key.substring(0, slash + 1);
  }

  /** The key with control characters made visible, safe to put in a message or a log line. */
  public static String printable(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length() && b.length() < 300; i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
