package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import dev.lakehouse.core.admin.Arguments;
import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.ingest.IngestRouter;
import dev.lakehouse.core.ingest.RouteDecision;
import dev.lakehouse.core.ingest.batch.IngestBatches;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.functions.support.Args;
import dev.lakehouse.functions.support.Clients;
import dev.lakehouse.functions.support.SqsIngestQueue;
import dev.lakehouse.functions.support.StepFunctionsExecutions;
import dev.lakehouse.functions.support.Telemetry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Routes landed objects, one or a batch at a time.
 *
 * <ul>
 *   <li>{@code {"operation": "claim", "stateMachineArn", "executionArn", "executionName",
 *       "startTime", "afterWait"}}: the ingest state machine's first step; answers {@link
 *       IngestBatches.Claim#toMap()}.
 *   <li>{@code {"operation": "ack", "manifest": "s3://…"}}: its last; deletes the batch's queue
 *       messages.
 *   <li>an EventBridge S3 "Object Created" event, or {@code {bucket, key}}: routes that one object
 *       and answers {@link RouteDecision#toMap()}. Errors (already moved to the rejected prefix):
 *       {@code dev.lakehouse.core.ingest.UnknownTable}, {@code EmptyObject}, {@code
 *       UnsupportedFormat}, {@code ObjectTooLarge}, {@code InvalidObjectKey}; {@code
 *       ObjectNotFound} when the object is gone.
 * </ul>
 */
public final class IngestRouterHandler extends SnapStartHandler {
  private final Supplier<IngestRouter> router;
  private final Supplier<IngestBatches> batches;

  /** Lambda entry: clients and settings from the environment, built on first use. */
  public IngestRouterHandler() {
    Supplier<IngestRouter> fromEnvironment =
        Clients.Lazy.of(
            () ->
                new IngestRouter(
                    Clients.s3().get(),
                    Clients.Lazy.of(() -> new RunLog(Clients.catalog().get())),
                    IngestRouter.Settings.fromEnvironment(System.getenv())));
    this.router = fromEnvironment;
    this.batches =
        Clients.Lazy.of(
            () -> {
              Map<String, String> env = System.getenv();
              String queueUrl = env.get(BatchSettings.ENV_QUEUE_URL);
              String landing = env.get("LANDING_BUCKET");
              if (queueUrl == null || landing == null) {
                throw new IllegalStateException(
                    "batches need " + BatchSettings.ENV_QUEUE_URL + " and LANDING_BUCKET");
              }
              return new IngestBatches(
                  new SqsIngestQueue(Clients.sqs(), queueUrl),
                  new StepFunctionsExecutions(Clients.sfn()),
                  fromEnvironment.get(),
                  Clients.s3().get(),
                  landing,
                  BatchSettings.fromEnvironment(env),
                  Clock.systemUTC());
            });
    registerForSnapStart();
  }

  /** Routes single objects only: a claim or ack is refused (no ingest queue). */
  public IngestRouterHandler(IngestRouter router) {
    this.router = () -> router;
    this.batches =
        () -> {
          throw new InvalidArgument(
              "this router has no ingest queue: it routes single objects only");
        };
  }

  public IngestRouterHandler(IngestRouter router, IngestBatches batches) {
    this.router = () -> router;
    this.batches = () -> batches;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Args args = new Args(event);
    String operation = args.string("operation");
    if (operation != null) {
      return Telemetry.invoke(
          "IngestRouter",
          operation,
          context,
          correlationId(event, context),
          rec ->
              switch (operation) {
                case "claim" -> {
                  IngestBatches.Claim claim =
                      batches
                          .get()
                          .claim(
                              new IngestBatches.ClaimRequest(
                                  args.requireString("stateMachineArn"),
                                  args.requireString("executionArn"),
                                  args.requireString("executionName"),
                                  Arguments.parseInstant(
                                      args.requireString("startTime"), "startTime"),
                                  args.bool("afterWait", false)));
                  rec.annotate("Claim", claim.status());
                  rec.count("ObjectsAccepted", claim.accepted())
                      .count("ObjectsSkipped", claim.skipped())
                      .count("ObjectsRejected", claim.rejected());
                  yield claim.toMap();
                }
                case "claimMore" -> {
                  Integer pass = args.intValue("pass");
                  if (pass == null || pass < 1) {
                    throw new InvalidArgument(
                        "'pass' must be the number of the pass bronze just loaded (1 or more), was "
                            + pass);
                  }
                  IngestBatches.Claim claim =
                      batches.get().claimMore(args.requireString("manifest"), pass);
                  rec.annotate("Claim", claim.status());
                  rec.count("ObjectsAccepted", claim.accepted())
                      .count("ObjectsSkipped", claim.skipped())
                      .count("ObjectsRejected", claim.rejected());
                  yield claim.toMap();
                }
                case "ack" -> {
                  Map<String, Object> out = new LinkedHashMap<>();
                  out.put("deleted", batches.get().ack(args.requireString("manifest")));
                  yield out;
                }
                default ->
                    throw new InvalidArgument(
                        "unknown operation '" + operation + "': expected claim, claimMore or ack");
              });
    }
    return Telemetry.invoke(
        "IngestRouter",
        "route",
        context,
        correlationId(event, context),
        rec -> {
          String bucket;
          String key;
          boolean fromEvent;
          if (args.has("detail") && args.child("detail").has("object")) {
            String type = args.string("detail-type");
            if (type != null && !type.equals("Object Created")) {
              throw new InvalidArgument(
                  "the router handles 'Object Created' events, not '" + type + "'");
            }
            Args detail = args.child("detail");
            bucket = detail.child("bucket").string("name");
            key = detail.child("object").string("key");
            fromEvent = true;
          } else {
            bucket = args.string("bucket");
            key = args.string("key");
            fromEvent = false;
          }
          if (bucket == null || key == null) {
            throw new InvalidArgument(
                "expected an EventBridge S3 'Object Created' event or {\"bucket\": ..., \"key\": ...}");
          }
          rec.annotate("Bucket", bucket);
          RouteDecision decision = router.get().route(bucket, key, fromEvent);
          rec.annotate("Table", decision.table())
              .annotate("AlreadyIngested", decision.alreadyIngested());
          rec.bytes("ObjectBytes", decision.size())
              .count(decision.alreadyIngested() ? "AlreadyIngested" : "Routed", 1);
          return decision.toMap();
        });
  }
}
