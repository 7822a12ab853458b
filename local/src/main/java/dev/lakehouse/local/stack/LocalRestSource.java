package dev.lakehouse.local.stack;

import dev.lakehouse.core.resources.LakehouseFunction;
import dev.lakehouse.core.sources.rest.RestApiClient;
import dev.lakehouse.functions.RestSourceHandler;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What an EventBridge Scheduler schedule does on AWS for a REST source: invoke the RestSource
 * function with the source's payload. Here the same handler runs in-process against the home's
 * landing bucket; its answer names the objects it landed, which {@link LocalStack#ingest} then
 * takes through the pipeline as S3's events would.
 */
public final class LocalRestSource {
  private final LocalStack stack;
  private final RestSourceHandler handler;

  public LocalRestSource(LocalStack stack, Supplier<Optional<String>> token) {
    this.stack = stack;
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.handler =
        new RestSourceHandler(
            stack.s3(),
            LocalResources.LANDING_BUCKET,
            token,
            http,
            RestApiClient.Sleeper.REAL,
            Clock.systemUTC());
  }

  /** One run of the source: the handler's answer ({@code RestPull.Result#toMap}). */
  public Map<String, Object> run(Map<String, Object> payload) {
    return handler.handleRequest(
        payload,
        new LocalLambdaContext(LocalResources.functionName(LakehouseFunction.REST_SOURCE), null));
  }

  /** The objects a run's answer says it landed, as the stack's uploads are described. */
  @SuppressWarnings("unchecked")
  public List<LocalStack.Landed> landed(Map<String, Object> answer) {
    return ((List<Map<String, Object>>) answer.get("objects"))
        .stream()
            .map(
                o ->
                    new LocalStack.Landed(
                        LocalResources.LANDING_BUCKET,
                        (String) o.get("key"),
                        (String) o.get("etag")))
            .toList();
  }

  public LocalStack stack() {
    return stack;
  }
}
