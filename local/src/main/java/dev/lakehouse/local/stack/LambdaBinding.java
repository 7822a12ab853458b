package dev.lakehouse.local.stack;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.TaskFailedException;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.TaskInvocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code arn:aws:states:::lambda:invoke} → the handler class CDK deploys, called in-process with
 * the same payload. The answer is wrapped as the real integration does ({@code {"Payload": ...,
 * "StatusCode": 200}}); a thrown exception fails the task with the error name AWS Lambda reports
 * for Java, the exception's class name, and a cause shaped like Lambda's ({@code {"errorMessage",
 * "errorType"}}).
 */
final class LambdaBinding implements TaskHandler {
  static final String RESOURCE = "arn:aws:states:::lambda:invoke";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> functions;

  LambdaBinding(Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> functions) {
    this.functions = functions;
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation) throws TaskFailedException {
    String functionName =
        LocalResources.functionName(invocation.parameters().path("FunctionName").asText());
    RequestHandler<Map<String, Object>, Map<String, Object>> function = functions.get(functionName);
    if (function == null) {
      throw new TaskFailedException(
          "Lambda.ResourceNotFoundException", "Function not found: " + functionName);
    }
    Map<String, Object> payload =
        JSON.convertValue(
            invocation.parameters().path("Payload"),
            new TypeReference<LinkedHashMap<String, Object>>() {});
    Map<String, Object> answer;
    try {
      answer =
          function.handleRequest(
              payload == null ? new LinkedHashMap<>() : payload,
              new LocalLambdaContext(functionName, invocation.executionId()));
    } catch (RuntimeException e) {
      ObjectNode cause = JSON.createObjectNode();
      cause.put("errorMessage", e.getMessage());
      cause.put("errorType", e.getClass().getName());
      throw new TaskFailedException(e.getClass().getName(), cause.toString());
    }
    ObjectNode result = JSON.createObjectNode();
    result.put("ExecutedVersion", "$LATEST");
    result.set("Payload", JSON.valueToTree(answer));
    result.put("StatusCode", 200);
    return result;
  }
}
