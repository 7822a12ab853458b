package dev.lakehouse.core.sources.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One run of a REST source: from the stored position, fetch at most {@code maxPages} pages and land
 * each non-empty page as one JSON Lines object under {@code landing/<table>/rest/<source>/}, where
 * the file pipeline takes it (router, bronze with lineage and quarantine, silver, gold). After each
 * page the position moves past it.
 *
 * <p>Exactly once into bronze: a page's key is its request position plus a hash of its content, and
 * it is written only if absent ({@code If-None-Match: *}). A crash after a page landed and before
 * the position moved fetches that page again on the next run; the same content makes the same key,
 * which is refused as already there, and no second object (and no second "Object Created" event)
 * appears. A page whose content changed in between is a new object; silver keeps the newest row per
 * key, so it changes nothing there either. At the end of the data the position stays on the last
 * page (cursor mode: the last cursor sent; page mode: the empty or short page), so the next run
 * asks for it again and lands only what was added to it.
 */
public final class RestPull {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PRECONDITION_FAILED = 412;

  private final S3Client s3;
  private final String bucket;
  private final RestApiClient api;
  private final RestCursorStore cursors;
  private final Clock clock;

  public RestPull(S3Client s3, String bucket, RestApiClient api, Clock clock) {
    this.s3 = s3;
    this.bucket = bucket;
    this.api = api;
    this.cursors = new RestCursorStore(s3, bucket);
    this.clock = clock;
  }

  /**
   * What a run did: the pages fetched, the objects it landed (in order, with their record counts),
   * how many pages were already landed by an earlier run, and where the next run starts.
   */
  public record Result(
      String source,
      String bucket,
      int pages,
      long records,
      List<Landed> landed,
      int alreadyLanded,
      boolean reachedEnd,
      RestCursorStore.Position next) {

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", source);
      m.put("bucket", bucket);
      m.put("pages", pages);
      m.put("records", records);
      m.put("objects", landed.stream().map(Landed::toMap).toList());
      m.put("alreadyLanded", alreadyLanded);
      m.put("reachedEnd", reachedEnd);
      m.put("nextCursor", next.cursor());
      m.put("nextPage", next.page());
      return m;
    }
  }

  /** One landed object. */
  public record Landed(String key, String etag, int records) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", key);
      m.put("etag", etag);
      m.put("records", records);
      return m;
    }
  }

  public Result run(RestSource source) {
    RestCursorStore.Position position = cursors.read(source);
    List<Landed> landed = new ArrayList<>();
    int pages = 0;
    int already = 0;
    long records = 0;
    boolean end = false;
    while (pages < source.maxPages() && !end) {
      URI uri = requestUri(source, position);
      JsonNode body = api.get(uri, source.retry()).body();
      pages++;
      JsonNode items = body.at(source.itemsPath());
      if (!items.isArray()) {
        throw new InvalidApiResponse(
            "GET "
                + uri
                + ": no array of items at '"
                + source.itemsPath()
                + "' (found "
                + (items.isMissingNode()
                    ? "nothing"
                    : items.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                + ")",
            null);
      }
      String lastObject = position.lastObject();
      if (!items.isEmpty()) {
        byte[] lines = jsonLines(items);
        String key =
            source.landingPrefix()
                + positionId(position)
                + "-"
                + sha256(lines).substring(0, 16)
                + ".jsonl";
        String etag = putIfAbsent(source, key, uri, lines);
        if (etag == null) {
          already++;
        } else {
          landed.add(new Landed(key, etag, items.size()));
          records += items.size();
        }
        lastObject = key;
      }
      String nextCursor = null;
      Integer nextPage = position.page();
      if (source.pagination() == RestSource.Pagination.CURSOR) {
        JsonNode next = body.at(source.nextCursorPath());
        nextCursor =
            next.isValueNode() && !next.isNull() && !next.asText().isEmpty() ? next.asText() : null;
        // No next cursor, or the same one again (an API that loops), is the end: stay on this page.
        end = nextCursor == null || nextCursor.equals(position.cursor());
        nextCursor = end ? position.cursor() : nextCursor;
      } else {
        end = items.isEmpty() || (source.pageSize() != null && items.size() < source.pageSize());
        nextPage = end ? position.page() : position.page() + 1;
      }
      position =
          new RestCursorStore.Position(
              source.pagination(),
              source.table().label(),
              nextCursor,
              nextPage,
              position.pages() + 1,
              position.records() + items.size(),
              lastObject,
              clock.instant());
      cursors.write(source.name(), position);
    }
    return new Result(
        source.name(), bucket, pages, records, List.copyOf(landed), already, end, position);
  }

  /**
   * The page's request: the source URL with the cursor (or page number) and page size added to its
   * query.
   */
  static URI requestUri(RestSource source, RestCursorStore.Position position) {
    StringBuilder query = new StringBuilder();
    if (source.pagination() == RestSource.Pagination.CURSOR) {
      if (position.cursor() != null) {
        param(query, source.cursorParam(), position.cursor());
      }
    } else {
      param(query, source.pageParam(), Integer.toString(position.page()));
    }
    if (source.pageSize() != null) {
      param(query, source.pageSizeParam(), Integer.toString(source.pageSize()));
    }
    String url = source.url().toString();
    int hash = url.indexOf('#');
    url = hash < 0 ? url : url.substring(0, hash);
    if (query.isEmpty()) {
      return URI.create(url);
    }
    return URI.create(url + (source.url().getRawQuery() == null ? "?" : "&") + query);
  }

  private static void param(StringBuilder query, String name, String value) {
    if (!query.isEmpty()) {
      query.append('&');
    }
    query
        .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
        .append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  /**
   * {@code page-000003}, or {@code cursor-start} / {@code cursor-<hash of the cursor>}: stable for
   * a request.
   */
  static String positionId(RestCursorStore.Position p) {
    if (p.pagination() == RestSource.Pagination.PAGE) {
      return String.format("page-%06d", p.page());
    }
    return p.cursor() == null
        ? "cursor-start"
        : "cursor-" + sha256(p.cursor().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  /**
   * Writes the object unless the key exists; returns its ETag, or null when it was already there.
   */
  private String putIfAbsent(RestSource source, String key, URI uri, byte[] lines) {
    try {
      return s3.putObject(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .ifNoneMatch("*")
                      .contentType("application/x-ndjson")
                      .metadata(
                          Map.of(
                              "rest-source", source.name(), "rest-request", uri.toASCIIString())),
              RequestBody.fromBytes(lines))
          .eTag()
          .replace("\"", "");
    } catch (S3Exception e) {
      if (e.statusCode() == PRECONDITION_FAILED) {
        return null;
      }
      throw e;
    }
  }

  /** Each item as one compact JSON line, in the API's order. */
  private static byte[] jsonLines(JsonNode items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (JsonNode item : items) {
        out.write(JSON.writeValueAsBytes(item));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
