package dev.lakehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.junit.jupiter.api.Test;

class CommitConflictsTest {
  static final JobResult DONE =
      JobResult.succeeded("silver", "curated_orders", Instant.EPOCH)
          .withCounts(1, 1, 0)
          .withSnapshotId(7L);

  @Test
  void aConflictWrappedBySparkIsPlannedAgainUntilItCommits() {
    AtomicInteger attempts = new AtomicInteger();
    JobResult result =
        CommitConflicts.retrying(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException(
                    "Job aborted", new ValidationException("Found conflicting files: %s", "f1"));
              }
              return DONE;
            },
            "silver",
            millis -> {});

    assertThat(result).isSameAs(DONE);
    assertThat(attempts).hasValue(3);
  }

  @Test
  void otherFailuresAreNotRetriedAndConflictsStopAfterTheLastAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                CommitConflicts.retrying(
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalArgumentException("bad column");
                    },
                    "gold",
                    millis -> {}))
        .hasMessage("bad column");
    assertThat(attempts).hasValue(1);

    attempts.set(0);
    assertThatThrownBy(
            () ->
                CommitConflicts.retrying(
                    () -> {
                      attempts.incrementAndGet();
                      throw new CommitFailedException("metadata moved on");
                    },
                    "gold",
                    millis -> {}))
        .isInstanceOf(CommitFailedException.class);
    assertThat(attempts).hasValue(CommitConflicts.MAX_ATTEMPTS);
  }

  @Test
  void aJobThatLostTwiceWaitsForTheOthersAndRunsItsNextAttemptAlone() throws Exception {
    java.util.concurrent.CountDownLatch otherInside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch releaseOther = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean otherDone =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread other =
        new Thread(
            () ->
                CommitConflicts.retrying(
                    () -> {
                      otherInside.countDown();
                      try {
                        releaseOther.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      otherDone.set(true);
                      return DONE;
                    },
                    "silver customers",
                    millis -> {}));
    other.start();
    otherInside.await();

    AtomicInteger attempts = new AtomicInteger();
    java.util.List<Boolean> otherDoneAtAttempt = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread loser =
        new Thread(
            () ->
                CommitConflicts.retrying(
                    () -> {
                      otherDoneAtAttempt.add(otherDone.get());
                      if (attempts.incrementAndGet() <= CommitConflicts.OPTIMISTIC_ATTEMPTS) {
                        throw new ValidationException("Found conflicting files: %s", "f1");
                      }
                      return DONE;
                    },
                    "silver orders",
                    millis -> {}));
    loser.start();
    while (!CommitConflicts.aJobWaitsForItsTurn()) {
      Thread.sleep(10);
    }

    assertThat(attempts)
        .as("optimistic attempts ran alongside the other job")
        .hasValue(CommitConflicts.OPTIMISTIC_ATTEMPTS);
    releaseOther.countDown();
    loser.join(10_000);
    other.join(10_000);
    assertThat(otherDoneAtAttempt).containsExactly(false, false, true);
  }
}
