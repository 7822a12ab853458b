package dev.lakehouse.core.sources.rest;

/**
 * A run of a REST source that stopped before its page bound. Each subclass is one error name for
 * whoever invokes the function (the Lambda runtime reports the class name as {@code errorType}).
 * Pages landed before the failure stay landed and the cursor stays after the last of them, so the
 * next run continues there.
 */
public abstract class RestSourceException extends RuntimeException {
  protected RestSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
