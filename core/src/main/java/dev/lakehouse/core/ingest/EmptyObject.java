package dev.lakehouse.core.ingest;

/** The object has no bytes. */
public final class EmptyObject extends RouterException {
  public EmptyObject(String bucket, String key, String message) {
    super(bucket, key, message);
  }
}
