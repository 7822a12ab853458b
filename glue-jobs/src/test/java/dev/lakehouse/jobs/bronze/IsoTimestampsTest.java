package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsoTimestampsTest {
  /** Every shape bronze may see: the common ones, and those left to java.time's formatters. */
  private static final List<String> VALUES =
      List.of(
          "2026-08-17T06:52:07",
          "2026-08-17 06:52:07",
          "2026-08-17T06:52:07.5",
          "2026-08-17 06:52:07.123456789",
          "2026-08-17T06:52:07Z",
          "2026-08-17T06:52:07.250Z",
          "2026-08-17T06:52:07-05:30",
          "2026-08-17T06:52:07+14:00",
          "2026-08-17T06:52:07-00:00",
          "2024-02-29T23:59:59",
          "0001-01-01T00:00:00",
          // left to the formatters: they read some and word the rejection of the others
          "2026-08-17",
          "2026-08-17T06:52",
          "2026-08-17t06:52:07",
          "2026-08-17T06:52:07z",
          "2026-08-17T06:52:07+01:00:30",
          "2026-08-17T06:52:07+0100",
          "2026-08-17T06:52:07+01",
          "2026-08-17T06:52:07+19:00",
          "2026-08-17 06:52:07Z",
          "2026-08-17 06:52:07+01:00",
          "2026-08-17T06:52:07.",
          "2026-08-17T06:52:07.1234567891",
          "2026-02-29T00:00:00",
          "2026-02-30T00:00:00",
          "2026-13-01T00:00:00",
          "2026-08-17T24:00:00",
          "2026-08-17T23:59:60Z",
          "+12026-08-17T06:52:07",
          "2026-8-17T06:52:07",
          "2026-08-17T06:52:07 ",
          "2026/08/17 06:52:07",
          "yesterday",
          "");

  @Test
  void commonShapesAreReadByHand() {
    assertThat(IsoTimestamps.parseCommon("2026-08-17T06:52:07"))
        .isEqualTo(Instant.parse("2026-08-17T06:52:07Z"));
    assertThat(IsoTimestamps.parseCommon("2026-08-17 06:52:07.5"))
        .isEqualTo(Instant.parse("2026-08-17T06:52:07.500Z"));
    assertThat(IsoTimestamps.parseCommon("2026-08-17T06:52:07.123456789Z"))
        .isEqualTo(Instant.parse("2026-08-17T06:52:07.123456789Z"));
    assertThat(IsoTimestamps.parseCommon("2026-08-17T06:52:07-05:30"))
        .isEqualTo(Instant.parse("2026-08-17T12:22:07Z"));
  }

  @Test
  void otherShapesAreLeftToTheFormatters() {
    assertThat(
            List.of(
                    "2026-08-17",
                    "2026-08-17T06:52",
                    "2026-08-17T06:52:07+0100",
                    "2026-08-17 06:52:07Z",
                    "2026-02-30T00:00:00",
                    "2026-08-17T24:00:00",
                    "2026-08-17T06:52:07+19:00",
                    "2026-08-17T06:52:07.1234567891",
                    "+12026-08-17T06:52:07")
                .stream()
                .map(IsoTimestamps::parseCommon)
                .toList())
        .containsOnlyNulls()
        .hasSize(9);
  }

  @Test
  void bronzeReadsEveryShapeAsTheFormattersAlone() {
    for (String value : VALUES) {
      assertThat(outcome(() -> RecordParser.timestamp(value, "order_date")))
          .as(value)
          .isEqualTo(outcome(() -> RecordParser.byFormatters(value.trim(), value, "order_date")));
    }
    assertThat(outcome(() -> RecordParser.timestamp("2026-02-30T00:00:00", "order_date")))
        .isEqualTo("field order_date: expected ISO-8601 timestamp, got \"2026-02-30T00:00:00\"");
    assertThat(outcome(() -> RecordParser.timestamp(" 2026-08-17T23:59:60Z", "order_date")))
        .isEqualTo(Timestamp.from(Instant.parse("2026-08-17T23:59:59Z")));
  }

  private static Object outcome(java.util.function.Supplier<Timestamp> parse) {
    try {
      return parse.get();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
