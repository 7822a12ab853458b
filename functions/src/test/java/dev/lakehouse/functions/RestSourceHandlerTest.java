package dev.lakehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.sources.rest.ApiRequestFailed;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

class RestSourceHandlerTest {
  static final String BUCKET = "landing-rest";
  static final String TOKEN = "t0ken";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

  static S3Client s3;
  FakeApi api;
  List<Duration> waits;
  RestSourceHandler handler;

  @BeforeAll
  static void s3() {
    S3MockServer server = S3MockServer.get();
    server.bucket(BUCKET);
    s3 = server.client();
  }

  @BeforeEach
  void setUp() throws Exception {
    api = new FakeApi(TOKEN);
    waits = new ArrayList<>();
    handler = handler(TOKEN);
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  RestSourceHandler handler(String token) {
    return new RestSourceHandler(
        s3, BUCKET, () -> Optional.of(token), HttpClient.newHttpClient(), waits::add, CLOCK);
  }

  static String customer(int n) {
    return "{\"customer_id\":\"c-" + n + "\",\"email\":\"c" + n + "@example.com\"}";
  }

  static String page(String nextCursor, String... items) {
    return "{\"data\":["
        + String.join(",", items)
        + "],\"next_cursor\":"
        + (nextCursor == null ? "null" : "\"" + nextCursor + "\"")
        + "}";
  }

  Map<String, Object> event(String source, Object... more) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("source", source);
    e.put("url", api.url("/v1/customers"));
    e.put("table", "customers");
    for (int i = 0; i < more.length; i += 2) {
      e.put((String) more[i], more[i + 1]);
    }
    return e;
  }

  @Test
  void cursorPagesLandAsJsonLinesRetryingA429AndA500AndTheNextRunContinuesFromTheCursor()
      throws Exception {
    api.page("", page("c2", customer(1), customer(2)))
        .page("cursor=c2", page("c3", customer(3), customer(4)))
        .page("cursor=c3", page(null, customer(5)))
        .failOnce("", 429, Map.of("Retry-After", "2"))
        .failOnce("cursor=c2", 500, Map.of());

    Map<String, Object> first =
        handler.handleRequest(event("crm", "maxPages", 2), new TestContext());

    String lines1 = customer(1) + "\n" + customer(2) + "\n";
    String lines2 = customer(3) + "\n" + customer(4) + "\n";
    String key1 = "landing/customers/rest/crm/cursor-start-" + hash16(lines1) + ".jsonl";
    String key2 =
        "landing/customers/rest/crm/cursor-" + hash16("c2") + "-" + hash16(lines2) + ".jsonl";
    assertThat(api.requests())
        .containsExactly(
            "/v1/customers", "/v1/customers", "/v1/customers?cursor=c2", "/v1/customers?cursor=c2");
    // The 429's Retry-After (2 s) is honoured; the 500 waits the first backoff step (0.5 s).
    assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofMillis(500));
    assertThat(first)
        .containsEntry("pages", 2)
        .containsEntry("records", 4L)
        .containsEntry("alreadyLanded", 0)
        .containsEntry("reachedEnd", false)
        .containsEntry("nextCursor", "c3");
    assertThat(objectsUnder("landing/customers/rest/crm/")).containsExactlyInAnyOrder(key1, key2);
    assertThat(read(key1)).isEqualTo(lines1);
    assertThat(read(key2)).isEqualTo(lines2);
    assertThat(read("state/rest/crm.json"))
        .contains(
            "\"cursor\" : \"c3\"",
            "\"pages\" : 2",
            "\"records\" : 4",
            "\"lastObject\" : \"" + key2 + "\"",
            "\"updatedAt\" : \"2026-12-01T09:00:00Z\"");

    api.clearRequests();
    Map<String, Object> second =
        handler.handleRequest(event("crm", "maxPages", 2), new TestContext());

    String lines3 = customer(5) + "\n";
    String key3 =
        "landing/customers/rest/crm/cursor-" + hash16("c3") + "-" + hash16(lines3) + ".jsonl";
    assertThat(api.requests()).containsExactly("/v1/customers?cursor=c3");
    assertThat(second)
        .containsEntry("pages", 1)
        .containsEntry("records", 1L)
        .containsEntry("reachedEnd", true)
        .containsEntry("nextCursor", "c3");
    assertThat(objectsUnder("landing/customers/rest/crm/"))
        .containsExactlyInAnyOrder(key1, key2, key3);
    assertThat(read(key3)).isEqualTo(lines3);

    // At the end the position stays on the last page: asked again, unchanged, it lands nothing;
    // grown, it lands the
    // page's new content as a new object (silver keeps the newest row per customer).
    String etag3 = s3.headObject(b -> b.bucket(BUCKET).key(key3)).eTag();
    Map<String, Object> third = handler.handleRequest(event("crm"), new TestContext());
    assertThat(third)
        .containsEntry("pages", 1)
        .containsEntry("records", 0L)
        .containsEntry("alreadyLanded", 1)
        .containsEntry("objects", List.of());
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key3)).eTag()).isEqualTo(etag3);
    api.page("cursor=c3", page(null, customer(5), customer(6)));
    Map<String, Object> fourth = handler.handleRequest(event("crm"), new TestContext());
    String lines4 = customer(5) + "\n" + customer(6) + "\n";
    assertThat(fourth).containsEntry("records", 2L);
    assertThat(objectsUnder("landing/customers/rest/crm/"))
        .hasSize(4)
        .contains(
            "landing/customers/rest/crm/cursor-" + hash16("c3") + "-" + hash16(lines4) + ".jsonl");
  }

  @Test
  void aCrashAfterLandingAPageBeforeMovingTheCursorLandsThatPageOnce() throws Exception {
    api.page("", page("c2", customer(1))).page("cursor=c2", page(null, customer(2)));
    handler.handleRequest(event("crash", "maxPages", 1), new TestContext());
    String state = read("state/rest/crash.json");
    // The crash: the second page lands, then the run dies before its cursor is written.
    handler.handleRequest(event("crash", "maxPages", 1), new TestContext());
    s3.putObject(
        b -> b.bucket(BUCKET).key("state/rest/crash.json"),
        software.amazon.awssdk.core.sync.RequestBody.fromString(state));

    Map<String, Object> rerun = handler.handleRequest(event("crash"), new TestContext());

    assertThat(rerun)
        .containsEntry("pages", 1)
        .containsEntry("records", 0L)
        .containsEntry("alreadyLanded", 1)
        .containsEntry("reachedEnd", true);
    assertThat(objectsUnder("landing/customers/rest/crash/")).hasSize(2);
  }

  @Test
  void pageNumbersStopAtAShortPageAndContinueThereWhenItFills() throws Exception {
    api.page("page=1&page_size=2", "[" + customer(1) + "," + customer(2) + "]")
        .page("page=2&page_size=2", "[" + customer(3) + "]");
    Map<String, Object> first =
        handler.handleRequest(
            event("paged", "pagination", "page", "itemsPath", "", "pageSize", 2),
            new TestContext());
    assertThat(first)
        .containsEntry("pages", 2)
        .containsEntry("records", 3L)
        .containsEntry("reachedEnd", true)
        .containsEntry("nextPage", 2);

    api.page("page=2&page_size=2", "[" + customer(3) + "," + customer(4) + "]")
        .page("page=3&page_size=2", "[]");
    api.clearRequests();
    Map<String, Object> second =
        handler.handleRequest(
            event("paged", "pagination", "page", "itemsPath", "", "pageSize", 2),
            new TestContext());

    assertThat(api.requests())
        .containsExactly("/v1/customers?page=2&page_size=2", "/v1/customers?page=3&page_size=2");
    assertThat(second)
        .containsEntry("pages", 2)
        .containsEntry("records", 2L)
        .containsEntry("nextPage", 3);
    String grown = customer(3) + "\n" + customer(4) + "\n";
    assertThat(objectsUnder("landing/customers/rest/paged/"))
        .containsExactly(
            "landing/customers/rest/paged/page-000001-"
                + hash16(customer(1) + "\n" + customer(2) + "\n")
                + ".jsonl",
            "landing/customers/rest/paged/page-000002-" + hash16(customer(3) + "\n") + ".jsonl",
            "landing/customers/rest/paged/page-000002-" + hash16(grown) + ".jsonl");
  }

  @Test
  void failuresKeepWhatLandedAndTheCursorAfterIt() throws Exception {
    api.page("", page("c2", customer(1)));
    for (int i = 0; i < 3; i++) {
      api.failOnce("cursor=c2", 503, Map.of());
    }
    assertThatThrownBy(
            () -> handler.handleRequest(event("flaky", "retryAttempts", 3), new TestContext()))
        .isInstanceOf(ApiRequestFailed.class)
        .hasMessage(
            "GET " + api.url("/v1/customers?cursor=c2") + " failed 3 times, last status 503");
    assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(objectsUnder("landing/customers/rest/flaky/")).hasSize(1);
    assertThat(read("state/rest/flaky.json")).contains("\"cursor\" : \"c2\"");

    assertThatThrownBy(() -> handler("wrong").handleRequest(event("denied"), new TestContext()))
        .isInstanceOf(ApiRequestFailed.class)
        .hasMessage(
            "GET "
                + api.url("/v1/customers")
                + " answered 401: {\"error\":\"unauthorized\"} (not retried: "
                + "only 429 and 5xx are)");
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("state/rest/denied.json")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void aBadPayloadIsRefusedInOneLine() {
    assertThatThrownBy(
            () -> handler.handleRequest(event("x", "table", "invoices"), new TestContext()))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("unknown table 'invoices'; expected one of [customers, products, orders]");
    assertThatThrownBy(() -> handler.handleRequest(event("../x"), new TestContext()))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageStartingWith("source name must be 1-64 of a-z, 0-9");
    assertThatThrownBy(
            () -> handler.handleRequest(event("x", "pagination", "offset"), new TestContext()))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("pagination must be cursor or page, was 'offset'");
  }

  List<String> objectsUnder(String prefix) {
    return s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  String read(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8);
  }

  static String hash16(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }
}
