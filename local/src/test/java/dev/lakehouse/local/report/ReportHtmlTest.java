package dev.lakehouse.local.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.AslLoader;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.Runner;
import dev.lakehouse.asl.StateMachine;
import dev.lakehouse.asl.TaskFailedException;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.local.report.Report.Attempt;
import dev.lakehouse.local.report.Report.Outcome;
import dev.lakehouse.local.report.Report.StateBar;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The timeline of a real execution (the ASL runner, a task retried once, a task failing with a
 * Glue-shaped cause) and its rendering: one bar per state, one per attempt of a retried task, the
 * failed state red with its message, every data string escaped.
 */
class ReportHtmlTest {
  static final String LAMBDA = "arn:aws:states:::lambda:invoke";
  static final String GLUE = "arn:aws:states:::glue:startJobRun.sync";
  static final String EVIL = "orders <script>alert(1)</script>.jsonl";

  static final String DEFINITION =
      """
      {"StartAt": "Claim", "States": {
        "Claim": {"Type": "Task", "Resource": "%s", "Next": "Load"},
        "Load": {"Type": "Task", "Resource": "%s", "Next": "Check",
                 "Retry": [{"ErrorEquals": ["Glue.ThrottlingException"], "IntervalSeconds": 1,
                            "MaxAttempts": 2}]},
        "Check": {"Type": "Pass", "Next": "Merge"},
        "Merge": {"Type": "Task", "Resource": "%s", "End": true}}}
      """
          .formatted(LAMBDA, GLUE, GLUE);

  /** Each reading one second after the previous: the history's times are exact. */
  static Clock ticking() {
    AtomicInteger ticks = new AtomicInteger();
    Instant base = Instant.parse("2026-12-01T10:00:00Z");
    return new Clock() {
      @Override
      public Instant instant() {
        return base.plusSeconds(ticks.getAndIncrement());
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
  }

  static Execution failedExecution() {
    AtomicInteger loads = new AtomicInteger();
    try (Runner runner =
        Runner.builder()
            .clock(ticking())
            .sleeper(d -> {})
            .handler(LAMBDA, inv -> Json.object().put("go", true))
            .handler(
                GLUE,
                inv -> {
                  if (inv.stateName().equals("Load") && loads.getAndIncrement() == 0) {
                    throw new TaskFailedException("Glue.ThrottlingException", "slow down");
                  }
                  if (inv.stateName().equals("Merge")) {
                    throw new TaskFailedException(
                        "States.TaskFailed",
                        Json.object()
                            .put("JobRunState", "FAILED")
                            .put("ErrorMessage", "IllegalStateException: bad " + EVIL + "\nat x")
                            .toString());
                  }
                  return Json.object();
                })
            .build()) {
      StateMachine machine = AslLoader.load("ingest-pipeline", DEFINITION, null, null);
      return runner.start(machine, "run-1", "{}");
    }
  }

  @Test
  void barsFollowTheHistoryWithRetriesAsAttemptsAndTheFailedStateLast() {
    Execution execution = failedExecution();
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);

    List<StateBar> bars = StateTimeline.of(execution);

    assertThat(bars).extracting(StateBar::state).containsExactly("Claim", "Load", "Check", "Merge");
    assertThat(bars)
        .extracting(StateBar::outcome)
        .containsExactly(Outcome.SUCCEEDED, Outcome.SUCCEEDED, Outcome.SUCCEEDED, Outcome.FAILED);
    assertThat(bars.get(1).attempts())
        .extracting(Attempt::number, Attempt::error)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "Glue.ThrottlingException: slow down"),
            org.assertj.core.groups.Tuple.tuple(2, null));
    assertThat(bars.get(2).attempts()).isEmpty();
    assertThat(bars.get(3).failure())
        .isEqualTo("States.TaskFailed: IllegalStateException: bad " + EVIL);
    assertThat(bars.get(0).entered()).isEqualTo(execution.startTime().plusSeconds(3));
    assertThat(bars.get(3).exited()).isBefore(execution.stopTime());
  }

  /** The failed execution with a step, a quarantine reason and a snapshot naming {@link #EVIL}. */
  static Report sample() {
    Execution execution = failedExecution();
    Report.ExecutionSection section =
        ReportBuilder.section(
            execution,
            StateTimeline.of(execution).stream()
                .map(
                    b ->
                        new StateBar(
                            b.state(),
                            b.scope(),
                            b.entered(),
                            b.exited(),
                            b.outcome(),
                            b.failure(),
                            b.attempts(),
                            b.state().equals("Load") ? List.of("raw_orders") : List.of()))
                .toList(),
            List.of(
                new Report.StepRow(
                    "bronze",
                    "raw_orders",
                    "s3://landing/landing/orders/" + EVIL,
                    "SUCCEEDED",
                    12_000L,
                    11_990L,
                    10L,
                    42L,
                    null,
                    "Load")),
            List.of(new Report.QuarantineCount("raw_orders", "bronze", "<b>not JSON</b>", 10)),
            List.of(
                new Report.TableSnapshots(
                    "raw_orders",
                    List.of(
                        new Report.SnapshotRow(
                            42,
                            Instant.parse("2026-12-01T10:00:03Z"),
                            "append",
                            11_990L,
                            null,
                            execution.id(),
                            "s3://landing/landing/orders/" + EVIL,
                            true,
                            true)))));
    return new Report(
        "/tmp/home \"quoted\"", Instant.parse("2026-12-01T11:00:00Z"), List.of(section));
  }

  @Test
  void theHtmlDrawsABarPerStateAndAttemptAndEscapesEveryDataString() {
    String html = ReportHtml.render(sample());

    assertThat(html).doesNotContain("<script", "<b>", "src=", "http://", "https://", "@import");
    assertThat(html)
        .contains(
            "orders &lt;script&gt;alert(1)&lt;/script&gt;.jsonl",
            "&lt;b&gt;not JSON&lt;/b&gt;",
            "<code>/tmp/home &quot;quoted&quot;</code>",
            "<td class=\"n\">12,000</td><td class=\"n\">11,990</td><td class=\"n\">10</td>",
            "<a href=\"#e1-t-raw_orders\">raw_orders</a>",
            "<h4 id=\"e1-t-raw_orders\">raw_orders</h4>",
            "<tr class=\"ours\"><td>42</td>",
            "<a href=\"#e1\">arn:aws:states:local:000000000000:execution:ingest-pipeline:run-1</a>");
    // Claim, Load's two attempts, Check, Merge.
    assertThat(Pattern.compile("<rect ").matcher(html).results().count()).isEqualTo(5);
    assertThat(Pattern.compile("<rect class=\"retried\"").matcher(html).results().count())
        .isEqualTo(1);
    assertThat(Pattern.compile("<rect class=\"failed\"").matcher(html).results().count())
        .isEqualTo(1);
    assertThat(html)
        .contains("<a href=\"#e1-t-raw_orders\"><rect class=\"retried\"")
        .contains(
            "<text class=\"failed-text\"",
            ">States.TaskFailed: IllegalStateException: bad orders &lt;script&gt;alert(1)&lt;/script&gt;"
                + ".jsonl</text>");
  }
}
