package dev.lakehouse.core.ingest;

import java.util.Map;

/**
 * How landed objects are gathered into ingest batches. A batch starts when the queue holds {@code
 * maxObjects} objects, or once the oldest has waited {@code windowSeconds}; its objects stay leased
 * (invisible in the queue) for {@code leaseSeconds}, long enough for a failed batch to be redriven
 * before they are handed to another batch. While the queue still holds objects after a batch's
 * bronze run, the execution claims up to {@code maxObjects} more and runs bronze again, at most
 * {@code maxPasses} times in all, before silver and gold run once for everything it loaded: a
 * backlog pays silver's and gold's runs once per {@code maxPasses × maxObjects} objects, and a
 * steady stream of drops still reaches gold after a bounded number of passes.
 *
 * <p>On AWS the values reach the ingest router Lambda as environment variables ({@link
 * #ENV_MAX_OBJECTS} …), set by the CDK app from its context; the local stack passes them directly.
 */
public record BatchSettings(int maxObjects, int windowSeconds, int leaseSeconds, int maxPasses) {
  public static final String ENV_QUEUE_URL = "INGEST_QUEUE_URL";
  public static final String ENV_MAX_OBJECTS = "BATCH_MAX_OBJECTS";
  public static final String ENV_WINDOW_SECONDS = "BATCH_WINDOW_SECONDS";
  public static final String ENV_LEASE_SECONDS = "BATCH_LEASE_SECONDS";
  public static final String ENV_MAX_PASSES = "BATCH_MAX_PASSES";

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

  /** Bronze runs per execution before silver and gold: up to 1,000 objects at the default size. */
  public static final int DEFAULT_MAX_PASSES = 10;

  /** More passes would keep a steady stream of drops from gold for too long. */
  public static final int MAX_PASSES_LIMIT = 100;

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
    if (maxPasses < 1 || maxPasses > MAX_PASSES_LIMIT) {
      throw new IllegalArgumentException(
          "bronze passes per batch must be between 1 and "
              + MAX_PASSES_LIMIT
              + ", was "
              + maxPasses);
    }
  }

  public static BatchSettings defaults() {
    return new BatchSettings(
        DEFAULT_MAX_OBJECTS, DEFAULT_WINDOW_SECONDS, DEFAULT_LEASE_SECONDS, DEFAULT_MAX_PASSES);
  }

  public static BatchSettings fromEnvironment(Map<String, String> env) {
    return new BatchSettings(
        number(env, ENV_MAX_OBJECTS, DEFAULT_MAX_OBJECTS),
        number(env, ENV_WINDOW_SECONDS, DEFAULT_WINDOW_SECONDS),
        number(env, ENV_LEASE_SECONDS, DEFAULT_LEASE_SECONDS),
        number(env, ENV_MAX_PASSES, DEFAULT_MAX_PASSES));
  }

  public BatchSettings withMaxObjects(int value) {
    return new BatchSettings(value, windowSeconds, leaseSeconds, maxPasses);
  }

  public BatchSettings withWindowSeconds(int value) {
    return new BatchSettings(maxObjects, value, leaseSeconds, maxPasses);
  }

  public BatchSettings withLeaseSeconds(int value) {
    return new BatchSettings(maxObjects, windowSeconds, value, maxPasses);
  }

  public BatchSettings withMaxPasses(int value) {
    return new BatchSettings(maxObjects, windowSeconds, leaseSeconds, value);
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
