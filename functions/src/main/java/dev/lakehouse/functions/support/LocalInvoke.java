package dev.lakehouse.functions.support;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Invokes a handler of this jar the way the Lambda runtime does (its no-argument constructor, so
 * clients come from the environment exactly as deployed) with one JSON event, outside Lambda:
 * {@code java -cp lakehouse-functions.jar dev.lakehouse.functions.support.LocalInvoke
 * dev.lakehouse.functions.IngestRouterHandler '{"bucket": ...}'}.
 *
 * <p>The last line of stdout is the answer: {@code {"result": {...}}}, or {@code {"errorType": ...,
 * "errorMessage": ...}} with exit code 1 — the names Step Functions sees as {@code Error} and
 * {@code Cause}.
 */
public final class LocalInvoke {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalInvoke() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LocalInvoke HANDLER_CLASS EVENT_JSON");
      System.exit(2);
    }
    PrintStream out = System.out;
    Map<String, Object> answer = new LinkedHashMap<>();
    int exit = 0;
    try {
      @SuppressWarnings("unchecked")
      RequestHandler<Map<String, Object>, Map<String, Object>> handler =
          (RequestHandler<Map<String, Object>, Map<String, Object>>)
              Class.forName(args[0]).getDeclaredConstructor().newInstance();
      Map<String, Object> event = JSON.readValue(args[1], new TypeReference<>() {});
      answer.put("result", handler.handleRequest(event, new InvokeContext(args[0])));
    } catch (Exception e) {
      Throwable error =
          e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e;
      answer.put("errorType", error.getClass().getName());
      answer.put("errorMessage", String.valueOf(error.getMessage()));
      error.printStackTrace(); // stderr: the trace for a person, stdout keeps the one-line answer
      exit = 1;
    }
    out.println(JSON.writeValueAsString(answer));
    out.flush();
    System.exit(exit);
  }

  /** A context for a handler invoked outside Lambda (the benchmark's init timing uses it too). */
  public static Context context(String handlerClass) {
    return new InvokeContext(handlerClass);
  }

  /** The values only feed log fields. */
  private record InvokeContext(String handler) implements Context {
    private static final String REQUEST_ID = UUID.randomUUID().toString();

    @Override
    public String getAwsRequestId() {
      return REQUEST_ID;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/local";
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return handler.substring(handler.lastIndexOf('.') + 1);
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:local:000000000000:function:" + getFunctionName();
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 900_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.println(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.println(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }
}
