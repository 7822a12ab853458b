package dev.lakehouse.jobs;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole job again when one of its commits lost to a concurrent writer. Iceberg retries a
 * commit whose metadata moved on, but a MERGE that finds files it read rewritten meanwhile (a
 * compaction, another writer) fails validation: only planning again from the new snapshot can
 * succeed. Every job is idempotent (bronze by object identity, silver by watermark + MERGE, gold by
 * date replacement), so running it again is safe.
 *
 * <p>Optimistic first, then taking turns: the first {@value #OPTIMISTIC_ATTEMPTS} attempts run
 * alongside the JVM's other jobs (a shared turn); a job that lost that often runs its next attempts
 * alone (an exclusive turn, fair, so it cannot be starved by a stream of optimistic writers).
 * Locally every job of an execution runs in one JVM, so under heavy contention writers degrade to a
 * queue instead of failing. Across JVMs (separate Glue runs) only the jittered retries apply, and
 * the Glue concurrency limit of each job keeps the writers of a table few.
 */
final class CommitConflicts {
  static final int MAX_ATTEMPTS = 8;
  static final int OPTIMISTIC_ATTEMPTS = 2;
  private static final Logger LOG = LoggerFactory.getLogger(CommitConflicts.class);
  private static final ReentrantReadWriteLock TURNS = new ReentrantReadWriteLock(true);

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
      Lock turn = attempt <= OPTIMISTIC_ATTEMPTS ? TURNS.readLock() : TURNS.writeLock();
      turn.lock();
      try {
        return job.get();
      } catch (RuntimeException e) {
        Throwable conflict = conflictIn(e);
        if (conflict == null || attempt == MAX_ATTEMPTS) {
          throw e;
        }
        // Exponential with full jitter, capped: two writers that collided do not collide again in
        // lockstep.
        long backoff =
            ThreadLocalRandom.current().nextLong(100, Math.min(10_000L, 200L << attempt));
        LOG.warn(
            "{}: commit conflict on attempt {} ({}); planning again in {} ms{}",
            step,
            attempt,
            conflict.getMessage(),
            backoff,
            attempt >= OPTIMISTIC_ATTEMPTS ? ", alone" : "");
        turn.unlock();
        turn = null;
        try {
          pause.millis(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      } finally {
        if (turn != null) {
          turn.unlock();
        }
      }
    }
  }

  /** Whether a job waits for its turn now (tests). */
  static boolean aJobWaitsForItsTurn() {
    return TURNS.hasQueuedThreads();
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
