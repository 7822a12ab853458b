package dev.lakehouse.local.report;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.local.report.Report.Attempt;
import dev.lakehouse.local.report.Report.Outcome;
import dev.lakehouse.local.report.Report.StateBar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An execution's history as one bar per state entered, each task's attempts inside it. A state
 * still open when the execution ended (a process that died, an abort) ends with the execution.
 */
public final class StateTimeline {
  private StateTimeline() {}

  /** The bars in the order the states were entered. */
  public static List<StateBar> of(Execution execution) {
    List<Open> bars = new ArrayList<>();
    Map<String, Open> open = new HashMap<>();
    for (HistoryEvent e : execution.history()) {
      String key = (e.scope() == null ? "" : e.scope()) + "/" + e.stateName();
      Open bar = open.get(key);
      switch (e.type()) {
        case StateEntered -> {
          Open entered = new Open(e);
          bars.add(entered);
          open.put(key, entered);
        }
        case TaskScheduled -> {
          if (bar != null) {
            bar.attempts.add(new Attempt(bar.attempts.size() + 1, e.timestamp(), null, null));
          }
        }
        case TaskSucceeded, TaskFailed, TaskTimedOut -> {
          if (bar != null && !bar.attempts.isEmpty()) {
            Attempt last = bar.attempts.remove(bar.attempts.size() - 1);
            String error = e.error() == null ? null : Failures.oneLine(e.error(), e.cause());
            bar.attempts.add(new Attempt(last.number(), last.start(), e.timestamp(), error));
          }
        }
        case ErrorCaught -> {
          if (bar != null) {
            bar.caught = Failures.oneLine(e.error(), e.cause());
          }
        }
        case StateExited -> {
          if (bar != null) {
            bar.close(
                e.timestamp(), e.error() == null ? null : Failures.oneLine(e.error(), e.cause()));
            open.remove(key);
          }
        }
        case ExecutionFailed, ExecutionTimedOut, ExecutionAborted -> {
          String failure = Failures.oneLine(e.error(), e.cause());
          open.values().forEach(o -> o.close(e.timestamp(), failure));
          open.clear();
        }
        default -> {
          // execution start, redrive, waits, branches and iterations: no bar of their own
        }
      }
    }
    return bars.stream().map(Open::bar).toList();
  }

  private static final class Open {
    final HistoryEvent entered;
    final List<Attempt> attempts = new ArrayList<>();
    Instant exited;
    String failure;
    String caught;

    Open(HistoryEvent entered) {
      this.entered = entered;
    }

    void close(Instant at, String failure) {
      this.exited = at;
      this.failure = failure;
    }

    StateBar bar() {
      Outcome outcome =
          exited == null
              ? Outcome.RUNNING
              : failure != null
                  ? Outcome.FAILED
                  : caught != null ? Outcome.CAUGHT : Outcome.SUCCEEDED;
      return new StateBar(
          entered.stateName(),
          entered.scope() == null ? "" : entered.scope(),
          entered.timestamp(),
          exited,
          outcome,
          failure != null ? failure : caught,
          List.copyOf(attempts),
          List.of());
    }
  }
}
