package dev.lakehouse.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.resources.LakehouseFunction;
import dev.lakehouse.functions.support.LocalInvoke;
import java.util.Map;

/**
 * One function's cold start, in a JVM whose class path is the unpacked Lambda package (task root
 * and {@code lib/*}) with only this class added: what Lambda's Java runtime does, in order: load
 * the handler class, run its no-argument constructor (the end of the init phase), then answer one
 * event (the first invocation) and the same event again (warm). Prints the wall-clock instants
 * (epoch ms) of main, constructed, answered and answered again on one line; the harness subtracts
 * the instant it started the JVM.
 *
 * <p>{@code LambdaInitChild FUNCTION EVENT_JSON}, FUNCTION a {@link LakehouseFunction} name.
 */
public final class LambdaInitChild {
  static final String MARK = "LAMBDA_INIT ";

  private LambdaInitChild() {}

  /** The handler's answer, or the error Step Functions would see (the harness judges it). */
  private static Map<String, Object> invoke(
      RequestHandler<Map<String, Object>, Map<String, Object>> handler,
      Map<String, Object> event,
      String handlerClass) {
    try {
      return Map.of("result", handler.handleRequest(event, LocalInvoke.context(handlerClass)));
    } catch (RuntimeException e) {
      e.printStackTrace();
      return Map.of(
          "errorType", e.getClass().getName(), "errorMessage", String.valueOf(e.getMessage()));
    }
  }

  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    LakehouseFunction function = LakehouseFunction.valueOf(args[0]);
    String handlerClass = LakehouseFunction.HANDLER_PACKAGE + function.handlerClass();
    @SuppressWarnings("unchecked")
    RequestHandler<Map<String, Object>, Map<String, Object>> handler =
        (RequestHandler<Map<String, Object>, Map<String, Object>>)
            Class.forName(handlerClass).getDeclaredConstructor().newInstance();
    long constructed = System.currentTimeMillis();
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> event = json.readValue(args[1], new TypeReference<>() {});
    Map<String, Object> answer = invoke(handler, event, handlerClass);
    long answered = System.currentTimeMillis();
    invoke(handler, event, handlerClass);
    long warm = System.currentTimeMillis();
    System.out.println(
        MARK
            + main
            + " "
            + constructed
            + " "
            + answered
            + " "
            + warm
            + " "
            + json.writeValueAsString(answer));
    System.out.flush();
    // Powertools and the SDK leave non-daemon threads: leave as the runtime would freeze.
    System.exit(0);
  }
}
