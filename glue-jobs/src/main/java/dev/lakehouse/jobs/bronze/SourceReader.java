package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.tables.SourceEntity;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one landed file into {@link SourceRecord}s on the executors. Spark decompresses {@code .gz} by extension.
 * Positions: physical line numbers for JSON Lines and CSV (the header is line 1), element numbers for a JSON
 * array, row numbers for Parquet. Blank lines are not records.
 */
public final class SourceReader {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private SourceReader() {}

  public static JavaRDD<SourceRecord> read(SparkSession spark, String path, LandingFormat format, SourceEntity entity) {
    return switch (format) {
      case JSONL, NDJSON -> lines(spark, path)
          .filter(t -> !t._1().isBlank())
          .map(t -> new SourceRecord(t._2() + 1, t._1(), t._1()));
      case JSON -> spark.read().option("wholetext", "true").text(path)
          .as(org.apache.spark.sql.Encoders.STRING()).javaRDD()
          .flatMap(SourceReader::arrayElements);
      case CSV -> csv(spark, path, entity);
      case PARQUET -> spark.read().parquet(path).toJSON().javaRDD().zipWithIndex()
          .map(t -> new SourceRecord(t._2() + 1, t._1(), t._1()));
    };
  }

  private static JavaPairRDD<String, Long> lines(SparkSession spark, String path) {
    return spark.read().text(path).as(org.apache.spark.sql.Encoders.STRING()).javaRDD().zipWithIndex();
  }

  private static JavaRDD<SourceRecord> csv(SparkSession spark, String path, SourceEntity entity) {
    JavaPairRDD<String, Long> lines = lines(spark, path);
    String header = lines.first()._1();
    CsvMapping mapping = new CsvMapping(entity, header);
    return lines
        .filter(t -> t._2() > 0 && !t._1().isBlank())
        .map(t -> {
          String json = mapping.toJson(t._1());
          // A line with the wrong number of cells keeps its raw text; null JSON makes the parser reject it.
          return new SourceRecord(t._2() + 1, t._1(), json == null ? "#cells:" + mapping.columns() : json);
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
