package dev.lakehouse.jobs.bronze;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The shapes of timestamp nearly every source sends, read by hand: {@code 2026-08-17T06:52:07},
 * with a space for the {@code T}, an optional fraction of up to nine digits, and {@code Z} or an
 * offset {@code ±HH:MM} (not after a space). java.time's formatters read these too, but bronze
 * tries them one after the other (offset, instant, naive), so a naive value cost two thrown parse
 * exceptions and three formatter passes — most of the parser's time on an orders file, with four
 * timestamps per record. Anything else (no seconds, a five-digit year, {@code +0100}) is left to
 * the formatters, which also word every rejection: this class only ever answers with the instant
 * they would give, or not at all.
 */
final class IsoTimestamps {
  private IsoTimestamps() {}

  /** The instant {@code t} (already trimmed) stands for, or null when it is not a common shape. */
  static Instant parseCommon(String t) {
    int n = t.length();
    if (n < 19
        || !digits(t, 0, 4)
        || t.charAt(4) != '-'
        || !digits(t, 5, 7)
        || t.charAt(7) != '-'
        || !digits(t, 8, 10)
        || !digits(t, 11, 13)
        || t.charAt(13) != ':'
        || !digits(t, 14, 16)
        || t.charAt(16) != ':'
        || !digits(t, 17, 19)) {
      return null;
    }
    char separator = t.charAt(10);
    if (separator != 'T' && separator != ' ') {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (i < n && t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(t.charAt(i))) {
        nanos = nanos * 10 + (t.charAt(i) - '0');
        i++;
      }
      int fractionDigits = i - start;
      if (fractionDigits == 0) {
        return null;
      }
      for (int k = fractionDigits; k < 9; k++) {
        nanos *= 10;
      }
    }
    ZoneOffset offset;
    if (i == n) {
      offset = ZoneOffset.UTC;
    } else if (separator != 'T') {
      return null; // only a naive value may use a space
    } else if (i == n - 1 && t.charAt(i) == 'Z') {
      offset = ZoneOffset.UTC;
    } else if (i == n - 6
        && (t.charAt(i) == '+' || t.charAt(i) == '-')
        && digits(t, i + 1, i + 3)
        && t.charAt(i + 3) == ':'
        && digits(t, i + 4, i + 6)) {
      int sign = t.charAt(i) == '-' ? -1 : 1;
      try {
        offset =
            ZoneOffset.ofHoursMinutes(
                sign * number(t, i + 1, i + 3), sign * number(t, i + 4, i + 6));
      } catch (DateTimeException outOfRange) {
        return null;
      }
    } else {
      return null;
    }
    try {
      return LocalDateTime.of(
              number(t, 0, 4),
              number(t, 5, 7),
              number(t, 8, 10),
              number(t, 11, 13),
              number(t, 14, 16),
              number(t, 17, 19),
              nanos)
          .toInstant(offset);
    } catch (DateTimeException impossible) {
      return null; // February 30th, hour 24: the formatters say why
    }
  }

  private static boolean digits(String t, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int number(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      value = value * 10 + (t.charAt(i) - '0');
    }
    return value;
  }
}
