package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class SourceLinesTest {
  @Test
  void aWholeFileGivesEveryLineAndABrokenOneEndsWithTheMarker() throws IOException {
    byte[] whole = gzip("a\nbb\r\n\nccc\n");
    assertThat(records(whole))
        .extracting(SourceRecord::line, SourceRecord::raw)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "a"),
            org.assertj.core.groups.Tuple.tuple(2L, "bb"),
            org.assertj.core.groups.Tuple.tuple(3L, ""),
            org.assertj.core.groups.Tuple.tuple(4L, "ccc"));

    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 2000; i++) {
      text.append("line ").append(i).append(' ').append(Integer.toHexString(i * 7919)).append('\n');
    }
    byte[] big = gzip(text.toString());
    List<SourceRecord> cut = records(Arrays.copyOf(big, big.length / 2));
    SourceRecord last = cut.get(cut.size() - 1);
    assertThat(cut.size()).isBetween(2, 2000);
    for (int i = 0; i < cut.size() - 1; i++) {
      assertThat(cut.get(i).raw()).startsWith("line " + (i + 1) + " ");
    }
    assertThat(last.json()).isNull();
    assertThat(last.problem())
        .isEqualTo(
            "the compressed file is truncated or corrupt from line "
                + cut.size()
                + " on (Unexpected end of ZLIB input stream); the lines before it were loaded");
  }

  @Test
  void plainTextIsCutTheSameWayWithoutGzip() throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    SourceLines.lines(
            "s3://b/k.jsonl",
            new ByteArrayInputStream("{}\r\n\n{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
            false)
        .forEachRemaining(out::add);
    assertThat(out)
        .extracting(SourceRecord::sourceFile, SourceRecord::line, SourceRecord::json)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s3://b/k.jsonl", 1L, "{}"),
            org.assertj.core.groups.Tuple.tuple("s3://b/k.jsonl", 2L, ""),
            org.assertj.core.groups.Tuple.tuple("s3://b/k.jsonl", 3L, "{\"a\":1}"));
  }

  @Test
  void bytesThatAreNotGzipAreOneUnreadableRecord() throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    SourceLines.lines(
            "s3://b/k.jsonl.gz",
            new ByteArrayInputStream("{}\n".getBytes(StandardCharsets.UTF_8)),
            true)
        .forEachRemaining(out::add);
    assertThat(out)
        .extracting(SourceRecord::line, SourceRecord::problem)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                1L, "not a readable gzip stream (Not in GZIP format); nothing could be read"));
  }

  private static List<SourceRecord> records(byte[] gz) throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    SourceLines.lines("s3://b/k.gz", new ByteArrayInputStream(gz), true).forEachRemaining(out::add);
    return out;
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
