package dev.lakehouse.jobs.bronze;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of one landed text object, streamed and numbered in the same pass (physical lines from
 * 1; a line ends at {@code \n}, and a {@code \r} before it is dropped). For gzip, a truncated or
 * corrupt stream loses nothing it still holds: every complete line is a record, and where the
 * stream breaks one more record says so (its raw text is the broken line's start), which bronze
 * quarantines with the reason. Spark's own text reader fails the whole file instead.
 */
public final class SourceLines {
  private SourceLines() {}

  /** Lines of {@code in}, inflated first when {@code gzip}; the stream is closed at the end. */
  public static Iterator<SourceRecord> lines(String sourceFile, InputStream in, boolean gzip)
      throws IOException {
    if (!gzip) {
      return new Cutter(sourceFile, in);
    }
    try {
      return new Cutter(sourceFile, new GZIPInputStream(in, 1 << 16));
    } catch (EOFException | ZipException notGzip) {
      in.close();
      return List.of(
              SourceRecord.unreadable(
                  sourceFile,
                  1,
                  "",
                  "not a readable gzip stream ("
                      + notGzip.getMessage()
                      + "); nothing could be read"))
          .iterator();
    }
  }

  /**
   * Lines are cut from the bytes here rather than by a Reader: a Reader reads ahead, and when a
   * compressed stream breaks it throws away everything it had buffered, complete lines included.
   */
  private static final class Cutter implements Iterator<SourceRecord> {
    private final String sourceFile;
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
    private int position;
    private int limit;
    private long line;
    private SourceRecord next;
    private boolean done;

    Cutter(String sourceFile, InputStream in) {
      this.sourceFile = sourceFile;
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done) {
        return false;
      }
      current.reset();
      try {
        while (true) {
          if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit == -1) {
              limit = 0;
              done = true;
              close();
              if (current.size() == 0) {
                return false;
              }
              next = SourceRecord.of(sourceFile, ++line, text(current));
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
            next = SourceRecord.of(sourceFile, ++line, text(current));
            return true;
          }
        }
      } catch (EOFException | ZipException broken) {
        done = true;
        close();
        line++;
        next =
            SourceRecord.unreadable(
                sourceFile,
                line,
                text(current),
                "the compressed file is truncated or corrupt from line "
                    + line
                    + " on ("
                    + broken.getMessage()
                    + "); the lines before it were loaded");
        return true;
      } catch (IOException e) {
        close();
        throw new UncheckedIOException("cannot read " + sourceFile, e);
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
        in.close();
      } catch (IOException ignored) {
        // nothing more to read either way
      }
    }

    private static String text(ByteArrayOutputStream bytes) {
      String text = bytes.toString(StandardCharsets.UTF_8);
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
  }
}
