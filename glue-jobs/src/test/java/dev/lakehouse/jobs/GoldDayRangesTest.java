package dev.lakehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gold reads the affected days of silver as timestamp ranges Iceberg can prune by, consecutive days
 * merged.
 */
class GoldDayRangesTest {
  @Test
  void consecutiveDaysBecomeOneHalfOpenUtcRange() {
    SqlArgs args = new SqlArgs();
    String filter =
        GoldJob.dayRanges(
            "o.order_date",
            List.of(
                LocalDate.parse("2026-09-22"),
                LocalDate.parse("2026-09-19"),
                LocalDate.parse("2026-09-20"),
                LocalDate.parse("2026-09-19")),
            args);

    assertThat(filter)
        .isEqualTo(
            "((o.order_date >= :from_0 AND o.order_date < :until_0) OR "
                + "(o.order_date >= :from_1 AND o.order_date < :until_1))");
    assertThat(args.map())
        .isEqualTo(
            Map.of(
                "from_0",
                Instant.parse("2026-09-19T00:00:00Z"),
                "until_0",
                Instant.parse("2026-09-21T00:00:00Z"),
                "from_1",
                Instant.parse("2026-09-22T00:00:00Z"),
                "until_1",
                Instant.parse("2026-09-23T00:00:00Z")));
  }

  @Test
  void aSingleDayIsOneDayLong() {
    SqlArgs args = new SqlArgs();
    assertThat(GoldJob.dayRanges("order_date", List.of(LocalDate.parse("2026-12-31")), args))
        .isEqualTo("((order_date >= :from_0 AND order_date < :until_0))");
    assertThat(args.map())
        .isEqualTo(
            Map.of(
                "from_0",
                Instant.parse("2026-12-31T00:00:00Z"),
                "until_0",
                Instant.parse("2027-01-01T00:00:00Z")));
  }
}
