package dev.lakehouse.core.ingest;

/**
 * The object key contains a path trick (.., an absolute path, a backslash or control characters).
 */
public final class InvalidObjectKey extends RouterException {
  public InvalidObjectKey(String bucket, String key, String message) {
    super(bucket, key, message);
  }
}
