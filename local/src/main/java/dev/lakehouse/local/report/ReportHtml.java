package dev.lakehouse.local.report;

import dev.lakehouse.local.report.Report.Attempt;
import dev.lakehouse.local.report.Report.ExecutionSection;
import dev.lakehouse.local.report.Report.QuarantineCount;
import dev.lakehouse.local.report.Report.SnapshotRow;
import dev.lakehouse.local.report.Report.StateBar;
import dev.lakehouse.local.report.Report.StepRow;
import dev.lakehouse.local.report.Report.TableSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Report} as one self-contained HTML page: inline CSS and SVG, no script, font or network
 * reference. Every string taken from data goes through {@link #escape}, so a file name or an error
 * message cannot add markup.
 */
public final class ReportHtml {
  static final int WIDTH = 1000;
  static final int LABEL_WIDTH = 230;
  // Room right of the chart for half the last axis label ("1234.5 s"), which is centred on its
  // line.
  static final int CHART_RIGHT = 960;
  static final int ROW = 22;
  static final int TOP = 26;
  // A state of a few milliseconds still shows its colour (a choice, or the red of a fast failure).
  static final int MIN_BAR = 4;

  // The free-text cells (a source object's key, a message, a quarantine reason, an execution ARN)
  // may break anywhere: a long S3 key or a JSON parse error then wraps instead of pushing the table
  // past the page's right edge; ids, names, numbers and commit times keep their words whole.
  private static final String CSS =
      """
      body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111827;background:#fff}
      h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-top:1px solid #d1d5db;padding-top:16px}
      h3{font-size:15px}h4{font-size:14px;margin:14px 0 4px}
      table{border-collapse:collapse;margin:4px 0 12px;font-size:13px}
      td,th{border:1px solid #e5e7eb;padding:2px 6px;vertical-align:top}
      .steps td:nth-child(4),.steps td:nth-child(10),.quarantine td:nth-child(3),
      .snapshots td:nth-child(6),.snapshots td:nth-child(7){overflow-wrap:anywhere;min-width:8em}
      .snapshots td:nth-child(2){white-space:nowrap}
      th{background:#f3f4f6;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
      tr.ours{background:#eff6ff}.error,.failed-text{color:#b91c1c}code{font-size:12px}
      .status-SUCCEEDED{color:#15803d}.status-FAILED,.status-TIMED_OUT,.status-ABORTED{color:#b91c1c}
      svg{font:12px system-ui,sans-serif}svg .succeeded{fill:#3b82f6}svg .caught{fill:#f59e0b}
      svg .failed{fill:#dc2626}svg .running{fill:#9ca3af}svg .retried{fill:#fca5a5}
      svg .axis{stroke:#9ca3af}svg .grid{stroke:#e5e7eb}svg text.failed-text{fill:#b91c1c}
      """;

  private ReportHtml() {}

  public static String render(Report report) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append("<title>Lakehouse run report</title><style>").append(CSS).append("</style></head>\n");
    h.append("<body>\n<h1>Lakehouse run report</h1>\n<p>home <code>")
        .append(escape(report.home()))
        .append("</code>, written ")
        .append(escape(report.generatedAt().toString()))
        .append(", ")
        .append(report.executions().size())
        .append(" execution(s)</p>\n<ul>\n");
    for (int i = 0; i < report.executions().size(); i++) {
      ExecutionSection e = report.executions().get(i);
      h.append("<li><a href=\"#e")
          .append(i + 1)
          .append("\">")
          .append(escape(e.name()))
          .append("</a> <span class=\"status-")
          .append(escape(e.status()))
          .append("\">")
          .append(escape(e.status()))
          .append("</span></li>\n");
    }
    h.append("</ul>\n");
    Map<String, Integer> sectionOf = new HashMap<>();
    for (int i = 0; i < report.executions().size(); i++) {
      sectionOf.put(report.executions().get(i).id(), i + 1);
    }
    for (int i = 0; i < report.executions().size(); i++) {
      execution(h, "e" + (i + 1), report.executions().get(i), sectionOf);
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void execution(
      StringBuilder h, String anchor, ExecutionSection e, Map<String, Integer> sectionOf) {
    h.append("<section id=\"")
        .append(anchor)
        .append("\">\n<h2>")
        .append(escape(e.stateMachine()))
        .append(": ")
        .append(escape(e.name()))
        .append(" <span class=\"status-")
        .append(escape(e.status()))
        .append("\">")
        .append(escape(e.status()))
        .append("</span></h2>\n<p><code>")
        .append(escape(e.id()))
        .append("</code><br>started ")
        .append(escape(e.started().toString()));
    if (e.stopped() != null) {
      h.append(", took ").append(seconds(Duration.between(e.started(), e.stopped())));
    }
    h.append(", redrives ").append(e.redrives()).append("</p>\n");
    if (e.failure() != null) {
      h.append("<p class=\"error\">").append(escape(e.failure())).append("</p>\n");
    }
    h.append("<h3>State timeline</h3>\n");
    gantt(h, anchor, e);
    steps(h, anchor, e.steps());
    quarantine(h, anchor, e.quarantine());
    h.append("<h3 id=\"").append(anchor).append("-tables\">Tables</h3>\n");
    if (e.tables().isEmpty()) {
      h.append("<p>No table was written.</p>\n");
    }
    for (TableSnapshots table : e.tables()) {
      snapshots(h, anchor, table, sectionOf);
    }
    h.append("</section>\n");
  }

  /** One row per state entered; a task retried shows each attempt as its own bar in its row. */
  private static void gantt(StringBuilder h, String anchor, ExecutionSection e) {
    List<StateBar> bars = e.states();
    Instant start = e.started();
    Instant end = e.stopped() != null ? e.stopped() : start;
    for (StateBar bar : bars) {
      end = later(end, bar.exited() != null ? bar.exited() : bar.entered());
      for (Attempt a : bar.attempts()) {
        end = later(end, a.end() != null ? a.end() : a.start());
      }
    }
    long span = Math.max(1, Duration.between(start, end).toMillis());
    int height = TOP + bars.size() * ROW + 8;
    h.append("<svg width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"state timeline\">\n");
    for (int q = 0; q <= 4; q++) {
      int x = x(span * q / 4, span);
      h.append("<line class=\"grid\" x1=\"")
          .append(x)
          .append("\" y1=\"")
          .append(TOP - 6)
          .append("\" x2=\"")
          .append(x)
          .append("\" y2=\"")
          .append(height - 4)
          .append("\"/>");
      h.append("<text x=\"")
          .append(x)
          .append("\" y=\"12\" text-anchor=\"middle\">")
          .append(seconds(Duration.ofMillis(span * q / 4)))
          .append("</text>\n");
    }
    for (int i = 0; i < bars.size(); i++) {
      StateBar bar = bars.get(i);
      int y = TOP + i * ROW;
      h.append("<text x=\"")
          .append(LABEL_WIDTH - 8)
          .append("\" y=\"")
          .append(y + 12)
          .append("\" text-anchor=\"end\">")
          .append(escape(bar.label()))
          .append("</text>");
      String link = bar.tables().isEmpty() ? null : anchor + "-t-" + id(bar.tables().get(0));
      if (link != null) {
        h.append("<a href=\"#").append(link).append("\">");
      }
      Instant barEnd = bar.exited() != null ? bar.exited() : end;
      if (bar.attempts().size() > 1) {
        for (Attempt a : bar.attempts()) {
          String cls = a.error() == null ? "succeeded" : "retried";
          if (a.error() != null && a.number() == bar.attempts().size()) {
            cls = bar.outcome().name().toLowerCase(Locale.ROOT);
          }
          rect(
              h,
              cls,
              start,
              a.start(),
              a.end() != null ? a.end() : barEnd,
              span,
              y,
              bar.label() + " attempt " + a.number() + (a.error() == null ? "" : ": " + a.error()));
        }
      } else {
        rect(
            h,
            bar.outcome().name().toLowerCase(Locale.ROOT),
            start,
            bar.entered(),
            barEnd,
            span,
            y,
            title(bar));
      }
      if (link != null) {
        h.append("</a>");
      }
      if (bar.outcome() == Report.Outcome.FAILED && bar.failure() != null) {
        // Beside the bar where there is room (at ~6.5 px a character), else before it.
        int from = x(Duration.between(start, bar.entered()).toMillis(), span);
        int after =
            Math.max(from + MIN_BAR, x(Duration.between(start, barEnd).toMillis(), span)) + 6;
        boolean right = WIDTH - after >= 200 || from - LABEL_WIDTH < WIDTH - after;
        int room = right ? WIDTH - after : from - 6 - LABEL_WIDTH;
        h.append("<text class=\"failed-text\" x=\"")
            .append(right ? after : from - 6)
            .append("\" y=\"")
            .append(y + 12)
            .append(right ? "\">" : "\" text-anchor=\"end\">")
            .append(escape(abbreviate(bar.failure(), Math.max(10, (int) (room / 6.5)))))
            .append("</text>");
      }
      h.append('\n');
    }
    h.append("</svg>\n");
  }

  private static void rect(
      StringBuilder h,
      String cls,
      Instant origin,
      Instant from,
      Instant to,
      long span,
      int y,
      String title) {
    int x1 = x(Duration.between(origin, from).toMillis(), span);
    int x2 = x(Duration.between(origin, to).toMillis(), span);
    h.append("<rect class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(x1)
        .append("\" y=\"")
        .append(y + 2)
        .append("\" width=\"")
        .append(Math.max(MIN_BAR, x2 - x1))
        .append("\" height=\"14\"><title>")
        .append(escape(title))
        .append("</title></rect>");
  }

  private static String title(StateBar bar) {
    String took =
        bar.exited() == null ? "running" : seconds(Duration.between(bar.entered(), bar.exited()));
    return bar.label()
        + ": "
        + bar.outcome()
        + " in "
        + took
        + (bar.failure() == null ? "" : " - " + bar.failure())
        + (bar.tables().isEmpty() ? "" : " - tables " + String.join(", ", bar.tables()));
  }

  private static void steps(StringBuilder h, String anchor, List<StepRow> steps) {
    h.append("<h3 id=\"").append(anchor).append("-steps\">Rows per step</h3>\n");
    if (steps.isEmpty()) {
      h.append("<p>No step recorded rows in pipeline_runs.</p>\n");
      return;
    }
    h.append("<table class=\"steps\"><tr><th>step</th><th>state</th><th>table</th><th>source</th>")
        .append("<th>status</th>")
        .append("<th>rows in</th><th>written</th><th>rejected</th><th>snapshot</th>")
        .append("<th>message</th></tr>\n");
    for (StepRow s : steps) {
      h.append("<tr><td>")
          .append(escape(s.step()))
          .append("</td><td>")
          .append(escape(s.state()))
          .append("</td><td>");
      if (s.table() != null) {
        h.append("<a href=\"#")
            .append(anchor)
            .append("-t-")
            .append(id(s.table()))
            .append("\">")
            .append(escape(s.table()))
            .append("</a>");
      }
      h.append("</td><td>")
          .append(escape(s.sourceFile()))
          .append("</td><td class=\"status-")
          .append(escape(s.status()))
          .append("\">")
          .append(escape(s.status()))
          .append("</td>")
          .append(number(s.rowsIn()))
          .append(number(s.rowsWritten()))
          .append(number(s.rowsRejected()))
          .append("<td>")
          .append(s.snapshotId() == null ? "" : s.snapshotId().toString())
          .append("</td><td>")
          .append(escape(s.message()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void quarantine(StringBuilder h, String anchor, List<QuarantineCount> rows) {
    h.append("<h3 id=\"").append(anchor).append("-quarantine\">Quarantine</h3>\n");
    if (rows.isEmpty()) {
      h.append("<p>No row was quarantined.</p>\n");
      return;
    }
    h.append(
        "<table class=\"quarantine\"><tr><th>table</th><th>stage</th><th>reason</th>"
            + "<th>rows</th></tr>\n");
    for (QuarantineCount q : rows) {
      h.append("<tr><td>")
          .append(escape(q.table()))
          .append("</td><td>")
          .append(escape(q.stage()))
          .append("</td><td>")
          .append(escape(q.reason()))
          .append("</td>")
          .append(number(q.rows()))
          .append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void snapshots(
      StringBuilder h, String anchor, TableSnapshots table, Map<String, Integer> sectionOf) {
    h.append("<h4 id=\"")
        .append(anchor)
        .append("-t-")
        .append(id(table.table()))
        .append("\">")
        .append(escape(table.table()))
        .append("</h4>\n");
    h.append("<table class=\"snapshots\"><tr><th>snapshot</th><th>committed</th><th>operation</th>")
        .append("<th>added</th>")
        .append("<th>deleted</th><th>execution</th><th>source</th><th>current</th></tr>\n");
    for (SnapshotRow s : table.snapshots()) {
      h.append(s.ours() ? "<tr class=\"ours\">" : "<tr>")
          .append("<td>")
          .append(s.snapshotId())
          .append("</td><td>")
          .append(escape(s.committedAt().toString()))
          .append("</td><td>")
          .append(escape(s.operation()))
          .append("</td>")
          .append(number(s.added()))
          .append(number(s.deleted()))
          .append("<td>");
      Integer section = s.executionId() == null ? null : sectionOf.get(s.executionId());
      if (section != null) {
        h.append("<a href=\"#e")
            .append(section)
            .append("\">")
            .append(escape(s.executionId()))
            .append("</a>");
      } else {
        h.append(escape(s.executionId()));
      }
      h.append("</td><td>")
          .append(escape(s.sourceFile()))
          .append("</td><td>")
          .append(s.current() ? "yes" : "")
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  /** Text safe in HTML and SVG content and in quoted attribute values; null reads empty. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A fragment id made of safe characters only (table names are declared, but still data). */
  static String id(String name) {
    return name.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static String number(Long value) {
    return "<td class=\"n\">"
        + (value == null ? "" : String.format(Locale.ROOT, "%,d", value))
        + "</td>";
  }

  private static int x(long millis, long span) {
    return LABEL_WIDTH + (int) Math.round((CHART_RIGHT - LABEL_WIDTH) * (double) millis / span);
  }

  private static Instant later(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String abbreviate(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 3) + "...";
  }
}
