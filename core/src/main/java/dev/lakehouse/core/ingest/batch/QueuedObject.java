package dev.lakehouse.core.ingest.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * One message of the ingest queue: the S3 "Object Created" event EventBridge delivered, and the
 * receipt that deletes it. {@code bucket} and {@code key} are null when the body is not such an
 * event (it is then rejected, not retried).
 */
public record QueuedObject(
    String receipt,
    String body,
    String bucket,
    String key,
    String etag,
    Instant sentAt,
    int receiveCount) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the bucket, key and ETag of an EventBridge S3 event body; the key stays URL-encoded as S3
   * sent it.
   */
  public static QueuedObject fromEvent(
      String receipt, String body, Instant sentAt, int receiveCount) {
    String bucket = null;
    String key = null;
    String etag = null;
    try {
      JsonNode detail = JSON.readTree(body).path("detail");
      if (detail.path("bucket").hasNonNull("name") && detail.path("object").hasNonNull("key")) {
        bucket = detail.path("bucket").path("name").asText();
        key = detail.path("object").path("key").asText();
        etag =
            detail.path("object").hasNonNull("etag")
                ? detail.path("object").path("etag").asText()
                : null;
      }
    } catch (java.io.IOException notJson) {
      // an unreadable body stays without bucket and key, and is rejected
    }
    return new QueuedObject(receipt, body, bucket, key, etag, sentAt, receiveCount);
  }

  public boolean isObjectEvent() {
    return bucket != null && key != null;
  }
}
