package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/**
 * One record of a landed object, before parsing: the object it came from, its position (line number
 * for text, element number for a JSON array, row number for Parquet), the raw text exactly as
 * landed (kept in quarantine) and its JSON form (what the parser reads).
 *
 * @param problem why the record cannot be parsed at all (the unreadable rest of a broken gzip file,
 *     a CSV line with the wrong number of cells), or null for an ordinary record
 * @param cells the values came from CSV cells, where numbers and booleans can only be text
 */
public record SourceRecord(
    String sourceFile,
    long line,
    String raw,
    String json,
    String problem,
    boolean cells,
    JsonNode node)
    implements Serializable {

  public SourceRecord(
      String sourceFile, long line, String raw, String json, String problem, boolean cells) {
    this(sourceFile, line, raw, json, problem, cells, null);
  }

  /**
   * A record a typed reader already holds as a tree (a Parquet row): parsed without text, its raw
   * text made only if it is rejected.
   */
  public static SourceRecord ofTree(String sourceFile, long line, JsonNode node) {
    return new SourceRecord(sourceFile, line, null, null, null, false, node);
  }

  /** The text as landed; for a tree, its JSON form. */
  public String rawText() {
    return raw != null || node == null ? raw : node.toString();
  }

  /** An ordinary record whose raw text is its JSON. */
  public static SourceRecord of(String sourceFile, long line, String text) {
    return new SourceRecord(sourceFile, line, text, text, null, false);
  }

  /** A record that stands for something unreadable: quarantined with {@code problem}. */
  public static SourceRecord unreadable(String sourceFile, long line, String raw, String problem) {
    return new SourceRecord(sourceFile, line, raw, null, problem, false);
  }
}
