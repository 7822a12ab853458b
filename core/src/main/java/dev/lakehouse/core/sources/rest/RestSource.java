package dev.lakehouse.core.sources.rest;

import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.tables.SourceEntity;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One HTTP JSON API the lakehouse pulls records from, and how to page through it. {@code itemsPath}
 * and {@code nextCursorPath} are JSON pointers into a page's body ({@code ""} is the body itself,
 * for an API that answers a bare array).
 *
 * @param name the source's name: its landing sub-prefix and its cursor object ({@code [a-z0-9_-]},
 *     at most 64)
 * @param pageSize sent as {@code pageSizeParam} when set; in page mode a shorter page is the last
 *     one
 * @param maxPages the bound on pages fetched by one run, so one scheduled run stays within the
 *     Lambda's timeout
 */
public record RestSource(
    String name,
    URI url,
    SourceEntity table,
    Pagination pagination,
    String itemsPath,
    String cursorParam,
    String nextCursorPath,
    String pageParam,
    int firstPage,
    String pageSizeParam,
    Integer pageSize,
    int maxPages,
    Retry retry) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern POINTER = Pattern.compile("(/[^/]*)*");

  /** How the API hands out the next page. */
  public enum Pagination {
    /**
     * The answer names the next page's cursor ({@code nextCursorPath}); no cursor means the end.
     */
    CURSOR,
    /**
     * Pages are numbered from {@code firstPage}; an empty (or short, with {@code pageSize}) page is
     * the end.
     */
    PAGE
  }

  /**
   * Retries of one request on 429 and 5xx answers and on connection failures: {@code attempts} in
   * all, waiting what Retry-After asks (at most {@code maxDelay}) or else {@code baseDelay} doubled
   * per attempt (at most {@code maxDelay}). Without jitter: one source has one caller at a time
   * (one schedule, one run), so there is no herd to spread.
   */
  public record Retry(int attempts, Duration baseDelay, Duration maxDelay) {
    public static final Retry DEFAULT =
        new Retry(5, Duration.ofMillis(500), Duration.ofSeconds(60));

    public Retry {
      if (attempts < 1 || attempts > 20) {
        throw new InvalidArgument("retry attempts must be between 1 and 20, was " + attempts);
      }
      if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
        throw new InvalidArgument(
            "retry delays must satisfy 0 <= base <= max, were " + baseDelay + " and " + maxDelay);
      }
    }

    /** The wait before attempt {@code attempt + 1} when the server did not say. */
    public Duration backoff(int attempt) {
      long millis = baseDelay.toMillis() << Math.min(attempt - 1, 20);
      return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
  }

  public RestSource {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgument(
          "source name must be 1-64 of a-z, 0-9, '_' and '-' starting with a letter or digit, "
              + "was '"
              + name
              + "'");
    }
    if (url == null
        || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null) {
      throw new InvalidArgument("url must be an absolute http or https URL, was '" + url + "'");
    }
    if (table == null || pagination == null) {
      throw new InvalidArgument("table and pagination are required");
    }
    for (String pointer : new String[] {itemsPath, nextCursorPath}) {
      if (pointer == null || !POINTER.matcher(pointer).matches()) {
        throw new InvalidArgument("'" + pointer + "' is not a JSON pointer (\"\" or /a/b)");
      }
    }
    if (blank(cursorParam) || blank(pageParam) || blank(pageSizeParam)) {
      throw new InvalidArgument("cursorParam, pageParam and pageSizeParam must not be blank");
    }
    if (pageSize != null && pageSize < 1) {
      throw new InvalidArgument("pageSize must be at least 1, was " + pageSize);
    }
    if (maxPages < 1 || maxPages > 10_000) {
      throw new InvalidArgument("maxPages must be between 1 and 10000, was " + maxPages);
    }
    if (firstPage < 0) {
      throw new InvalidArgument("firstPage must not be negative, was " + firstPage);
    }
    if (retry == null) {
      retry = Retry.DEFAULT;
    }
  }

  /** The payload keys {@link #fromPayload} reads. */
  public static final Set<String> PAYLOAD_KEYS =
      Set.of(
          "source",
          "url",
          "table",
          "pagination",
          "itemsPath",
          "cursorParam",
          "nextCursorPath",
          "pageParam",
          "firstPage",
          "pageSizeParam",
          "pageSize",
          "maxPages",
          "retryAttempts");

  /**
   * A source from the RestSource function's payload (a schedule's input, the CLI's): {@code
   * source}, {@code url} and {@code table} required, every other key of {@link #PAYLOAD_KEYS}
   * optional with the common default.
   */
  public static RestSource fromPayload(Map<String, Object> payload) {
    for (String key : payload.keySet()) {
      if (!PAYLOAD_KEYS.contains(key)) {
        throw new InvalidArgument(
            "unknown setting '"
                + key
                + "' for a REST source; known: "
                + new java.util.TreeSet<>(PAYLOAD_KEYS));
      }
    }
    String table = text(payload, "table", true);
    SourceEntity entity =
        SourceEntity.find(table)
            .orElseThrow(
                () ->
                    new InvalidArgument(
                        "unknown table '"
                            + table
                            + "'; expected one of "
                            + Arrays.stream(SourceEntity.values())
                                .map(SourceEntity::label)
                                .toList()));
    Integer attempts = number(payload, "retryAttempts");
    return builder(text(payload, "source", true), text(payload, "url", true), entity)
        .pagination(pagination(text(payload, "pagination", false)))
        .itemsPath(pointer(payload, "itemsPath"))
        .cursorParam(text(payload, "cursorParam", false))
        .nextCursorPath(pointer(payload, "nextCursorPath"))
        .pageParam(text(payload, "pageParam", false))
        .firstPage(number(payload, "firstPage"))
        .pageSizeParam(text(payload, "pageSizeParam", false))
        .pageSize(number(payload, "pageSize"))
        .maxPages(number(payload, "maxPages"))
        .retry(
            attempts == null
                ? null
                : new Retry(attempts, Retry.DEFAULT.baseDelay(), Retry.DEFAULT.maxDelay()))
        .build();
  }

  private static String text(Map<String, Object> payload, String name, boolean required) {
    Object v = payload.get(name);
    if (v instanceof Map || v instanceof java.util.List) {
      throw new InvalidArgument("'" + name + "' must be a string, was " + v);
    }
    String s = v == null ? null : v.toString().trim();
    if (s == null || s.isEmpty()) {
      if (required) {
        throw new InvalidArgument("missing argument '" + name + "'");
      }
      return null;
    }
    return s;
  }

  private static Integer number(Map<String, Object> payload, String name) {
    Object v = payload.get(name);
    if (v == null || v.toString().isBlank()) {
      return null;
    }
    try {
      return v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
          ? n.intValue()
          : Integer.valueOf(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new InvalidArgument("'" + name + "' must be a whole number, was '" + v + "'");
    }
  }

  /** A JSON pointer, where "" (the body itself) is a value and not a missing argument. */
  private static String pointer(Map<String, Object> payload, String name) {
    Object v = payload.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidArgument("'" + name + "' must be a JSON pointer string, was " + v);
    }
    return s.trim();
  }

  private static Pagination pagination(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Pagination.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument("pagination must be cursor or page, was '" + value + "'");
    }
  }

  /**
   * A cursor-paged source with the common names: {@code ?cursor=}, {@code /data}, {@code
   * /next_cursor}.
   */
  public static Builder builder(String name, String url, SourceEntity table) {
    return new Builder(name, url, table);
  }

  /** Where this source's landed objects go: {@code landing/<table>/rest/<name>/}. */
  public String landingPrefix() {
    return table.landingPrefix() + "rest/" + name + "/";
  }

  /**
   * The durable cursor's key in the landing bucket, outside {@code landing/} so no pipeline starts
   * for it.
   */
  public String stateKey() {
    return stateKey(name);
  }

  public static String stateKey(String name) {
    return RestCursorStore.PREFIX + name + ".json";
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Fills the common defaults; every setter takes null as "keep the default". */
  public static final class Builder {
    private final String name;
    private final String url;
    private final SourceEntity table;
    private Pagination pagination = Pagination.CURSOR;
    private String itemsPath = "/data";
    private String cursorParam = "cursor";
    private String nextCursorPath = "/next_cursor";
    private String pageParam = "page";
    private int firstPage = 1;
    private String pageSizeParam = "page_size";
    private Integer pageSize;
    private int maxPages = 10;
    private Retry retry = Retry.DEFAULT;

    private Builder(String name, String url, SourceEntity table) {
      this.name = name;
      this.url = url;
      this.table = table;
    }

    public Builder pagination(Pagination v) {
      pagination = v == null ? pagination : v;
      return this;
    }

    public Builder itemsPath(String v) {
      itemsPath = v == null ? itemsPath : v;
      return this;
    }

    public Builder cursorParam(String v) {
      cursorParam = v == null ? cursorParam : v;
      return this;
    }

    public Builder nextCursorPath(String v) {
      nextCursorPath = v == null ? nextCursorPath : v;
      return this;
    }

    public Builder pageParam(String v) {
      pageParam = v == null ? pageParam : v;
      return this;
    }

    public Builder firstPage(Integer v) {
      firstPage = v == null ? firstPage : v;
      return this;
    }

    public Builder pageSizeParam(String v) {
      pageSizeParam = v == null ? pageSizeParam : v;
      return this;
    }

    public Builder pageSize(Integer v) {
      pageSize = v;
      return this;
    }

    public Builder maxPages(Integer v) {
      maxPages = v == null ? maxPages : v;
      return this;
    }

    public Builder retry(Retry v) {
      retry = v == null ? retry : v;
      return this;
    }

    public RestSource build() {
      URI uri;
      try {
        uri = URI.create(url == null ? "" : url.trim());
      } catch (IllegalArgumentException e) {
        throw new InvalidArgument("url '" + url + "' is not a URL: " + e.getMessage());
      }
      return new RestSource(
          name,
          uri,
          table,
          pagination,
          itemsPath,
          cursorParam,
          nextCursorPath,
          pageParam,
          firstPage,
          pageSizeParam,
          pageSize,
          maxPages,
          retry);
    }
  }
}
