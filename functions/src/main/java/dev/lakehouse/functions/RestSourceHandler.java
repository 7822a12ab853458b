package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import dev.lakehouse.core.sources.rest.RestApiClient;
import dev.lakehouse.core.sources.rest.RestPull;
import dev.lakehouse.core.sources.rest.RestSource;
import dev.lakehouse.functions.support.Args;
import dev.lakehouse.functions.support.Clients;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Pulls pages of an HTTP JSON API into the landing bucket (see {@link RestPull}); the file pipeline
 * takes it from there. Input (an EventBridge Scheduler payload, or the CLI's): {@code source},
 * {@code url}, {@code table}, optional {@code pagination} (cursor | page), {@code itemsPath},
 * {@code cursorParam}, {@code nextCursorPath}, {@code pageParam}, {@code firstPage}, {@code
 * pageSizeParam}, {@code pageSize}, {@code maxPages}, {@code retryAttempts}. Output: {@link
 * RestPull.Result#toMap()}. The API token comes from the Secrets Manager secret named by {@code
 * API_TOKEN_SECRET_ARN} (its string, or its JSON's {@code token} field), never from the payload.
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

  /**
   * Lambda entry: S3, the bucket and the token's secret from the environment, built on first use.
   */
  public RestSourceHandler() {
    this.s3 = Clients.s3();
    this.bucket =
        () ->
            Optional.ofNullable(System.getenv(LANDING_BUCKET_ENV))
                .filter(b -> !b.isBlank())
                .orElseThrow(() -> new IllegalStateException(LANDING_BUCKET_ENV + " is not set"));
    this.token = Clients.secret(System.getenv(TOKEN_SECRET_ENV), "token");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.sleeper = RestApiClient.Sleeper.REAL;
    this.clock = Clock.systemUTC();
    registerForSnapStart();
  }

  /** For the local stack and tests: given clients, token and waits. */
  public RestSourceHandler(
      S3Client s3,
      String bucket,
      Supplier<Optional<String>> token,
      HttpClient http,
      RestApiClient.Sleeper sleeper,
      Clock clock) {
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
    return dev.lakehouse.functions.support.Telemetry.invoke(
        "RestSource",
        "pull",
        context,
        correlationId(event, context),
        rec -> {
          RestSource source = RestSource.fromPayload(a.raw());
          rec.annotate("Source", source.name()).annotate("Table", source.table().label());
          // The token is read once per run: a rotated secret is picked up by the next run.
          Optional<String> apiToken = token.get();
          RestApiClient api = new RestApiClient(http, () -> apiToken, sleeper, clock);
          RestPull.Result result = new RestPull(s3.get(), bucket.get(), api, clock).run(source);
          rec.count("PagesFetched", result.pages())
              .count("RecordsLanded", result.records())
              .count("ObjectsLanded", result.landed().size());
          return result.toMap();
        });
  }
}
