package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.sources.rest.RestApiClient;
import dev.lakehouse.core.sources.rest.RestPull;
import dev.lakehouse.core.sources.rest.RestSource;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.functions.support.Args;
import dev.lakehouse.functions.support.Clients;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Pulls pages of an HTTP JSON API into the landing bucket (see {@link RestPull}); the file pipeline takes it from
 * there. Input (an EventBridge Scheduler payload, or the CLI's): {@code source}, {@code url}, {@code table}, optional
 * {@code pagination} (cursor | page), {@code itemsPath}, {@code cursorParam}, {@code nextCursorPath},
 * {@code pageParam}, {@code firstPage}, {@code pageSizeParam}, {@code pageSize}, {@code maxPages},
 * {@code retryAttempts}. Output: {@link RestPull.Result#toMap()}. The API token comes from the Secrets Manager secret
 * named by {@code API_TOKEN_SECRET_ARN} (its string, or its JSON's {@code token} field), never from the payload.
 * Errors: {@code dev.lakehouse.core.sources.rest.ApiRequestFailed}, {@code InvalidApiResponse};
 * {@code dev.lakehouse.core.admin.InvalidArgument} for a bad payload.
 */
public final class RestSourceHandler extends SnapStartHandler {
  public static final String TOKEN_SECRET_ENV = "API_TOKEN_SECRET_ARN";
  public static final String LANDING_BUCKET_ENV = "LANDING_BUCKET";

  private final Supplier<S3Client> s3;
  private final Supplier<String> bucket;
  private final Supplier<Optional<String>> token;
  private final HttpClient http;
  private final RestApiClient.Sleeper sleeper;
  private final Clock clock;

  /** Lambda entry: S3, the bucket and the token's secret from the environment, built on first use. */
  public RestSourceHandler() {
    this.s3 = Clients.s3();
    this.bucket = () -> Optional.ofNullable(System.getenv(LANDING_BUCKET_ENV)).filter(b -> !b.isBlank())
        .orElseThrow(() -> new IllegalStateException(LANDING_BUCKET_ENV + " is not set"));
    this.token = Clients.secret(System.getenv(TOKEN_SECRET_ENV), "token");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    this.sleeper = RestApiClient.Sleeper.REAL;
    this.clock = Clock.systemUTC();
    registerForSnapStart();
  }

  /** For the local stack and tests: given clients, token and waits. */
  public RestSourceHandler(S3Client s3, String bucket, Supplier<Optional<String>> token, HttpClient http,
      RestApiClient.Sleeper sleeper, Clock clock) {
    this.s3 = () -> s3;
    this.bucket = () -> bucket;
    this.token = token;
    this.http = http;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Args a = new Args(event);
    return dev.lakehouse.functions.support.Telemetry.invoke("RestSource", "pull", context,
        correlationId(event, context), rec -> {
          RestSource source = source(a);
          rec.annotate("Source", source.name()).annotate("Table", source.table().label());
          // The token is read once per run: a rotated secret is picked up by the next run.
          Optional<String> apiToken = token.get();
          RestApiClient api = new RestApiClient(http, () -> apiToken, sleeper, clock);
          RestPull.Result result = new RestPull(s3.get(), bucket.get(), api, clock).run(source);
          rec.count("PagesFetched", result.pages()).count("RecordsLanded", result.records())
              .count("ObjectsLanded", result.landed().size());
          return result.toMap();
        });
  }

  /** The payload as a source; every setting but source, url and table has the common default. */
  static RestSource source(Args a) {
    String table = a.requireString("table");
    SourceEntity entity = SourceEntity.find(table).orElseThrow(() -> new InvalidArgument("unknown table '" + table
        + "'; expected one of " + Arrays.stream(SourceEntity.values()).map(SourceEntity::label).toList()));
    Integer attempts = a.intValue("retryAttempts");
    return RestSource.builder(a.requireString("source"), a.requireString("url"), entity)
        .pagination(pagination(a.string("pagination")))
        .itemsPath(pointer(a, "itemsPath"))
        .cursorParam(a.string("cursorParam"))
        .nextCursorPath(pointer(a, "nextCursorPath"))
        .pageParam(a.string("pageParam"))
        .firstPage(a.intValue("firstPage"))
        .pageSizeParam(a.string("pageSizeParam"))
        .pageSize(a.intValue("pageSize"))
        .maxPages(a.intValue("maxPages"))
        .retry(attempts == null ? null : new RestSource.Retry(attempts, RestSource.Retry.DEFAULT.baseDelay(),
            RestSource.Retry.DEFAULT.maxDelay()))
        .build();
  }

  private static RestSource.Pagination pagination(String value) {
    if (value == null) {
      return null;
    }
    try {
      return RestSource.Pagination.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument("pagination must be cursor or page, was '" + value + "'");
    }
  }

  /** A JSON pointer, where "" (the body itself) is a value and not a missing argument. */
  private static String pointer(Args a, String name) {
    Object v = a.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidArgument("'" + name + "' must be a JSON pointer string, was " + v);
    }
    return s.trim();
  }
}
