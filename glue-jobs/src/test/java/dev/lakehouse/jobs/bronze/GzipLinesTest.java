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

class GzipLinesTest {
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
    assertThat(last.json())
        .isEqualTo(
            GzipLines.TRUNCATED
                + "the compressed file is truncated or corrupt from line "
                + cut.size()
                + " on (Unexpected end of ZLIB input stream); the lines before it were loaded");
  }

  private static List<SourceRecord> records(byte[] gz) throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    GzipLines.lines(new ByteArrayInputStream(gz)).forEachRemaining(out::add);
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
