package dev.lakehouse.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@link TaskHandler} receives.
 *
 * @param resource the Task's Resource ARN, after placeholder substitution
 * @param parameters the effective parameters (state input after InputPath and Parameters)
 * @param stateName the Task state's name
 * @param context the context object ({@code $$}) as the state sees it
 * @param executionId the execution ARN
 */
public record TaskInvocation(
    String resource, JsonNode parameters, String stateName, JsonNode context, String executionId) {

  /** {@code $$.State.RetryCount}: 0 on the first attempt. */
  public int retryCount() {
    return context.path("State").path("RetryCount").asInt(0);
  }
}
