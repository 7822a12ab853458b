package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.lakehouse.functions.support.Priming;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Common shape of the handlers: JSON map in, JSON map out, and SnapStart hooks. The no-arg
 * constructors (the ones Lambda calls) register with CRaC so {@link #beforeCheckpoint} primes class
 * loading before the snapshot.
 */
abstract class SnapStartHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>>, Resource {

  /** Called by the no-arg constructors only: tests and the local runner never take snapshots. */
  protected final void registerForSnapStart() {
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    Priming.prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Clients are built lazily on the first invocation after restore: nothing to refresh.
  }

  /** Execution id of the state machine if the payload carries one, else the event id. */
  static String correlationId(
      Map<String, Object> event, com.amazonaws.services.lambda.runtime.Context context) {
    if (event != null) {
      for (String key : new String[] {"executionId", "ExecutionId", "id", "RequestId"}) {
        Object v = event.get(key);
        if (v != null && !v.toString().isBlank()) {
          return v.toString();
        }
      }
    }
    return context == null ? null : context.getAwsRequestId();
  }
}
