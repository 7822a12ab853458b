package dev.lakehouse.asl;

/** A task failure with an error name that Retry/Catch {@code ErrorEquals} match on. */
public class TaskFailedException extends Exception {
  private final String error;
  private final String errorCause;

  public TaskFailedException(String error, String cause) {
    super(error + (cause == null ? "" : ": " + cause));
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
