package dev.lakehouse.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * The EventBridge event S3 sends for "Object Created" when a bucket has EventBridge notifications
 * on.
 */
public final class S3Events {
  private static final ObjectMapper JSON = new ObjectMapper();

  private S3Events() {}

  public static ObjectNode objectCreated(String bucket, String key, long size, String etag) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Object Created");
    event.put("source", "aws.s3");
    event.put("account", LocalResources.ACCOUNT);
    event.put("time", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
    event.put("region", LocalResources.REGION);
    event.putArray("resources").add("arn:aws:s3:::" + bucket);
    ObjectNode detail = event.putObject("detail");
    detail.put("version", "0");
    detail.putObject("bucket").put("name", bucket);
    ObjectNode object = detail.putObject("object");
    object.put("key", key);
    object.put("size", size);
    object.put("etag", etag);
    object.put("sequencer", Long.toHexString(System.nanoTime()).toUpperCase());
    detail.put(
        "request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase());
    detail.put("requester", LocalResources.ACCOUNT);
    detail.put("source-ip-address", "127.0.0.1");
    detail.put("reason", "PutObject");
    return event;
  }
}
