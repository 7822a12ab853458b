package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.support.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryCatchTest {
  private final ManualTime time = new ManualTime();
  private final List<Integer> retryCounts = Collections.synchronizedList(new ArrayList<>());

  /** A handler that throws the given errors in turn (null = succeed with {"ok":true}). */
  private TaskHandler failing(String... errors) {
    Iterator<String> it = List.of(errors).iterator();
    return inv -> {
      retryCounts.add(inv.retryCount());
      String error = it.hasNext() ? it.next() : null;
      if (error != null) {
        throw new TaskFailedException(error, "cause of " + error);
      }
      return Json.object().put("ok", true);
    };
  }

  private Execution run(String taskFields, TaskHandler handler) {
    // Catch targets are added only when referenced: unreachable states are a load-time error.
    StringBuilder states =
        new StringBuilder(
            "'T':{'Type':'Task','Resource':'arn:test:task'," + taskFields + "'End':true}");
    for (String target : List.of("Recovery", "Other")) {
      if (taskFields.contains("'" + target + "'")) {
        states.append(",'").append(target).append("':{'Type':'Pass','End':true}");
      }
    }
    StateMachine m = machine("{'StartAt':'T','States':{" + states + "}}");
    return Runner.builder()
        .clock(time)
        .sleeper(time)
        .random(new Random(7))
        .handler("arn:test:task", handler)
        .build()
        .start(m, "e", q("{'in':1}"));
  }

  private static final String CATCH_ALL =
      "'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.err','Next':'Recovery'}],";

  @Test
  void exponentialBackoffDelays() {
    Execution ex =
        run(
            "'Retry':[{'ErrorEquals':['E'],'IntervalSeconds':2,'BackoffRate':2.0,'MaxAttempts':3}],",
            failing("E", "E", "E", "E"));
    assertThat(time.sleeps())
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    assertThat(retryCounts).containsExactly(0, 1, 2, 3);
    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("E");
    assertThat(ex.cause()).isEqualTo("cause of E");
    assertThat(ex.history().stream().filter(e -> e.type() == EventType.RetryScheduled).count())
        .isEqualTo(3);
  }

  @Test
  void defaultsAreOneSecondThreeAttemptsRateTwo() {
    run("'Retry':[{'ErrorEquals':['E']}],", failing("E", "E", "E", "E"));
    assertThat(time.sleeps())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void maxDelaySecondsCapsBackoff() {
    run(
        "'Retry':[{'ErrorEquals':['E'],'IntervalSeconds':3,'BackoffRate':3,'MaxAttempts':4,'MaxDelaySeconds':10}],",
        failing("E", "E", "E", "E", "E"));
    assertThat(time.sleeps())
        .containsExactly(
            Duration.ofSeconds(3),
            Duration.ofSeconds(9),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
  }

  @Test
  void specExample_fractionalBackoffThenSuccess() {
    Execution ex =
        run(
            "'Retry':[{'ErrorEquals':['States.Timeout'],'IntervalSeconds':3,'MaxAttempts':2,'BackoffRate':1.5}],",
            failing("States.Timeout", "States.Timeout"));
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(3000), Duration.ofMillis(4500));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(ex.output(), "{'ok':true}");
  }

  @Test
  void maxAttemptsZeroNeverRetries() {
    Execution ex =
        run("'Retry':[{'ErrorEquals':['E'],'MaxAttempts':0}]," + CATCH_ALL, failing("E"));
    assertThat(time.sleeps()).isEmpty();
    assertJson(ex.output(), "{'in':1,'err':{'Error':'E','Cause':'cause of E'}}");
  }

  @Test
  void specExample_eachRetrierCountsItsOwnAttempts_thenCatch() {
    // ErrorA/ErrorB share the first retrier (2 attempts); ErrorC has its own (defaults: 3 attempts,
    // 5s x2).
    Execution ex =
        run(
            "'Retry':[{'ErrorEquals':['ErrorA','ErrorB'],'IntervalSeconds':1,'BackoffRate':2,'MaxAttempts':2},"
                + "{'ErrorEquals':['ErrorC'],'IntervalSeconds':5}],"
                + CATCH_ALL,
            failing("ErrorA", "ErrorC", "ErrorB", "ErrorC", "ErrorA"));
    assertThat(time.sleeps())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(ex.output(), "{'in':1,'err':{'Error':'ErrorA','Cause':'cause of ErrorA'}}");
  }

  @Test
  void fullJitterDrawsBelowTheBaseDelay() {
    run(
        "'Retry':[{'ErrorEquals':['E'],'IntervalSeconds':10,'MaxAttempts':2,'JitterStrategy':'FULL'}],",
        failing("E", "E"));
    Random expected = new Random(7);
    assertThat(time.sleeps())
        .containsExactly(
            Duration.ofMillis((long) (expected.nextDouble() * 10_000)),
            Duration.ofMillis((long) (expected.nextDouble() * 20_000)));
  }

  @Test
  void specExample_catchersInOrder() {
    String catchers =
        "'Catch':[{'ErrorEquals':['java.lang.Exception'],'ResultPath':'$.error-info','Next':'Recovery'},"
            + "{'ErrorEquals':['States.ALL'],'Next':'Other'}],";
    Execution first = run(catchers, failing("java.lang.Exception"));
    assertJson(
        first.output(),
        "{'in':1,'error-info':{'Error':'java.lang.Exception','Cause':'cause of java.lang.Exception'}}");
    assertThat(lastState(first)).isEqualTo("Recovery");

    Execution second = run(catchers, failing("Something.Else"));
    assertJson(second.output(), "{'Error':'Something.Else','Cause':'cause of Something.Else'}");
    assertThat(lastState(second)).isEqualTo("Other");
  }

  @Test
  void catchWithNullResultPathKeepsInput() {
    Execution ex =
        run("'Catch':[{'ErrorEquals':['E'],'ResultPath':null,'Next':'Recovery'}],", failing("E"));
    assertJson(ex.output(), "{'in':1}");
  }

  @Test
  void unexpectedExceptionIsNamedByItsSimpleClassName() {
    Execution ex =
        run(
            CATCH_ALL,
            inv -> {
              throw new IllegalStateException("bad state");
            });
    assertJson(ex.output(), "{'in':1,'err':{'Error':'IllegalStateException','Cause':'bad state'}}");
  }

  @Test
  void taskFailedMatchesTaskErrorsButNotTimeout() {
    String catchers =
        "'Catch':[{'ErrorEquals':['States.TaskFailed'],'Next':'Recovery'},{'ErrorEquals':['States.ALL'],'Next':'Other'}],";
    assertThat(lastState(run(catchers, failing("Custom.Error")))).isEqualTo("Recovery");
    assertThat(lastState(run(catchers, failing("States.Timeout")))).isEqualTo("Other");
  }

  @Test
  void statesAllDoesNotCatchStatesRuntime() {
    // An unregistered resource at run time is States.Runtime: terminal, even with a States.ALL
    // catcher.
    StateMachine m =
        machine(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:unbound',"
                + "'Retry':[{'ErrorEquals':['States.ALL']}],"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'R'}],'End':true},'R':{'Type':'Pass','End':true}}}");
    Execution ex = Runner.builder().clock(time).sleeper(time).build().start(m, "e", "{}");
    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("States.Runtime");
    assertThat(ex.cause()).isEqualTo("No task handler registered for resource 'arn:unbound'");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void taskTimeoutIsStatesTimeoutAndCanBeCaught() {
    CountDownLatch interrupted = new CountDownLatch(1);
    StateMachine m =
        machine(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:slow','TimeoutSeconds':1,"
                + "'Catch':[{'ErrorEquals':['States.Timeout'],'ResultPath':'$.err','Next':'R'}],'End':true},"
                + "'R':{'Type':'Pass','End':true}}}");
    Execution ex =
        Runner.builder()
            .handler(
                "arn:slow",
                inv -> {
                  try {
                    Thread.sleep(30_000);
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                  }
                  return null;
                })
            .build()
            .start(m, "e", q("{'a':1}"));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertJson(
        ex.output(),
        "{'a':1,'err':{'Error':'States.Timeout','Cause':'Task timed out after 1 seconds'}}");
    assertThat(ex.history())
        .extracting(HistoryEvent::type)
        .contains(EventType.TaskTimedOut, EventType.ErrorCaught);
    assertThat(awaitQuietly(interrupted))
        .as("the abandoned handler thread is interrupted")
        .isTrue();
  }

  @Test
  void timeoutSecondsPathIsReadFromInput() {
    StateMachine m =
        machine(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:slow',"
                + "'TimeoutSecondsPath':'$.timeout','End':true}}}");
    Execution ex =
        Runner.builder()
            .handler(
                "arn:slow",
                inv -> {
                  try {
                    Thread.sleep(30_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return null;
                })
            .build()
            .start(m, "e", q("{'timeout':1}"));
    assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(ex.error()).isEqualTo("States.Timeout");
  }

  @Test
  void retryHistoryRecordsAttemptAndDelay() {
    Execution ex = run("'Retry':[{'ErrorEquals':['E'],'IntervalSeconds':2}],", failing("E"));
    HistoryEvent retry =
        ex.history().stream()
            .filter(e -> e.type() == EventType.RetryScheduled)
            .findFirst()
            .orElseThrow();
    assertThat(retry.stateName()).isEqualTo("T");
    assertThat(retry.error()).isEqualTo("E");
    assertJson(retry.details(), "{'retrier':0,'attempt':1,'delayMillis':2000}");
    AtomicInteger tasks = new AtomicInteger();
    ex.history()
        .forEach(
            e -> {
              if (e.type() == EventType.TaskScheduled) {
                tasks.incrementAndGet();
              }
            });
    assertThat(tasks.get()).isEqualTo(2);
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      return false;
    }
  }

  static String lastState(Execution ex) {
    return ex.history().stream()
        .filter(e -> e.type() == EventType.StateEntered)
        .reduce((a, b) -> b)
        .map(HistoryEvent::stateName)
        .orElseThrow();
  }
}
