package dev.lakehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.ingest.EmptyObject;
import dev.lakehouse.core.ingest.IngestRouter;
import dev.lakehouse.core.ingest.InvalidObjectKey;
import dev.lakehouse.core.ingest.ObjectNotFound;
import dev.lakehouse.core.ingest.ObjectTooLarge;
import dev.lakehouse.core.ingest.RouterException;
import dev.lakehouse.core.ingest.UnknownTable;
import dev.lakehouse.core.ingest.UnsupportedFormat;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Tag;

class IngestRouterHandlerTest {
  static final String BUCKET = "landing";
  static final String ORDERS_JSONL =
      "{\"order_id\":\"o-1\",\"customer_id\":\"c-1\",\"items\":[]}\n"
          + "{\"order_id\":\"o-2\",\"customer_id\":\"c-2\",\"items\":[]}\n";

  @TempDir static Path home;
  static S3Client s3;
  static RunLog runLog;
  static IngestRouterHandler handler;

  @BeforeAll
  static void setUp() {
    S3MockServer server = S3MockServer.get();
    server.bucket(BUCKET);
    s3 = server.client();
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision();
    runLog = new RunLog(catalog);
    handler =
        new IngestRouterHandler(
            new IngestRouter(s3, () -> runLog, IngestRouter.Settings.defaults()));
  }

  @Test
  void routesAnEventBridgeObjectCreatedEvent() {
    @SuppressWarnings("unchecked")
    Map<String, Object> event = EventLoader.loadEvent("events/s3-object-created.json", Map.class);
    String key = "landing/orders/2026/11/25/orders-0001.jsonl";
    put(key, ORDERS_JSONL.getBytes(StandardCharsets.UTF_8));

    Map<String, Object> out = handler.handleRequest(event, new TestContext());

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("entity", "orders");
    expected.put("table", "raw_orders");
    expected.put("silverTable", "curated_orders");
    expected.put("bucket", BUCKET);
    expected.put("key", key);
    expected.put("sourceFile", "s3://landing/" + key);
    expected.put("etag", md5(ORDERS_JSONL.getBytes(StandardCharsets.UTF_8)));
    expected.put("size", (long) ORDERS_JSONL.length());
    expected.put("format", "jsonl");
    expected.put("compression", "none");
    expected.put("alreadyIngested", false);
    assertThat(out).containsExactlyEntriesOf(expected);
  }

  @Test
  void decodesTheUrlEncodedKeyOfAnEvent() {
    @SuppressWarnings("unchecked")
    Map<String, Object> event =
        EventLoader.loadEvent("events/s3-object-created-encoded-key.json", Map.class);
    put(
        "landing/customers/2026/11/25/new customers (1).csv",
        "customer_id,email\nc-1,a@b.c\n".getBytes(StandardCharsets.UTF_8));

    Map<String, Object> out = handler.handleRequest(event, new TestContext());

    assertThat(out)
        .contains(
            entry("key", "landing/customers/2026/11/25/new customers (1).csv"),
            entry("table", "raw_customers"),
            entry("format", "csv"));
  }

  @Test
  void acceptsEveryFormatByExtensionAndContent() throws IOException {
    put(
        "landing/products/p1.json",
        " [ {\"product_id\":\"p-1\"} ]".getBytes(StandardCharsets.UTF_8));
    put(
        "landing/products/p2.ndjson",
        "{\"product_id\":\"p-1\"}\n".getBytes(StandardCharsets.UTF_8));
    put(
        "landing/products/p3.csv",
        "\uFEFF\"product_id\",\"price\"\np-1,9.99\n".getBytes(StandardCharsets.UTF_8));
    put("landing/orders/o1.jsonl.gz", gzip(ORDERS_JSONL));
    put(
        "landing/orders/o2.parquet",
        "PAR1\u0000\u0000fakefooterPAR1".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(route("landing/products/p1.json"))
        .contains(entry("format", "json"), entry("compression", "none"));
    assertThat(route("landing/products/p2.ndjson")).contains(entry("format", "ndjson"));
    assertThat(route("landing/products/p3.csv"))
        .contains(entry("format", "csv"), entry("table", "raw_products"));
    assertThat(route("landing/orders/o1.jsonl.gz"))
        .contains(entry("format", "jsonl"), entry("compression", "gzip"));
    assertThat(route("landing/orders/o2.parquet"))
        .contains(entry("format", "parquet"), entry("entity", "orders"));
  }

  @Test
  void answersAlreadyIngestedForTheSameKeyAndEtag() {
    String key = "landing/orders/again.jsonl";
    put(key, ORDERS_JSONL.getBytes(StandardCharsets.UTF_8));
    String etag = md5(ORDERS_JSONL.getBytes(StandardCharsets.UTF_8));
    runLog.record(
        PipelineRun.builder("exec-earlier", RunLog.STEP_BRONZE)
            .table("raw_orders")
            .source("s3://landing/" + key, etag)
            .counts(2, 2, 0)
            .build());
    assertThat(route(key))
        .as("bronze alone (the process died before silver): carry on")
        .contains(entry("alreadyIngested", false));

    runLog.record(
        PipelineRun.builder("exec-earlier", RunLog.STEP_PIPELINE)
            .table("raw_orders")
            .source("s3://landing/" + key, etag)
            .build());
    assertThat(route(key))
        .contains(entry("alreadyIngested", true), entry("ingestedBy", "exec-earlier"));

    put(key, (ORDERS_JSONL + ORDERS_JSONL).getBytes(StandardCharsets.UTF_8));
    assertThat(route(key))
        .as("new bytes, new ETag")
        .contains(entry("alreadyIngested", false))
        .doesNotContainKey("ingestedBy");
  }

  @Test
  void unknownPrefixIsRejectedAndMovedWithTheReason() {
    String key = "landing/invoices/2026/i.jsonl";
    put(key, ORDERS_JSONL.getBytes(StandardCharsets.UTF_8));

    RouterException e = expectRejection(key, UnknownTable.class);

    assertThat(e)
        .hasMessageContaining("no table takes objects under 'landing/invoices/'")
        .hasMessageContaining("landing/orders/");
    assertThat(e.errorName()).isEqualTo("dev.lakehouse.core.ingest.UnknownTable");
    assertMoved(key, "rejected/landing/invoices/2026/i.jsonl", "UnknownTable");
  }

  @Test
  void emptyObjectIsRejected() {
    put("landing/orders/empty.jsonl", new byte[0]);
    expectRejection("landing/orders/empty.jsonl", EmptyObject.class);
    assertMoved("landing/orders/empty.jsonl", "rejected/landing/orders/empty.jsonl", "EmptyObject");
  }

  @Test
  void unsupportedFormatsAreRejected() {
    put("landing/orders/notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
    put("landing/orders/orders.csv", "order_id\no-1\n".getBytes(StandardCharsets.UTF_8));
    put("landing/products/p.json", "{\"product_id\":\"p\"}".getBytes(StandardCharsets.UTF_8));
    put("landing/products/p.jsonl.gz", "not gzip".getBytes(StandardCharsets.UTF_8));
    put("landing/products/p.parquet.gz", "PAR1".getBytes(StandardCharsets.UTF_8));
    put("landing/customers/c.csv", "email,name\na@b.c,x\n".getBytes(StandardCharsets.UTF_8));
    put("landing/orders/fake.parquet", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(expectRejection("landing/orders/notes.txt", UnsupportedFormat.class))
        .hasMessageContaining("no supported extension");
    assertThat(expectRejection("landing/orders/orders.csv", UnsupportedFormat.class))
        .hasMessageContaining("cannot be CSV");
    assertThat(expectRejection("landing/products/p.json", UnsupportedFormat.class))
        .hasMessageContaining("not a JSON array");
    assertThat(expectRejection("landing/products/p.jsonl.gz", UnsupportedFormat.class))
        .hasMessageContaining("not gzip-compressed");
    assertThat(expectRejection("landing/products/p.parquet.gz", UnsupportedFormat.class))
        .hasMessageContaining("Parquet is compressed internally");
    assertThat(expectRejection("landing/customers/c.csv", UnsupportedFormat.class))
        .hasMessageContaining("naming customer_id");
    assertThat(expectRejection("landing/orders/fake.parquet", UnsupportedFormat.class))
        .hasMessageContaining("no PAR1 header");
    assertMoved(
        "landing/orders/orders.csv", "rejected/landing/orders/orders.csv", "UnsupportedFormat");
  }

  @Test
  void objectLargerThanTheMaximumIsRejected() {
    IngestRouterHandler small =
        new IngestRouterHandler(
            new IngestRouter(
                s3, () -> runLog, IngestRouter.Settings.defaults().withMaxObjectBytes(16)));
    put("landing/orders/big.jsonl", ORDERS_JSONL.getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () ->
                small.handleRequest(
                    Map.of("bucket", BUCKET, "key", "landing/orders/big.jsonl"), null))
        .isInstanceOf(ObjectTooLarge.class)
        .hasMessage(
            "'landing/orders/big.jsonl' is "
                + ORDERS_JSONL.length()
                + " bytes, more than the maximum of 16 bytes (MAX_OBJECT_BYTES); split it into smaller files");
    assertMoved("landing/orders/big.jsonl", "rejected/landing/orders/big.jsonl", "ObjectTooLarge");
  }

  @Test
  void pathTricksAreRejectedAndMovedUnderASafeName() {
    put("landing/orders/../orders/x.jsonl", ORDERS_JSONL.getBytes(StandardCharsets.UTF_8));
    put("landing/orders/a\u0007b.jsonl", ORDERS_JSONL.getBytes(StandardCharsets.UTF_8));

    assertThat(expectRejection("landing/orders/../orders/x.jsonl", InvalidObjectKey.class))
        .hasMessageContaining("contains a '..' path segment");
    assertMoved(
        "landing/orders/../orders/x.jsonl",
        "rejected/landing/orders/_/orders/x.jsonl",
        "InvalidObjectKey");
    assertThat(expectRejection("landing/orders/a\u0007b.jsonl", InvalidObjectKey.class))
        .hasMessageContaining("control character at position 16")
        .hasMessageContaining("a\\u0007b");
    assertMoved(
        "landing/orders/a\u0007b.jsonl", "rejected/landing/orders/a_b.jsonl", "InvalidObjectKey");
    assertThatThrownBy(() -> route("/landing/orders/x.jsonl"))
        .isInstanceOf(InvalidObjectKey.class)
        .hasMessageContaining("is absolute");
  }

  @Test
  void missingObjectAndBadPayloadsFailClearly() {
    assertThatThrownBy(() -> route("landing/orders/never-landed.jsonl"))
        .isInstanceOf(ObjectNotFound.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> handler.handleRequest(Map.of("hello", "world"), null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("expected an EventBridge S3 'Object Created' event");
  }

  // ------------------------------------------------------------------------------------------------------------

  private static Map<String, Object> route(String key) {
    return handler.handleRequest(
        Map.of("bucket", BUCKET, "key", key, "executionId", "exec-test"), new TestContext());
  }

  private static RouterException expectRejection(
      String key, Class<? extends RouterException> type) {
    try {
      route(key);
    } catch (RouterException e) {
      assertThat(e).isInstanceOf(type);
      assertThat(e.rejectedKey()).isNotNull();
      return e;
    }
    throw new AssertionError("expected " + type.getSimpleName() + " for " + key);
  }

  private static void assertMoved(String from, String to, String reason) {
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(from)))
        .isInstanceOf(NoSuchKeyException.class);
    HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(to));
    assertThat(head.metadata())
        .containsEntry("reject-reason", reason)
        .containsKey("reject-message")
        .containsEntry("original-key", from.replace('\u0007', '?'));
    assertThat(s3.getObjectTagging(b -> b.bucket(BUCKET).key(to)).tagSet())
        .extracting(Tag::key, Tag::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("reject-reason", reason));
  }

  private static void put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
