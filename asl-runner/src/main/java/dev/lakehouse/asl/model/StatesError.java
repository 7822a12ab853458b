package dev.lakehouse.asl.model;

/**
 * A named runtime error, as seen by Retry/Catch: {@code error} is what {@code ErrorEquals} matches
 * on. Unchecked because it travels through path evaluation, intrinsics and worker threads alike.
 */
public class StatesError extends RuntimeException {
  private final String error;
  private final String errorCause;

  public StatesError(String error, String cause) {
    super(error + (cause == null ? "" : ": " + cause), null, false, false);
    this.error = error;
    this.errorCause = cause;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return errorCause;
  }
}
