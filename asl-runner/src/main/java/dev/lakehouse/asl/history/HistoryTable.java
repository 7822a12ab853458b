package dev.lakehouse.asl.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders an execution's history as plain-text tables: every event, then time spent per state. */
public final class HistoryTable {
  private static final int INFO_WIDTH = 70;

  private HistoryTable() {}

  public static String format(Execution execution) {
    StringBuilder out = new StringBuilder();
    out.append("Execution ").append(execution.id()).append('\n');
    out.append("  status ")
        .append(execution.status())
        .append("   started ")
        .append(Json.timestamp(execution.startTime()));
    if (execution.stopTime() != null) {
      out.append("   stopped ").append(Json.timestamp(execution.stopTime()));
    }
    out.append("   redrives ").append(execution.redriveCount()).append('\n');
    if (execution.error() != null) {
      out.append("  error ").append(execution.error());
      if (execution.cause() != null) {
        out.append(": ").append(abbreviate(execution.cause(), 200));
      }
      out.append('\n');
    }
    List<HistoryEvent> events = execution.history();
    out.append('\n');
    out.append(
        String.format(
            "%4s %9s  %-24s %-28s %-22s %9s  %s%n",
            "#", "+ms", "event", "state", "scope", "duration", "info"));
    Instant start = execution.startTime();
    for (HistoryEvent e : events) {
      out.append(
          String.format(
              "%4d %9d  %-24s %-28s %-22s %9s  %s%n",
              e.id(),
              Duration.between(start, e.timestamp()).toMillis(),
              e.type(),
              e.stateName() == null ? "" : abbreviate(e.stateName(), 28),
              abbreviate(e.scope() == null ? "" : e.scope(), 22),
              e.durationMillis() == null ? "" : e.durationMillis() + " ms",
              info(e)));
    }
    out.append('\n').append(stateTimings(events));
    return out.toString();
  }

  /**
   * Per state (Map iterations folded together as {@code Fanout[*]}): visits, total and max time,
   * last outcome.
   */
  public static String stateTimings(List<HistoryEvent> events) {
    Map<String, long[]> stats = new LinkedHashMap<>(); // visits, total ms, max ms
    Map<String, String> outcome = new LinkedHashMap<>();
    Map<String, String> caught = new LinkedHashMap<>();
    for (HistoryEvent e : events) {
      String scope = e.scope() == null ? "" : e.scope().replaceAll("\\[\\d+]", "[*]");
      String key = scope.isEmpty() ? e.stateName() : scope + "/" + e.stateName();
      if (e.type() == EventType.ErrorCaught) {
        caught.put(key, "caught " + e.error());
      }
      if (e.type() != EventType.StateExited) {
        continue;
      }
      long[] s = stats.computeIfAbsent(key, k -> new long[3]);
      long d = e.durationMillis() == null ? 0 : e.durationMillis();
      s[0]++;
      s[1] += d;
      s[2] = Math.max(s[2], d);
      String caughtError = caught.remove(key);
      outcome.put(key, e.error() != null ? e.error() : caughtError != null ? caughtError : "ok");
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-50s %6s %10s %10s  %s%n", "state", "visits", "total ms", "max ms", "last"));
    stats.forEach(
        (key, s) ->
            out.append(
                String.format(
                    "%-50s %6d %10d %10d  %s%n",
                    abbreviate(key, 50), s[0], s[1], s[2], outcome.get(key))));
    return out.toString();
  }

  private static String info(HistoryEvent e) {
    if (e.error() != null) {
      String text = e.error() + (e.cause() == null ? "" : ": " + e.cause());
      if (e.type() == EventType.RetryScheduled && e.details() != null) {
        text =
            "retry #"
                + e.details().path("attempt").asInt()
                + " in "
                + e.details().path("delayMillis").asLong()
                + " ms after "
                + text;
      } else if (e.type() == EventType.ErrorCaught && e.details() != null) {
        text = "caught -> " + e.details().path("next").asText() + " (" + text + ")";
      }
      return abbreviate(text, INFO_WIDTH);
    }
    if (e.type() == EventType.TaskScheduled && e.details() != null) {
      return abbreviate(e.details().path("resource").asText(), INFO_WIDTH);
    }
    if (e.type() == EventType.WaitStarted && e.details() != null) {
      return "wait " + e.details().path("waitMillis").asLong() + " ms";
    }
    JsonNode data = e.output() != null ? e.output() : e.input();
    return data == null ? "" : abbreviate(Json.write(data), INFO_WIDTH);
  }

  private static String abbreviate(String s, int width) {
    String oneLine = s.replace('\n', ' ');
    return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 3) + "...";
  }
}
