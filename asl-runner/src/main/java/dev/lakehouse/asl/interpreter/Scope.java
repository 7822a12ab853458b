package dev.lakehouse.asl.interpreter;

/**
 * Where a state runs (top level, a Map iteration, a Parallel branch) and whether that place has
 * been cancelled because a sibling iteration/branch failed. Cancellation is inherited by nested
 * scopes.
 */
final class Scope {
  static final Scope ROOT = new Scope("", null);

  private final String path;
  private final Scope parent;
  private volatile boolean cancelled;

  private Scope(String path, Scope parent) {
    this.path = path;
    this.parent = parent;
  }

  /** A cancellable group (one Map or Parallel run) whose children are iterations/branches. */
  Scope group() {
    return new Scope(path, this);
  }

  Scope child(String name) {
    return new Scope(path.isEmpty() ? name : path + "/" + name, this);
  }

  String path() {
    return path;
  }

  boolean isTopLevel() {
    return parent == null;
  }

  void cancel() {
    cancelled = true;
  }

  boolean isCancelled() {
    return cancelled || (parent != null && parent.isCancelled());
  }

  /**
   * Thrown inside a scope that was cancelled; it unwinds the branch without being caught by Catch.
   */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }
}
