package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.tables.SourceEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.hadoop.SerializableConfiguration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a table's landed text objects into {@link SourceRecord}s, each object streamed and numbered
 * in one pass. Positions: physical line numbers for JSON Lines and CSV (the header is line 1),
 * element numbers for a JSON array. Blank lines are not records.
 *
 * <p>Objects below Spark's split size (and every gzip object, which cannot be split) are read
 * together: one Spark stage over all of them, a task per group of objects, so a batch of a hundred
 * small drops costs one read, not a hundred. A larger plain-text object is read with Spark's split
 * text reader, in parallel, and numbered with {@code zipWithIndex}. A JSON array is a document: it
 * is read whole (its elements cannot be told apart before the closing bracket is checked).
 */
public final class SourceReader {
  // An element's text is what quarantine shows: numbers keep their digits ("2.50" stays "2.50").
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  private SourceReader() {}

  /** The records of {@code objects}, all of one entity, in no particular order. */
  public static JavaRDD<SourceRecord> read(
      SparkSession spark, SourceEntity entity, List<SourceObject> objects) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sessionState().newHadoopConf();
    List<SourceObject> sized = new ArrayList<>();
    for (SourceObject object : objects) {
      if (object.format() == LandingFormat.PARQUET) {
        throw new IllegalArgumentException(
            object.sourceFile() + " is Parquet: read it with ParquetSource, not as text");
      }
      sized.add(
          object.size() >= 0
              ? object
              : new SourceObject(
                  object.sourceFile(),
                  object.path(),
                  object.format(),
                  object.gzip(),
                  sizeOf(object, hadoop)));
    }
    long splitSize =
        splitSize(
            sized.stream().filter(SourceReader::splittable).mapToLong(SourceObject::size).toArray(),
            spark.sessionState().conf().filesMaxPartitionBytes(),
            spark.sessionState().conf().filesOpenCostInBytes(),
            context.defaultParallelism());
    List<SourceObject> streamed = new ArrayList<>();
    List<JavaRDD<SourceRecord>> parts = new ArrayList<>();
    for (SourceObject object : sized) {
      if (splittable(object) && object.size() > splitSize) {
        parts.add(splitText(spark, entity, object));
      } else {
        streamed.add(object);
      }
    }
    if (!streamed.isEmpty()) {
      Broadcast<SerializableConfiguration> conf =
          context.broadcast(new SerializableConfiguration(hadoop));
      List<List<SourceObject>> groups = groups(streamed, context.defaultParallelism());
      parts.add(
          context
              .parallelize(groups, groups.size())
              .flatMap(group -> records(group, entity, conf.value().get())));
    }
    return parts.size() == 1 ? parts.get(0) : context.union(parts.toArray(JavaRDD[]::new));
  }

  /**
   * The split size Spark's own file reader would use for these objects ({@code
   * FilePartition.maxSplitBytes}): an object larger than it is read by Spark's split reader, in
   * parallel, exactly as before; everything smaller is streamed, since Spark would read it in one
   * task anyway.
   */
  static long splitSize(long[] sizes, long maxPartitionBytes, long openCostInBytes, int cores) {
    long total = 0;
    for (long size : sizes) {
      total += size + openCostInBytes;
    }
    long bytesPerCore = total / Math.max(1, cores);
    return Math.min(maxPartitionBytes, Math.max(openCostInBytes, bytesPerCore));
  }

  private static boolean splittable(SourceObject object) {
    return !object.gzip() && object.format() != LandingFormat.JSON;
  }

  /** The objects in about {@code n} groups of similar byte size, largest first (one task each). */
  static List<List<SourceObject>> groups(List<SourceObject> objects, int n) {
    List<List<SourceObject>> groups = new ArrayList<>();
    long[] bytes = new long[Math.max(1, Math.min(n, objects.size()))];
    for (int i = 0; i < bytes.length; i++) {
      groups.add(new ArrayList<>());
    }
    List<SourceObject> bySize =
        objects.stream().sorted(Comparator.comparingLong(SourceObject::size).reversed()).toList();
    for (SourceObject object : bySize) {
      int smallest = 0;
      for (int i = 1; i < bytes.length; i++) {
        if (bytes[i] < bytes[smallest]) {
          smallest = i;
        }
      }
      groups.get(smallest).add(object);
      bytes[smallest] += Math.max(1, object.size());
    }
    return groups;
  }

  private static Iterator<SourceRecord> records(
      List<SourceObject> group, SourceEntity entity, Configuration conf) {
    return group.stream()
        .flatMap(
            object -> {
              Iterator<SourceRecord> records = records(object, entity, conf);
              return java.util.stream.StreamSupport.stream(
                  java.util.Spliterators.spliteratorUnknownSize(records, 0), false);
            })
        .iterator();
  }

  /** One object's records, streamed: only a JSON array is held whole. */
  static Iterator<SourceRecord> records(
      SourceObject object, SourceEntity entity, Configuration conf) {
    try {
      Path path = new Path(object.path());
      InputStream in = path.getFileSystem(conf).open(path);
      return switch (object.format()) {
        case JSONL, NDJSON -> nonBlank(SourceLines.lines(object.sourceFile(), in, object.gzip()));
        case CSV -> csv(entity, SourceLines.lines(object.sourceFile(), in, object.gzip()));
        case JSON -> arrayElements(object.sourceFile(), whole(in, object.gzip()));
        case PARQUET -> throw new IllegalArgumentException("Parquet is not text");
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + object.sourceFile(), e);
    }
  }

  /** A plain JSON Lines or CSV object larger than a split: Spark's parallel text reader. */
  private static JavaRDD<SourceRecord> splitText(
      SparkSession spark, SourceEntity entity, SourceObject object) {
    String sourceFile = object.sourceFile();
    JavaRDD<SourceRecord> lines =
        spark
            .read()
            .text(object.path())
            .as(Encoders.STRING())
            .javaRDD()
            .zipWithIndex()
            .map(t -> SourceRecord.of(sourceFile, t._2() + 1, stripCr(t._1())));
    if (object.format() != LandingFormat.CSV) {
      return lines.filter(r -> !r.raw().isBlank());
    }
    CsvMapping mapping = new CsvMapping(entity, lines.first().raw());
    return lines.filter(r -> r.line() > 1 && !r.raw().isBlank()).map(r -> cells(mapping, r));
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static Iterator<SourceRecord> nonBlank(Iterator<SourceRecord> lines) {
    return filter(lines, r -> !r.raw().isBlank() || r.problem() != null);
  }

  private static Iterator<SourceRecord> csv(SourceEntity entity, Iterator<SourceRecord> lines) {
    if (!lines.hasNext()) {
      return lines;
    }
    SourceRecord header = lines.next();
    if (header.problem() != null) {
      return List.of(header).iterator();
    }
    CsvMapping mapping = new CsvMapping(entity, header.raw());
    Iterator<SourceRecord> records = nonBlank(lines);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public SourceRecord next() {
        SourceRecord r = records.next();
        return r.problem() != null ? r : cells(mapping, r);
      }
    };
  }

  /** A CSV line as the JSON object its cells make; the wrong number of cells is a problem. */
  static SourceRecord cells(CsvMapping mapping, SourceRecord line) {
    String json = mapping.toJson(line.raw());
    if (json == null) {
      return SourceRecord.unreadable(
          line.sourceFile(),
          line.line(),
          line.raw(),
          "CSV line does not have the header's " + mapping.columns() + " cells");
    }
    return new SourceRecord(line.sourceFile(), line.line(), line.raw(), json, null, true);
  }

  private static String whole(InputStream in, boolean gzip) throws IOException {
    try (InputStream bytes = gzip ? new GZIPInputStream(in, 1 << 16) : in) {
      return new String(bytes.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The elements of a JSON array; anything else is one record the parser rejects. */
  static Iterator<SourceRecord> arrayElements(String sourceFile, String content) {
    List<SourceRecord> records = new ArrayList<>();
    JsonNode array;
    try {
      array = JSON.readTree(content);
    } catch (Exception e) {
      array = null;
    }
    if (array == null || !array.isArray()) {
      records.add(new SourceRecord(sourceFile, 1, abbreviate(content), content, null, false));
      return records.iterator();
    }
    for (int i = 0; i < array.size(); i++) {
      records.add(SourceRecord.of(sourceFile, i + 1, array.get(i).toString()));
    }
    return records.iterator();
  }

  private static long sizeOf(SourceObject object, Configuration conf) {
    if (object.size() >= 0) {
      return object.size();
    }
    try {
      Path path = new Path(object.path());
      return path.getFileSystem(conf).getFileStatus(path).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + object.sourceFile(), e);
    }
  }

  private static <T> Iterator<T> filter(Iterator<T> in, java.util.function.Predicate<T> keep) {
    return new Iterator<>() {
      private T next;

      @Override
      public boolean hasNext() {
        while (next == null && in.hasNext()) {
          T candidate = in.next();
          if (keep.test(candidate)) {
            next = candidate;
          }
        }
        return next != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        T value = next;
        next = null;
        return value;
      }
    };
  }

  private static String abbreviate(String content) {
    return content.length() <= 10_000 ? content : content.substring(0, 10_000);
  }
}
