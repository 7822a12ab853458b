package dev.lakehouse.core.ingest;

/**
 * A landed object the pipeline will not ingest. Each subclass is one error name for the state
 * machine: the Lambda Java runtime reports a thrown exception's class name as {@code errorType},
 * and a Step Functions Catch/Retry matches on it (see {@link #errorName()}). The router has already
 * moved the object to the rejected prefix when it throws.
 */
public abstract class RouterException extends RuntimeException {
  private final String bucket;
  private final String key;
  private String rejectedKey;

  protected RouterException(String bucket, String key, String message) {
    super(message);
    this.bucket = bucket;
    this.key = key;
  }

  /**
   * Short reason code written to the rejected object's tags: the simple class name, e.g. {@code
   * EmptyObject}.
   */
  public String reason() {
    return getClass().getSimpleName();
  }

  /**
   * The name Step Functions sees ({@code errorType} of the Lambda error): the fully qualified class
   * name.
   */
  public String errorName() {
    return getClass().getName();
  }

  public String bucket() {
    return bucket;
  }

  public String key() {
    return key;
  }

  /** Where the object was moved, or null when it could not be moved (it was already gone). */
  public String rejectedKey() {
    return rejectedKey;
  }

  void rejectedTo(String value) {
    this.rejectedKey = value;
  }
}
