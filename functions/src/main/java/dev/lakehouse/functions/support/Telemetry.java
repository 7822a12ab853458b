package dev.lakehouse.functions.support;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools v2 around one invocation, through its functional API (no AspectJ weaving needed):
 *
 * <ul>
 *   <li>logging: {@code PowertoolsLogging.withLogging} adds the Lambda context fields to every log
 *       line, and the pipeline execution id goes in as {@code correlation_id};
 *   <li>metrics: EMF through {@code MetricsFactory} (namespace {@code
 *       POWERTOOLS_METRICS_NAMESPACE}, dimension {@code Service} from {@code
 *       POWERTOOLS_SERVICE_NAME}, plus {@code Operation}), flushed after each invocation: Duration,
 *       Succeeded/Failures, and what the handler adds (rows, files, bytes); off when no namespace
 *       is set (in-process local runs) or {@code POWERTOOLS_METRICS_DISABLED=true};
 *   <li>tracing: an X-Ray subsegment with annotations when the Lambda runtime has a trace header
 *       and {@code POWERTOOLS_TRACING_DISABLED} is not true; otherwise nothing X-Ray is even
 *       loaded.
 * </ul>
 */
public final class Telemetry {
  private static final Logger LOG = LoggerFactory.getLogger("dev.lakehouse.functions");
  private static final AtomicBoolean COLD = new AtomicBoolean(true);
  private static volatile boolean lastColdStart = true;

  private Telemetry() {}

  /** The work of one invocation, given a recorder for metrics and trace annotations. */
  @FunctionalInterface
  public interface Body {
    Map<String, Object> run(Recorder recorder);
  }

  /** Metrics and annotations of one invocation. */
  public static final class Recorder {
    private final Metrics metrics;
    private final Map<String, String> annotations = new LinkedHashMap<>();

    private Recorder(Metrics metrics) {
      this.metrics = metrics;
    }

    public Recorder count(String name, double value) {
      return metric(name, value, MetricUnit.COUNT);
    }

    public Recorder bytes(String name, double value) {
      return metric(name, value, MetricUnit.BYTES);
    }

    public Recorder metric(String name, double value, MetricUnit unit) {
      if (metrics != null) {
        metrics.addMetric(name, value, unit);
      }
      return this;
    }

    /** An X-Ray annotation (searchable) and a log field. */
    public Recorder annotate(String key, Object value) {
      String v = String.valueOf(value);
      annotations.put(key, v);
      MDC.put(key, v);
      if (tracingEnabled()) {
        XRay.annotate(key, value);
      }
      return this;
    }
  }

  public static Map<String, Object> invoke(
      String function, String operation, Context context, String correlationId, Body body) {
    boolean cold = COLD.getAndSet(false);
    lastColdStart = cold;
    Supplier<Map<String, Object>> work =
        () -> run(function, operation, context, correlationId, cold, body);
    return context == null ? work.get() : PowertoolsLogging.withLogging(context, work);
  }

  private static Map<String, Object> run(
      String function,
      String operation,
      Context context,
      String correlationId,
      boolean cold,
      Body body) {
    Metrics metrics = metricsEnabled() ? MetricsFactory.getMetricsInstance() : null;
    Recorder recorder = new Recorder(metrics);
    if (correlationId != null) {
      MDC.put("correlation_id", correlationId);
    }
    MDC.put("operation", operation);
    if (metrics != null) {
      metrics.addDimension("Operation", operation);
      if (cold && context != null) {
        metrics.captureColdStartMetric(context);
      }
      if (correlationId != null) {
        metrics.addMetadata("correlation_id", correlationId);
      }
    }
    long start = System.nanoTime();
    try {
      Map<String, Object> out =
          tracingEnabled()
              ? XRay.inSubsegment(
                  "## " + function + "." + operation,
                  Map.of("Operation", operation, "CorrelationId", String.valueOf(correlationId)),
                  () -> body.run(recorder))
              : body.run(recorder);
      long ms = (System.nanoTime() - start) / 1_000_000;
      recorder.metric("Duration", ms, MetricUnit.MILLISECONDS).count("Succeeded", 1);
      LOG.info("{} {} succeeded in {} ms", function, operation, ms);
      return out;
    } catch (RuntimeException | Error e) {
      long ms = (System.nanoTime() - start) / 1_000_000;
      recorder.metric("Duration", ms, MetricUnit.MILLISECONDS).count("Failures", 1);
      MDC.put("error_type", e.getClass().getName());
      LOG.error(
          "{} {} failed after {} ms: {}: {}",
          function,
          operation,
          ms,
          e.getClass().getSimpleName(),
          e.getMessage());
      throw e;
    } finally {
      if (metrics != null) {
        try {
          metrics.flush();
        } catch (RuntimeException flushFailed) {
          LOG.warn("could not flush metrics: {}", flushFailed.toString());
        }
      }
      MDC.clear();
    }
  }

  static boolean isColdStart() {
    return lastColdStart;
  }

  static String service() {
    String s = System.getenv("POWERTOOLS_SERVICE_NAME");
    return s == null ? "lakehouse" : s;
  }

  static boolean metricsEnabled() {
    String ns = System.getenv("POWERTOOLS_METRICS_NAMESPACE");
    return ns != null
        && !ns.isBlank()
        && !"true".equalsIgnoreCase(System.getenv("POWERTOOLS_METRICS_DISABLED"));
  }

  /**
   * On in Lambda with active tracing (trace header present), unless {@code
   * POWERTOOLS_TRACING_DISABLED=true}.
   */
  static boolean tracingEnabled() {
    if ("true".equalsIgnoreCase(System.getenv("POWERTOOLS_TRACING_DISABLED"))) {
      return false;
    }
    return System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null
        && (System.getenv("_X_AMZN_TRACE_ID") != null
            || System.getProperty("com.amazonaws.xray.traceHeader") != null);
  }
}
