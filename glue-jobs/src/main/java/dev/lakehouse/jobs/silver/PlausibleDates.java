package dev.lakehouse.jobs.silver;

import java.time.Duration;
import java.time.Instant;

/**
 * The window a business date must fall in to be believed: a year-9999 or 1970 order date is a
 * broken source, not an order, and would otherwise become gold rows. Records outside it are
 * quarantined with the window in the reason.
 */
public record PlausibleDates(Instant earliest, Duration ahead) {
  /** Defaults of the silver job's options (text, as picocli takes them). */
  public static final String DEFAULT_SINCE = "2000-01-01";

  public static final String DEFAULT_AHEAD_HOURS = "24";

  /** The latest believable date for a run at {@code runTime}. */
  public Instant latest(Instant runTime) {
    return runTime.plus(ahead);
  }
}
