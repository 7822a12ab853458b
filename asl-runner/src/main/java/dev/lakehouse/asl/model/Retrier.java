package dev.lakehouse.asl.model;

import java.time.Duration;
import java.util.List;

/** One entry of a state's Retry array, with the spec defaults already applied. */
public record Retrier(
    List<String> errorEquals,
    int intervalSeconds,
    int maxAttempts,
    double backoffRate,
    Integer maxDelaySeconds,
    JitterStrategy jitterStrategy) {

  public enum JitterStrategy {
    FULL,
    NONE
  }

  /**
   * Delay before retry number {@code retryIndex} (0-based): IntervalSeconds *
   * BackoffRate^retryIndex, capped by MaxDelaySeconds, before jitter.
   */
  public Duration baseDelay(int retryIndex) {
    double seconds = intervalSeconds * Math.pow(backoffRate, retryIndex);
    if (maxDelaySeconds != null) {
      seconds = Math.min(seconds, maxDelaySeconds);
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
