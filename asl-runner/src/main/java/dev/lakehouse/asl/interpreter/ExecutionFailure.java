package dev.lakehouse.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.ExecutionStatus;

/**
 * How a run ended when it did not succeed. {@code stateName}/{@code stateInput} identify the
 * top-level state that was running, which is where a redrive restarts.
 */
public final class ExecutionFailure extends RuntimeException {
  private final ExecutionStatus status;
  private final String error;
  private final String errorCause;
  private final String stateName;
  private final JsonNode stateInput;

  ExecutionFailure(
      ExecutionStatus status, String error, String cause, String stateName, JsonNode stateInput) {
    super(
        status + " in state '" + stateName + "': " + error + (cause == null ? "" : ": " + cause),
        null,
        false,
        false);
    this.status = status;
    this.error = error;
    this.errorCause = cause;
    this.stateName = stateName;
    this.stateInput = stateInput;
  }

  public ExecutionStatus status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return errorCause;
  }

  public String stateName() {
    return stateName;
  }

  public JsonNode stateInput() {
    return stateInput;
  }
}
