package dev.lakehouse.core.sources.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * GETs one page of a JSON API: the bearer token (when there is one) in the Authorization header,
 * retries on 429 and 5xx answers and on connection failures as {@link RestSource.Retry} says,
 * honouring Retry-After (seconds or an HTTP date). Any other 4xx fails at once: asking again would
 * be refused again.
 */
public final class RestApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Waits between attempts; tests pass one that records the waits. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  /** A 2xx answer's body and how many attempts it took. */
  public record Fetched(JsonNode body, int attempts) {}

  private final HttpClient http;
  private final Supplier<Optional<String>> token;
  private final Sleeper sleeper;
  private final Clock clock;

  public RestApiClient(
      HttpClient http, Supplier<Optional<String>> token, Sleeper sleeper, Clock clock) {
    this.http = http;
    this.token = token;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** A client with the JDK's HTTP client, real waits and the given token. */
  public static RestApiClient standard(Supplier<Optional<String>> token) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    return new RestApiClient(http, token, Sleeper.REAL, Clock.systemUTC());
  }

  public Fetched get(URI uri, RestSource.Retry retry) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json");
    token.get().ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpRequest built = request.build();
    int lastStatus = 0;
    Exception lastError = null;
    for (int attempt = 1; ; attempt++) {
      Duration wait;
      try {
        HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return new Fetched(parse(uri, response.body()), attempt);
        }
        lastStatus = status;
        lastError = null;
        if (status != 429 && status < 500) {
          throw new ApiRequestFailed(
              "GET "
                  + uri
                  + " answered "
                  + status
                  + snippet(response.body())
                  + " (not retried: only 429 and 5xx are)",
              status,
              null);
        }
        wait = retryAfter(response).orElse(retry.backoff(attempt));
      } catch (IOException e) {
        lastStatus = 0;
        lastError = e;
        wait = retry.backoff(attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiRequestFailed("GET " + uri + " interrupted", lastStatus, e);
      }
      if (attempt >= retry.attempts()) {
        String last = lastError != null ? "no answer (" + lastError + ")" : "status " + lastStatus;
        throw new ApiRequestFailed(
            "GET " + uri + " failed " + attempt + " times, last " + last, lastStatus, lastError);
      }
      Duration capped = wait.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : wait;
      try {
        sleeper.sleep(capped);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiRequestFailed(
            "GET " + uri + " interrupted while waiting to retry", lastStatus, e);
      }
    }
  }

  private static JsonNode parse(URI uri, byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new InvalidApiResponse("GET " + uri + " answered an empty body, not JSON", null);
      }
      return node;
    } catch (IOException e) {
      throw new InvalidApiResponse(
          "GET " + uri + " answered something that is not JSON" + snippet(body), e);
    }
  }

  /**
   * Retry-After as delta-seconds or an HTTP date (RFC 9110); absent or unreadable means "not said".
   */
  Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After").map(String::trim);
    if (header.isEmpty() || header.get().isEmpty()) {
      return Optional.empty();
    }
    String value = header.get();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text =
        new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8)
            .replaceAll("\\s+", " ")
            .strip();
    return text.isEmpty() ? "" : ": " + text;
  }
}
