package dev.lakehouse.functions.support;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.entities.Subsegment;
import java.util.Map;
import java.util.function.Supplier;

/**
 * X-Ray calls, in their own class so the SDK is only loaded when tracing is on (see {@link
 * Telemetry}).
 */
final class XRay {
  private XRay() {}

  static <T> T inSubsegment(String name, Map<String, String> annotations, Supplier<T> body) {
    Subsegment sub = AWSXRay.beginSubsegment(name);
    try {
      annotations.forEach(sub::putAnnotation);
      sub.putAnnotation("ColdStart", Telemetry.isColdStart());
      sub.putAnnotation("Service", Telemetry.service());
      return body.get();
    } catch (RuntimeException | Error e) {
      sub.addException(e);
      throw e;
    } finally {
      AWSXRay.endSubsegment();
    }
  }

  static void annotate(String key, Object value) {
    var entity = AWSXRay.getTraceEntity();
    if (entity == null) {
      return;
    }
    if (value instanceof Number n) {
      entity.putAnnotation(key, n);
    } else if (value instanceof Boolean b) {
      entity.putAnnotation(key, b);
    } else {
      entity.putAnnotation(key, String.valueOf(value));
    }
  }
}
