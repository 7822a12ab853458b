package dev.lakehouse.asl;

import static dev.lakehouse.asl.support.TestSupport.assertJson;
import static dev.lakehouse.asl.support.TestSupport.machine;
import static dev.lakehouse.asl.support.TestSupport.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.asl.support.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WaitAndTimeoutTest {
  private final ManualTime time = new ManualTime(Instant.parse("2016-03-14T01:00:00Z"));
  private final Runner runner = Runner.builder().clock(time).sleeper(time).build();

  private Execution waitWith(String field, String input) {
    return runner.start(
        machine(
            "{'StartAt':'W','States':{'W':{'Type':'Wait',"
                + field
                + ",'Next':'Done'},"
                + "'Done':{'Type':'Succeed'}}}"),
        null,
        q(input));
  }

  @Test
  void waitVariantsSleepExactlyOnTheInjectedClock() {
    assertJson(waitWith("'Seconds':10", "{'a':1}").output(), "{'a':1}");
    waitWith("'Timestamp':'2016-03-14T01:59:00Z'", "{}");
    waitWith("'SecondsPath':'$.delay'", "{'delay':7}");
    waitWith("'TimestampPath':'$.until'", "{'until':'2016-03-14T02:00:17Z'}");
    assertThat(time.sleeps())
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(3530),
            Duration.ofSeconds(7),
            Duration.ofSeconds(70));
    assertThat(time.instant()).isEqualTo(Instant.parse("2016-03-14T02:00:17Z"));
  }

  @Test
  void timestampInThePastDoesNotWait() {
    Execution ex = waitWith("'Timestamp':'2000-01-01T00:00:00Z'", "{}");
    assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void badSecondsPathIsRuntimeError() {
    Execution ex = waitWith("'SecondsPath':'$.delay'", "{'delay':'soon'}");
    assertThat(ex.error()).isEqualTo("States.Runtime");
    assertThat(ex.cause())
        .isEqualTo("SecondsPath '$.delay' must select a non-negative integer, got \"soon\"");
  }

  @Test
  void executionTimeoutSecondsEndsTheExecutionTimedOut() {
    StateMachine m =
        machine(
            "{'TimeoutSeconds':60,'StartAt':'W','States':{"
                + "'W':{'Type':'Wait','Seconds':100,'Next':'Done'},'Done':{'Type':'Succeed'}}}");
    Execution ex = runner.start(m, "slow", "{}");
    assertThat(ex.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(ex.error()).isEqualTo("States.Timeout");
    assertThat(ex.cause()).isEqualTo("Execution timed out after 60 seconds");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(60));
    assertThat(ex.history().get(ex.history().size() - 1).type())
        .isEqualTo(EventType.ExecutionTimedOut);
  }

  @Test
  void executionTimeoutIsNotCatchable() {
    StateMachine m =
        machine(
            "{'TimeoutSeconds':5,'StartAt':'T','States':{"
                + "'T':{'Type':'Task','Resource':'arn:t','Retry':[{'ErrorEquals':['States.ALL'],'IntervalSeconds':10}],"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'C'}],'End':true},'C':{'Type':'Succeed'}}}");
    Execution ex =
        Runner.builder()
            .clock(time)
            .sleeper(time)
            .handler(
                "arn:t",
                inv -> {
                  throw new TaskFailedException("E", "x");
                })
            .build()
            .start(m, "e", "{}");
    assertThat(ex.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void stopAbortsARunningExecution() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    StateMachine m =
        machine("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:block','End':true}}}");
    Runner real =
        Runner.builder()
            .handler(
                "arn:block",
                inv -> {
                  started.countDown();
                  try {
                    Thread.sleep(30_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return null;
                })
            .build();
    CompletableFuture<Execution> future = real.startAsync(m, "to-stop", "{}");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(real.stop(Runner.executionId(m, "to-stop"), "User.Stop", "stopped by test"))
        .isTrue();
    Execution ex = future.get(5, TimeUnit.SECONDS);
    assertThat(ex.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(ex.error()).isEqualTo("User.Stop");
    assertThat(ex.history()).extracting(HistoryEvent::type).endsWith(EventType.ExecutionAborted);
  }
}
