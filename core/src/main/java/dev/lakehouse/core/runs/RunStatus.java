package dev.lakehouse.core.runs;

/** Outcome of one pipeline step. */
public enum RunStatus {
  SUCCEEDED,
  FAILED,
  /** The step had nothing to do, e.g. the object was already ingested by an earlier execution. */
  SKIPPED
}
