package dev.lakehouse.core.ingest;

/** No table takes objects under this prefix. */
public final class UnknownTable extends RouterException {
  public UnknownTable(String bucket, String key, String message) {
    super(bucket, key, message);
  }
}
