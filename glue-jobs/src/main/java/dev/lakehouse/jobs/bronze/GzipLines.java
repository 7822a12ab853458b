package dev.lakehouse.jobs.bronze;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.SparkSession;

/**
 * The lines of a gzip file, read so that a truncated or corrupt file loses nothing it still holds:
 * every complete line is a record, and where the stream breaks one more record says so (its raw
 * text is the broken line's start), which the bronze job quarantines with the reason. Spark's own
 * text reader fails the whole file instead.
 *
 * <p>Gzip cannot be split, so Spark reads a {@code .gz} file in one task either way; this reader
 * streams it.
 */
final class GzipLines {
  /**
   * Marker in {@link SourceRecord#json()} of the record that stands for the unreadable rest of a
   * file.
   */
  static final String TRUNCATED = "#truncated:";

  private GzipLines() {}

  static JavaRDD<SourceRecord> read(SparkSession spark, String path) {
    return new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
        .binaryFiles(path)
        .values()
        .flatMap(GzipLines::lines);
  }

  static Iterator<SourceRecord> lines(PortableDataStream file) throws IOException {
    return lines(file.open());
  }

  static Iterator<SourceRecord> lines(InputStream compressed) throws IOException {
    GZIPInputStream gzip;
    try {
      gzip = new GZIPInputStream(compressed, 1 << 16);
    } catch (EOFException | ZipException notGzip) {
      return java.util.List.of(
              new SourceRecord(
                  1,
                  "",
                  TRUNCATED
                      + "not a readable gzip stream ("
                      + notGzip.getMessage()
                      + "); nothing could be read"))
          .iterator();
    }
    // Lines are cut from the inflated bytes here rather than by a Reader: a Reader reads ahead, and
    // when the stream
    // breaks it throws away everything it had buffered, complete lines included.
    return new Iterator<>() {
      private final byte[] buffer = new byte[1 << 16];
      private int position;
      private int limit;
      private long line;
      private SourceRecord next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        if (done) {
          return false;
        }
        ByteArrayOutputStream current = new ByteArrayOutputStream(256);
        try {
          while (true) {
            if (position == limit) {
              limit = gzip.read(buffer, 0, buffer.length);
              position = 0;
              if (limit == -1) {
                limit = 0;
                done = true;
                close();
                if (current.size() == 0) {
                  return false;
                }
                next = record(++line, current);
                return true;
              }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
              position++;
            }
            current.write(buffer, start, position - start);
            if (position < limit) {
              position++; // the newline
              next = record(++line, current);
              return true;
            }
          }
        } catch (EOFException | ZipException broken) {
          done = true;
          close();
          line++;
          next =
              new SourceRecord(
                  line,
                  text(current),
                  TRUNCATED
                      + "the compressed file is truncated or corrupt"
                      + " from line "
                      + line
                      + " on ("
                      + broken.getMessage()
                      + "); the lines before it were loaded");
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public SourceRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        SourceRecord record = next;
        next = null;
        return record;
      }

      private void close() {
        try {
          gzip.close();
        } catch (IOException ignored) {
          // nothing more to read either way
        }
      }
    };
  }

  /** A line as a record; a CRLF line ending loses its CR. */
  private static SourceRecord record(long line, ByteArrayOutputStream bytes) {
    String text = text(bytes);
    return new SourceRecord(line, text, text);
  }

  private static String text(ByteArrayOutputStream bytes) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
