package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.tables.SourceEntity;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one landed file into {@link SourceRecord}s on the executors. Spark decompresses {@code .gz}
 * by extension. Positions: physical line numbers for JSON Lines and CSV (the header is line 1),
 * element numbers for a JSON array, row numbers for Parquet. Blank lines are not records.
 */
public final class SourceReader {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private SourceReader() {}

  public static JavaRDD<SourceRecord> read(
      SparkSession spark, String path, LandingFormat format, SourceEntity entity) {
    return switch (format) {
      case JSONL, NDJSON -> lines(spark, path).filter(r -> !r.raw().isBlank() || truncated(r));
      case JSON ->
          spark
              .read()
              .option("wholetext", "true")
              .text(path)
              .as(org.apache.spark.sql.Encoders.STRING())
              .javaRDD()
              .flatMap(SourceReader::arrayElements);
      case CSV -> csv(spark, path, entity);
      case PARQUET ->
          spark
              .read()
              .parquet(path)
              .toJSON()
              .javaRDD()
              .zipWithIndex()
              .map(t -> new SourceRecord(t._2() + 1, t._1(), t._1()));
    };
  }

  /** Physical lines, numbered from 1; a gzip file that breaks off ends with a record saying so. */
  private static JavaRDD<SourceRecord> lines(SparkSession spark, String path) {
    if (path.endsWith(".gz")) {
      return GzipLines.read(spark, path);
    }
    return spark
        .read()
        .text(path)
        .as(org.apache.spark.sql.Encoders.STRING())
        .javaRDD()
        .zipWithIndex()
        .map(t -> new SourceRecord(t._2() + 1, t._1(), t._1()));
  }

  /** The record standing for the unreadable rest of a broken compressed file. */
  public static boolean truncated(SourceRecord record) {
    return record.json().startsWith(GzipLines.TRUNCATED);
  }

  /** Why a marker record cannot be parsed, or null for an ordinary record. */
  public static String markerError(SourceRecord record) {
    if (truncated(record)) {
      return record.json().substring(GzipLines.TRUNCATED.length());
    }
    return null;
  }

  private static JavaRDD<SourceRecord> csv(SparkSession spark, String path, SourceEntity entity) {
    JavaRDD<SourceRecord> lines = lines(spark, path);
    String header = lines.first().raw();
    CsvMapping mapping = new CsvMapping(entity, header);
    return lines
        .filter(r -> r.line() > 1 && (!r.raw().isBlank() || truncated(r)))
        .map(
            r -> {
              if (truncated(r)) {
                return r;
              }
              String json = mapping.toJson(r.raw());
              // A line with the wrong number of cells keeps its raw text; null JSON makes the
              // parser reject it.
              return new SourceRecord(
                  r.line(), r.raw(), json == null ? "#cells:" + mapping.columns() : json);
            });
  }

  private static java.util.Iterator<SourceRecord> arrayElements(String content) {
    List<SourceRecord> records = new ArrayList<>();
    JsonNode array;
    try {
      array = JSON.readTree(content);
    } catch (Exception e) {
      records.add(new SourceRecord(1, abbreviate(content), content));
      return records.iterator();
    }
    if (!array.isArray()) {
      records.add(new SourceRecord(1, abbreviate(content), content));
      return records.iterator();
    }
    for (int i = 0; i < array.size(); i++) {
      String element = array.get(i).toString();
      records.add(new SourceRecord(i + 1, element, element));
    }
    return records.iterator();
  }

  private static String abbreviate(String content) {
    return content.length() <= 10_000 ? content : content.substring(0, 10_000);
  }
}
