package dev.lakehouse.core.ingest;

import java.util.Map;

/**
 * How landed objects are gathered into ingest batches. A batch starts when the queue holds {@code
 * maxObjects} objects, or once the oldest has waited {@code windowSeconds}; its objects stay leased
 * (invisible in the queue) for {@code leaseSeconds}, long enough for a failed batch to be redriven
 * before they are handed to another batch.
 *
 * <p>On AWS the values reach the ingest router Lambda as environment variables ({@link
 * #ENV_MAX_OBJECTS} …), set by the CDK app from its context; the local stack passes them directly.
 */
public record BatchSettings(int maxObjects, int windowSeconds, int leaseSeconds) {
  public static final String ENV_QUEUE_URL = "INGEST_QUEUE_URL";
  public static final String ENV_MAX_OBJECTS = "BATCH_MAX_OBJECTS";
  public static final String ENV_WINDOW_SECONDS = "BATCH_WINDOW_SECONDS";
  public static final String ENV_LEASE_SECONDS = "BATCH_LEASE_SECONDS";

  /**
   * Where batch manifests are written, in the landing bucket (outside {@code landing/}, so they
   * trigger nothing).
   */
  public static final String MANIFEST_PREFIX = "batches/";

  public static final int DEFAULT_MAX_OBJECTS = 100;
  public static final int DEFAULT_WINDOW_SECONDS = 30;

  /**
   * SQS's longest visibility timeout: twelve hours to redrive a failed batch before its objects are
   * retried.
   */
  public static final int DEFAULT_LEASE_SECONDS = 43_200;

  /**
   * A manifest names its objects in the state machine's payload budget and a Lambda's time budget.
   */
  public static final int MAX_OBJECTS_LIMIT = 1_000;

  public BatchSettings {
    if (maxObjects < 1 || maxObjects > MAX_OBJECTS_LIMIT) {
      throw new IllegalArgumentException(
          "batch size must be between 1 and " + MAX_OBJECTS_LIMIT + ", was " + maxObjects);
    }
    if (windowSeconds < 0 || windowSeconds > 3_600) {
      throw new IllegalArgumentException(
          "batch window must be between 0 and 3600 seconds, was " + windowSeconds);
    }
    if (leaseSeconds < 60 || leaseSeconds > DEFAULT_LEASE_SECONDS) {
      throw new IllegalArgumentException(
          "batch lease must be between 60 and 43200 seconds, was " + leaseSeconds);
    }
  }

  public static BatchSettings defaults() {
    return new BatchSettings(DEFAULT_MAX_OBJECTS, DEFAULT_WINDOW_SECONDS, DEFAULT_LEASE_SECONDS);
  }

  public static BatchSettings fromEnvironment(Map<String, String> env) {
    return new BatchSettings(
        number(env, ENV_MAX_OBJECTS, DEFAULT_MAX_OBJECTS),
        number(env, ENV_WINDOW_SECONDS, DEFAULT_WINDOW_SECONDS),
        number(env, ENV_LEASE_SECONDS, DEFAULT_LEASE_SECONDS));
  }

  public BatchSettings withMaxObjects(int value) {
    return new BatchSettings(value, windowSeconds, leaseSeconds);
  }

  public BatchSettings withWindowSeconds(int value) {
    return new BatchSettings(maxObjects, value, leaseSeconds);
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
    }
  }
}
