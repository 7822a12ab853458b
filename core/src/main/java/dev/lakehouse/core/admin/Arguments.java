package dev.lakehouse.core.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Checks and parses the arguments of the admin operations; every failure is an {@link
 * InvalidArgument}.
 */
public final class Arguments {
  public static final int DEFAULT_SAMPLE = 10;
  public static final int MAX_SAMPLE = 100;

  private Arguments() {}

  /**
   * ISO-8601 instant ({@code 2026-11-25T10:00:00Z}), offset date-time, date (midnight UTC) or epoch
   * millis.
   */
  public static Instant parseInstant(String value, String what) {
    String v = value.trim();
    try {
      if (v.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(v));
      }
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidArgument(
          what
              + " '"
              + value
              + "' is not a time; use ISO-8601 like 2026-11-25T10:00:00Z, a "
              + "date like 2026-11-25, or epoch milliseconds");
    }
  }

  /**
   * How many rows to return or sample: {@value #DEFAULT_SAMPLE} when not asked, at most {@value
   * #MAX_SAMPLE}.
   */
  static int sample(Integer requested) {
    if (requested == null) {
      return DEFAULT_SAMPLE;
    }
    if (requested < 0 || requested > MAX_SAMPLE) {
      throw new InvalidArgument("limit must be between 0 and " + MAX_SAMPLE + ", was " + requested);
    }
    return requested;
  }

  static void requireText(String value, String what) {
    if (blank(value)) {
      throw new InvalidArgument("missing argument '" + what + "'");
    }
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
