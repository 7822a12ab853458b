package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.core.admin.TableAdmin;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.report.Report;
import dev.lakehouse.local.report.ReportBuilder;
import dev.lakehouse.local.stack.LocalResources;
import dev.lakehouse.local.stack.LocalStack;
import dev.lakehouse.local.stack.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakehouse report} on a real run: an orders file whose name holds {@code <script>} and some
 * bad records, its batch failing at SilverOrders and redriven. The report's model carries the
 * states in order, the step counts, the quarantine reasons and the snapshots; its HTML draws them
 * and escapes the file name.
 */
class RunReportEndToEndTest {
  @TempDir Path dir;

  CliPipelineTest.Outcome run(String... args) {
    return CliPipelineTest.run(dir.resolve("home"), args);
  }

  @Test
  void aFailedAndRedrivenBatchReportsItsStatesStepsQuarantineAndSnapshots() throws Exception {
    CliPipelineTest.Outcome empty = run("report");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err())
        .isEqualTo(
            "lakehouse: no executions in this home yet; run 'lakehouse ingest FILE' or "
                + "'lakehouse demo' first\n");

    var data =
        new SampleDataGenerator(
                new SampleDataGenerator.Options(5, 10, 10, 40, LocalDate.parse("2026-11-01"), 0.2))
            .writeTo(dir.resolve("data"));
    Path evil = Files.copy(data.orders(), dir.resolve("orders <script>alert(1).jsonl"));
    AtomicBoolean broken = new AtomicBoolean(true);
    StringWriter progress = new StringWriter();
    Execution execution;
    try (LocalStack stack =
        LocalStack.builder(LakehouseHome.open(dir.resolve("home")))
            .failJob(LocalResources.SILVER_ORDERS_JOB, "worker <lost>", broken::get)
            .progress(new Progress(new PrintWriter(progress), 0, System::nanoTime))
            .build()) {
      Execution failed = stack.ingest(stack.upload(evil, "orders"));
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      broken.set(false);
      execution = stack.redrive(failed.id());
      assertThat(execution.status())
          .as(execution.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      // Progress: each task as it starts (the redrive starts at SilverOrders again), then the rows
      // the state's Spark jobs read.
      assertThat(progress.toString().lines().filter(l -> l.startsWith("[")))
          .containsExactly(
              "[1/11] ClaimBatch",
              "[4/11] Bronze",
              "[8/11] SilverOrders",
              "[8/11] SilverOrders",
              "[9/11] Gold",
              "[10/11] RecordBatch",
              "[11/11] AckBatch");
      assertThat(progress.toString())
          .containsPattern(
              "(?m)^  SilverOrders: [0-9,]+ rows read(, [0-9,]+ written)? in [0-9]+\\.[0-9] s "
                  + "\\([0-9,]+ rows/s\\)$");

      Report report =
          new ReportBuilder(
                  stack.lakehouse().catalog(),
                  new TableAdmin(
                          stack.lakehouse().catalog(),
                          stack.lakehouse().settings(),
                          Clock.systemUTC())
                      .inspect())
              .build("home", Instant.parse("2026-12-01T12:00:00Z"), List.of(execution));
      Report.ExecutionSection section = report.executions().get(0);
      assertThat(section.redrives()).isEqualTo(1);
      assertThat(section.states())
          .extracting(b -> b.state() + " " + b.outcome() + " " + b.tables())
          .containsExactly(
              "ClaimBatch SUCCEEDED []",
              "BatchReady SUCCEEDED []",
              "AnyRejected SUCCEEDED []",
              "AnyAccepted SUCCEEDED []",
              "Bronze SUCCEEDED [raw_orders]",
              "MoreQueued SUCCEEDED []",
              "CustomersChanged SUCCEEDED []",
              "ProductsChanged SUCCEEDED []",
              "OrdersChanged SUCCEEDED []",
              "SilverOrders FAILED []",
              "SilverOrders SUCCEEDED [curated_orders, curated_order_items]",
              "Gold SUCCEEDED [agg_daily_metrics]",
              "RecordBatch SUCCEEDED []",
              "AckBatch SUCCEEDED []",
              "Loaded SUCCEEDED []");
      assertThat(section.states().get(9).failure())
          .isEqualTo("States.TaskFailed: IllegalStateException: worker <lost>");
      // 15 of the 40 orders are bad: 12 fail bronze's schema, 3 silver's rules.
      assertThat(section.steps())
          .filteredOn(s -> !s.step().equals("pipeline"))
          .extracting(
              s ->
                  s.step()
                      + " "
                      + s.table()
                      + " "
                      + s.state()
                      + " "
                      + s.rowsIn()
                      + "/"
                      + s.rowsWritten()
                      + "/"
                      + s.rowsRejected())
          .containsExactly(
              "bronze raw_orders Bronze 40/28/12",
              "silver curated_orders SilverOrders 28/25/3",
              "gold agg_daily_metrics Gold 23/66/0");
      assertThat(section.steps())
          .filteredOn(s -> s.step().equals("pipeline"))
          // A row for the whole execution, written by RecordBatch but dated at the execution's
          // start: it belongs to no state (and links no table to ClaimBatch).
          .extracting(s -> s.state() + " " + s.status() + " " + s.message())
          .containsExactlyInAnyOrder(
              "null SUCCEEDED loaded through bronze, silver and gold in batch "
                  + execution.name()
                  + " (1 object(s))",
              "null FAILED States.TaskFailed: IllegalStateException: worker <lost>");
      assertThat(section.quarantine())
          .extracting(
              q ->
                  q.table()
                      + " "
                      + q.stage()
                      + " "
                      + q.rows()
                      + " "
                      + q.reason().substring(0, Math.min(47, q.reason().length())))
          .containsExactly(
              "curated_orders silver 2 unknown order_status \"lost_in_space\"",
              "curated_orders silver 1 quantity must be greater than 0",
              "raw_orders bronze 6 missing required field order_id",
              "raw_orders bronze 4 field total_amount: expected decimal(12,2), got",
              "raw_orders bronze 1 malformed JSON: Unexpected end-of-input in fiel",
              "raw_orders bronze 1 malformed JSON: Unexpected end-of-input: expect");
      assertThat(section.tables())
          .extracting(
              t ->
                  t.table()
                      + " "
                      + t.snapshots().stream()
                          .map(r -> r.operation() + " " + r.added() + " " + r.ours())
                          .toList())
          .containsExactly(
              "raw_orders [append 28 true]",
              "curated_orders [append 25 true]",
              "curated_order_items [append 83 true]",
              "agg_daily_metrics [append 66 false]");
      assertThat(section.tables().get(0).snapshots().get(0).sourceFile())
          .isEqualTo("s3://landing/landing/orders/orders <script>alert(1).jsonl");
    }

    CliPipelineTest.Outcome unknown = run("report", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo("lakehouse: no execution 'nope' in this home; see 'lakehouse executions'\n");

    Path file = dir.resolve("out/report.html");
    CliPipelineTest.Outcome written = run("report", execution.name(), "--out", file.toString());
    assertThat(written.exitCode()).as(written.err()).isZero();
    assertThat(written.out()).isEqualTo(file + "\n");
    String html = Files.readString(file);
    assertThat(html)
        .doesNotContain("<script", "<lost>")
        .contains(
            "<td>s3://landing/landing/orders/orders &lt;script&gt;alert(1).jsonl</td>",
            ">States.TaskFailed: IllegalStateException: worker &lt;lost&gt;</text>",
            "<td class=\"n\">40</td><td class=\"n\">28</td><td class=\"n\">12</td>",
            "<td>quantity must be greater than 0</td><td class=\"n\">1</td>",
            "<a href=\"#e1-t-raw_orders\"><rect class=\"succeeded\"",
            "<h4 id=\"e1-t-agg_daily_metrics\">agg_daily_metrics</h4>");
    // One bar per state entered (15, SilverOrders twice), the failed one red.
    assertThat(Pattern.compile("<rect ").matcher(html).results().count()).isEqualTo(15);
    assertThat(Pattern.compile("<rect class=\"failed\"").matcher(html).results().count())
        .isEqualTo(1);
  }
}
