package dev.lakehouse.core.sources.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.core.admin.InvalidArgument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Where a REST source stands, kept as one small JSON object per source under {@value #PREFIX} in
 * the landing bucket (outside {@code landing/}, so writing it starts no pipeline). It is written
 * only after the page it follows has landed, so a crash in between fetches that page again on the
 * next run, and lands nothing new for it (see {@link RestPull}).
 */
public final class RestCursorStore {
  public static final String PREFIX = "state/rest/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where the next run starts: the cursor to send (null: the first page) or the page number, and
   * running totals.
   *
   * @param lastObject the key of the last object landed, or null before the first
   */
  public record Position(
      RestSource.Pagination pagination,
      String table,
      String cursor,
      Integer page,
      long pages,
      long records,
      String lastObject,
      Instant updatedAt) {

    /** Where a source that never ran starts. */
    public static Position start(RestSource source) {
      return new Position(
          source.pagination(),
          source.table().label(),
          null,
          source.pagination() == RestSource.Pagination.PAGE ? source.firstPage() : null,
          0,
          0,
          null,
          null);
    }
  }

  private final S3Client s3;
  private final String bucket;

  public RestCursorStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * The stored position, or the start when the source never landed anything; refuses one kept for
   * other settings.
   */
  public Position read(RestSource source) {
    Optional<Position> stored = load(source.name());
    if (stored.isEmpty()) {
      return Position.start(source);
    }
    Position p = stored.get();
    if (p.pagination() != source.pagination() || !p.table().equals(source.table().label())) {
      throw new InvalidArgument(
          "source '"
              + source.name()
              + "' kept its position for "
              + p.pagination().name().toLowerCase(java.util.Locale.ROOT)
              + " pagination into "
              + p.table()
              + ", not "
              + source.pagination().name().toLowerCase(java.util.Locale.ROOT)
              + " into "
              + source.table().label()
              + "; use another source name, or "
              + "delete s3://"
              + bucket
              + "/"
              + source.stateKey()
              + " to start over");
    }
    return p;
  }

  public Optional<Position> load(String sourceName) {
    String key = RestSource.stateKey(sourceName);
    // Listed first, with the key as the prefix: that needs s3:ListBucket on this one prefix only,
    // where a GET of a
    // missing key answers 404 (and not 403) only to a principal that may list the whole bucket.
    if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(10)).contents().stream()
        .noneMatch(o -> o.key().equals(key))) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (NoSuchKeyException deletedMeanwhile) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      return Optional.of(
          new Position(
              RestSource.Pagination.valueOf(n.path("pagination").asText()),
              n.path("table").asText(),
              text(n, "cursor"),
              n.hasNonNull("page") ? n.get("page").asInt() : null,
              n.path("pages").asLong(),
              n.path("records").asLong(),
              text(n, "lastObject"),
              n.hasNonNull("updatedAt") ? Instant.parse(n.get("updatedAt").asText()) : null));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot read the position of REST source '"
              + sourceName
              + "' from s3://"
              + bucket
              + "/"
              + RestSource.stateKey(sourceName)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public void write(String sourceName, Position p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("source", sourceName);
    n.put("pagination", p.pagination().name());
    n.put("table", p.table());
    n.put("cursor", p.cursor());
    if (p.page() == null) {
      n.putNull("page");
    } else {
      n.put("page", p.page());
    }
    n.put("pages", p.pages());
    n.put("records", p.records());
    n.put("lastObject", p.lastObject());
    n.put("updatedAt", p.updatedAt() == null ? null : p.updatedAt().toString());
    try {
      byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
      s3.putObject(
          b ->
              b.bucket(bucket).key(RestSource.stateKey(sourceName)).contentType("application/json"),
          RequestBody.fromBytes(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }
}
