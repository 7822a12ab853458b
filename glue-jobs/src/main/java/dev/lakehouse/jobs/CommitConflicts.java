package dev.lakehouse.jobs;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole job again when one of its commits lost to a concurrent writer. Iceberg retries a commit whose
 * metadata moved on, but a MERGE that finds files it read rewritten meanwhile (a compaction, another writer) fails
 * validation: only planning again from the new snapshot can succeed. Every job is idempotent (bronze by object
 * identity, silver by watermark + MERGE, gold by date replacement), so running it again is safe.
 */
final class CommitConflicts {
  static final int MAX_ATTEMPTS = 8;
  private static final Logger LOG = LoggerFactory.getLogger(CommitConflicts.class);

  private CommitConflicts() {}

  static <T> T retrying(Supplier<T> job, String step) {
    return retrying(job, step, Thread::sleep);
  }

  /** A pause that may be interrupted (injectable so tests do not wait). */
  interface Pause {
    void millis(long millis) throws InterruptedException;
  }

  static <T> T retrying(Supplier<T> job, String step, Pause pause) {
    for (int attempt = 1; ; attempt++) {
      try {
        return job.get();
      } catch (RuntimeException e) {
        Throwable conflict = conflictIn(e);
        if (conflict == null || attempt == MAX_ATTEMPTS) {
          throw e;
        }
        // Exponential with full jitter, capped: two writers that collided do not collide again in lockstep.
        long backoff = ThreadLocalRandom.current().nextLong(100, Math.min(10_000L, 200L << attempt));
        LOG.warn("{}: commit conflict on attempt {} ({}); planning again in {} ms", step, attempt,
            conflict.getMessage(), backoff);
        try {
          pause.millis(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The Iceberg conflict anywhere in the cause chain (Spark wraps it), or null. */
  static Throwable conflictIn(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ValidationException || t instanceof CommitFailedException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
