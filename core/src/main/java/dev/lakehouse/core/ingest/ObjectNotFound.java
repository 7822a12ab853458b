package dev.lakehouse.core.ingest;

/** The object does not exist (any more), e.g. a duplicate event after it was moved. */
public final class ObjectNotFound extends RouterException {
  public ObjectNotFound(String bucket, String key, String message) {
    super(bucket, key, message);
  }
}
