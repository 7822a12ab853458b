package dev.lakehouse.core.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the router answers for an accepted object: which tables it feeds and what exactly was landed
 * (the ETag pins the bytes). {@code alreadyIngested} is true when a successful bronze run already
 * recorded this key and ETag; the state machine then skips the jobs.
 */
public record RouteDecision(
    String entity,
    String table,
    String silverTable,
    String bucket,
    String key,
    String sourceFile,
    String etag,
    long size,
    String format,
    String compression,
    boolean alreadyIngested,
    String ingestedBy) {

  /** The same decision, already ingested by that execution when one is given. */
  public RouteDecision withIngestedBy(java.util.Optional<String> executionId) {
    return new RouteDecision(
        entity,
        table,
        silverTable,
        bucket,
        key,
        sourceFile,
        etag,
        size,
        format,
        compression,
        executionId.isPresent(),
        executionId.orElse(null));
  }

  /** Plain JSON-friendly map, the Lambda's answer. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entity", entity);
    m.put("table", table);
    m.put("silverTable", silverTable);
    m.put("bucket", bucket);
    m.put("key", key);
    m.put("sourceFile", sourceFile);
    m.put("etag", etag);
    m.put("size", size);
    m.put("format", format);
    m.put("compression", compression);
    m.put("alreadyIngested", alreadyIngested);
    if (ingestedBy != null) {
      m.put("ingestedBy", ingestedBy);
    }
    return m;
  }
}
