package dev.lakehouse.core.ingest;

/** The object's extension or content is not a format the table accepts. */
public final class UnsupportedFormat extends RouterException {
  public UnsupportedFormat(String bucket, String key, String message) {
    super(bucket, key, message);
  }
}
