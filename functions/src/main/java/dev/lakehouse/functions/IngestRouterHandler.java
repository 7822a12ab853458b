package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.ingest.IngestRouter;
import dev.lakehouse.core.ingest.RouteDecision;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.functions.support.Args;
import dev.lakehouse.functions.support.Clients;
import dev.lakehouse.functions.support.Telemetry;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Routes one landed object. Input: an EventBridge S3 "Object Created" event, or {@code {bucket, key}} (optionally
 * with {@code executionId}). Output: {@link RouteDecision#toMap()}. Errors (already moved to the rejected prefix):
 * {@code dev.lakehouse.core.ingest.UnknownTable}, {@code EmptyObject}, {@code UnsupportedFormat},
 * {@code ObjectTooLarge}, {@code InvalidObjectKey}; {@code ObjectNotFound} when the object is gone.
 */
public final class IngestRouterHandler extends SnapStartHandler {
  private final Supplier<IngestRouter> router;

  /** Lambda entry: clients and settings from the environment, built on first use. */
  public IngestRouterHandler() {
    this.router = Clients.Lazy.of(() -> new IngestRouter(Clients.s3().get(),
        Clients.Lazy.of(() -> new RunLog(Clients.catalog().get())),
        IngestRouter.Settings.fromEnvironment(System.getenv())));
    registerForSnapStart();
  }

  public IngestRouterHandler(IngestRouter router) {
    this.router = () -> router;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    return Telemetry.invoke("IngestRouter", "route", context, correlationId(event, context), rec -> {
      Args args = new Args(event);
      String bucket;
      String key;
      boolean fromEvent;
      if (args.has("detail") && args.child("detail").has("object")) {
        String type = args.string("detail-type");
        if (type != null && !type.equals("Object Created")) {
          throw new InvalidArgument("the router handles 'Object Created' events, not '" + type + "'");
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
        throw new InvalidArgument("expected an EventBridge S3 'Object Created' event or {\"bucket\": ..., \"key\": ...}");
      }
      rec.annotate("Bucket", bucket);
      RouteDecision decision = router.get().route(bucket, key, fromEvent);
      rec.annotate("Table", decision.table()).annotate("AlreadyIngested", decision.alreadyIngested());
      rec.bytes("ObjectBytes", decision.size()).count(decision.alreadyIngested() ? "AlreadyIngested" : "Routed", 1);
      return decision.toMap();
    });
  }
}
