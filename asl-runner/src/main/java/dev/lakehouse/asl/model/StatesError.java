package dev.lakehouse.asl.model;

/**
 * A named runtime error, as seen by Retry/Catch: {@code error} is what {@code ErrorEquals} matches on.
 * Unchecked because it travels through path evaluation, intrinsics and worker threads alike.
 */
public class StatesError extends RuntimeException {
  private final String error;
  private final String errorCause;
  private final boolean fromBranch;

  public StatesError(String error, String cause) {
    this(error, cause, false);
  }

  public StatesError(String error, String cause, boolean fromBranch) {
    super(error + (cause == null ? "" : ": " + cause), null, false, false);
    this.error = error;
    this.errorCause = cause;
    this.fromBranch = fromBranch;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return errorCause;
  }

  /** True when the error escaped a Parallel branch or Map iteration, so {@code States.BranchFailed} matches it. */
  public boolean fromBranch() {
    return fromBranch;
  }

  public StatesError asBranchFailure() {
    return fromBranch ? this : new StatesError(error, errorCause, true);
  }
}
