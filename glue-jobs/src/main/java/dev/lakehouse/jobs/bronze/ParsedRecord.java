package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One source record after parsing: its values in the table's source-column order, or why not.
 *
 * @param raw the text as landed, kept while the record may still be rejected (quarantine shows it);
 *     null for a record that parsed and has no extra fields
 * @param key the record's business key when it parsed (quarantine names it)
 * @param extra top-level fields no column takes yet (schema drift), or null
 */
public record ParsedRecord(
    String sourceFile,
    long line,
    String raw,
    String key,
    Object[] values,
    String error,
    Map<String, JsonNode> extra,
    boolean cells)
    implements Serializable {

  static ParsedRecord rejected(SourceRecord record, Map<String, JsonNode> extra, String error) {
    return new ParsedRecord(
        record.sourceFile(),
        record.line(),
        record.rawText(),
        null,
        null,
        error,
        extra,
        record.cells());
  }

  static ParsedRecord parsed(
      SourceRecord record, String key, Object[] values, Map<String, JsonNode> extra) {
    return new ParsedRecord(
        record.sourceFile(),
        record.line(),
        extra == null ? null : record.rawText(),
        key,
        values,
        null,
        extra,
        record.cells());
  }

  /** A record built by a job from values it already has (a JDBC row, say). */
  public static ParsedRecord of(
      String sourceFile, long line, String raw, String key, Object[] values) {
    return new ParsedRecord(sourceFile, line, raw, key, values, null, null, false);
  }

  public boolean ok() {
    return error == null;
  }

  ParsedRecord withValues(Object[] wider) {
    return new ParsedRecord(sourceFile, line, raw, key, wider, null, extra, cells);
  }

  ParsedRecord rejectedWith(String reason) {
    return new ParsedRecord(sourceFile, line, raw, null, null, reason, extra, cells);
  }

  /** Values in table column order; columns added by drift come after the lineage columns. */
  public Row toBronzeRow(String[] columns, Timestamp ingestedAt, String executionId) {
    Object[] row = new Object[columns.length];
    int next = 0;
    for (int i = 0; i < columns.length; i++) {
      row[i] =
          switch (columns[i]) {
            case "_ingestion_timestamp" -> ingestedAt;
            case "_source_file" -> sourceFile;
            case "_source_line" -> line;
            case "_execution_id" -> executionId;
            default -> values[next++];
          };
    }
    return RowFactory.create(row);
  }
}
