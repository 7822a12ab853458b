package dev.lakehouse.core.ingest;

/** The object is larger than the configured maximum. */
public final class ObjectTooLarge extends RouterException {
  public ObjectTooLarge(String bucket, String key, String message) {
    super(bucket, key, message);
  }
}
