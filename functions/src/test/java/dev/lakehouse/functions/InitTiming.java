package dev.lakehouse.functions;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Measures one handler's cold start in a fresh JVM: time from JVM start to main, the no-arg
 * constructor (what Lambda's init phase runs), the first invocation (lazy clients built, catalog
 * opened) and a second one (warm). Run against the shaded jar, see docs/functions.md: {@code java
 * -cp functions/target/lakehouse-functions.jar:functions/target/test-classes
 * dev.lakehouse.functions.InitTiming TableAdmin} with LAKEHOUSE_CATALOG=jdbc, LAKEHOUSE_CATALOG_URI
 * and LAKEHOUSE_WAREHOUSE set to a provisioned local catalog.
 */
public final class InitTiming {
  private InitTiming() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    long jvmToMain =
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    String which = args.length == 0 ? "TableAdmin" : args[0];
    SnapStartHandler handler =
        switch (which) {
          case "TableAdmin", "Provision" -> new TableAdminHandler();
          case "Maintenance" -> new MaintenanceHandler();
          case "RunRecorder" -> new RunRecorderHandler();
          case "IngestRouter" -> new IngestRouterHandler();
          default -> throw new IllegalArgumentException(which);
        };
    long constructed = System.nanoTime();
    Map<String, Object> event =
        switch (which) {
          case "Provision" -> Map.of("operation", "createTables");
          case "TableAdmin" -> Map.of("operation", "describe", "table", "pipeline_runs");
          case "Maintenance" ->
              Map.of("operation", "expireSnapshots", "table", "pipeline_runs", "dryRun", true);
          case "RunRecorder" -> Map.of("executionId", "timing", "step", "timing");
          default -> Map.of("bucket", "none", "key", "landing/orders/x.jsonl");
        };
    invoke(handler, event);
    long first = System.nanoTime();
    invoke(handler, event);
    long second = System.nanoTime();
    System.err.printf(
        "RESULT %s jvmToMain=%d ms construct=%d ms firstInvoke=%d ms secondInvoke=%d ms%n",
        which,
        jvmToMain,
        (constructed - t0) / 1_000_000,
        (first - constructed) / 1_000_000,
        (second - first) / 1_000_000);
    System.exit(0);
  }

  private static void invoke(SnapStartHandler handler, Map<String, Object> event) {
    try {
      handler.handleRequest(event, new TestContext());
    } catch (RuntimeException expected) {
      // The router has no S3 here: its first call still builds the client and fails on the network,
      // which is the
      // cold path we want to time.
    }
  }
}
