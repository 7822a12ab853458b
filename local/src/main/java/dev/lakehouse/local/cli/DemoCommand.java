package dev.lakehouse.local.cli;

import static dev.lakehouse.core.tables.LakehouseTables.AGG_DAILY_METRICS;
import static dev.lakehouse.core.tables.LakehouseTables.PIPELINE_RUNS;
import static dev.lakehouse.core.tables.LakehouseTables.QUARANTINE;
import static dev.lakehouse.core.tables.LakehouseTables.RAW_PRODUCTS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "demo",
    description = {
      "The whole lakehouse in one command: init, generate seed-scale data, drop customers, products and orders",
      "(one ingest batch), gold metrics, time travel after an order-status update, schema evolution,",
      "a maintenance execution and a summary. Safe to run again on the same home: nothing is duplicated."
    })
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  @ParentCommand LakehouseCli cli;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Data seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--as-of",
      defaultValue = "2026-11-01",
      description = "Orders fall in the year before this date (default ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Option(
      names = "--bad-rate",
      defaultValue = "0.01",
      description =
          "Share of malformed or invalid records, to show quarantine (default ${DEFAULT-VALUE}).")
  double badRate;

  /** The demo's steps, each announced by {@link #step} as {@code ==> [n/STEPS]}. */
  private static final int STEPS = 8;

  private PrintWriter out;
  private int stepsShown;
  private final List<Execution> executions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    out = cli.spec.commandLine().getOut();
    step("starting the local stack (S3-compatible server, SQLite catalog, Spark local[*])");
    LocalStack stack = cli.stackForJobs();
    SparkSession spark = stack.lakehouse().spark();
    // Opening the stack provisioned the tables: report that, not a second check of every table.
    stack
        .provisioned()
        .ifPresentOrElse(
            provisioned ->
                out.printf(
                    "   %d tables created, %d already there; S3 endpoint %s%n",
                    provisioned.created().size(),
                    provisioned.existing().size(),
                    stack.s3Endpoint()),
            () ->
                out.printf(
                    "   all %d tables already there; S3 endpoint %s%n",
                    dev.lakehouse.core.tables.LakehouseTables.all().size(), stack.s3Endpoint()));

    Path data = stack.home().root().resolve("demo-data");
    step(
        "generating sample data (seed "
            + seed
            + ", 1000 customers, 500 products, 5000 orders before "
            + asOf
            + ", "
            + Math.round(badRate * 100)
            + "% bad records)");
    var generated =
        new SampleDataGenerator(
                new SampleDataGenerator.Options(seed, 1000, 500, 5000, asOf, badRate))
            .writeTo(data);

    step("dropping customers, products and orders into the landing bucket: one batch");
    List<LocalStack.Landed> landed =
        stack.uploadAll(
            List.of(generated.customers(), generated.products(), generated.orders()),
            IngestCommand::entityOf);
    if (!report(stack, stack.ingestAll(landed))) {
      return LakehouseCli.EXIT_FAILED;
    }

    step("gold metrics (agg_daily_metrics)");
    printRows(
        spark
            .sql(
                "SELECT metric_type, count(DISTINCT metric_date) AS days, sum(metric_count) AS count,"
                    + " sum(metric_value) AS revenue FROM "
                    + AGG_DAILY_METRICS.qualifiedName()
                    + " GROUP BY metric_type ORDER BY metric_type")
            .collectAsList(),
        List.of("metric_type", "days", "count", "revenue"));
    printRows(
        spark
            .sql(
                "SELECT dimension_value AS segment, sum(metric_value) AS revenue, sum(metric_count) AS orders"
                    + " FROM "
                    + AGG_DAILY_METRICS.qualifiedName()
                    + " WHERE metric_type = 'segment_revenue'"
                    + " GROUP BY dimension_value ORDER BY revenue DESC")
            .collectAsList(),
        List.of("segment", "revenue", "orders"));

    step("time travel: an order-status update lands (every 25th order changes status)");
    Path updates = statusUpdates(generated.orders(), data.resolve("orders-status-update.jsonl"));
    if (!ingest(stack, updates, "orders")) {
      return LakehouseCli.EXIT_FAILED;
    }
    // The gold snapshot that was current before the update was first loaded (also right when the
    // demo is rerun).
    String updateFile = "s3://landing/landing/orders/" + updates.getFileName();
    long goldBefore =
        spark
            .sql(
                """
        SELECT s.snapshot_id FROM %s.snapshots s
        WHERE s.committed_at < (SELECT min(started_at) FROM %s
                                WHERE step = 'bronze' AND status = 'SUCCEEDED' AND source_file = '%s')
        ORDER BY s.committed_at DESC LIMIT 1"""
                    .formatted(
                        AGG_DAILY_METRICS.qualifiedName(),
                        PIPELINE_RUNS.qualifiedName(),
                        updateFile))
            .first()
            .getLong(0);
    long goldAfter = currentSnapshot(spark, AGG_DAILY_METRICS);
    out.printf(
        "   daily revenue, gold snapshot %d (before the update) vs %d (now), VERSION AS OF:%n",
        goldBefore, goldAfter);
    printRows(
        spark
            .sql(
                """
        SELECT b.metric_date, b.metric_value AS before, a.metric_value AS after, a.metric_value - b.metric_value AS change
        FROM (SELECT * FROM %1$s VERSION AS OF %2$d WHERE metric_type = 'daily_revenue') b
        JOIN (SELECT * FROM %1$s VERSION AS OF %3$d WHERE metric_type = 'daily_revenue') a
          ON a.metric_date = b.metric_date
        WHERE a.metric_value <> b.metric_value ORDER BY abs(a.metric_value - b.metric_value) DESC, b.metric_date LIMIT 5"""
                    .formatted(AGG_DAILY_METRICS.qualifiedName(), goldBefore, goldAfter))
            .collectAsList(),
        List.of("metric_date", "before", "after", "change"));

    step("schema evolution: products arrive with a new column (eco_score)");
    Path evolved = withNewColumn(generated.products(), data.resolve("products-eco-score.jsonl"));
    if (!ingest(stack, evolved, "products")) {
      return LakehouseCli.EXIT_FAILED;
    }
    printRows(
        spark
            .sql(
                "SELECT product_id, name, eco_score FROM "
                    + RAW_PRODUCTS.qualifiedName()
                    + " WHERE eco_score IS NOT NULL ORDER BY product_id LIMIT 3")
            .collectAsList(),
        List.of("product_id", "name", "eco_score"));

    step(
        "maintenance execution (expire snapshots, rewrite manifests, orphan files, compaction per table)");
    Execution maintenance = stack.start(LocalStack.MAINTENANCE, JSON.createObjectNode());
    executions.add(maintenance);
    out.printf("   %s %s%n", maintenance.id(), maintenance.status());

    step("summary");
    summary(spark);
    Path report = ReportCommand.write(stack, executions, null);
    out.printf(
        "%ndemo finished in %.1f s (JVM start excluded). Try: ./lakehouse sql \"SELECT * FROM "
            + AGG_DAILY_METRICS.qualifiedName()
            + " ORDER BY metric_date DESC LIMIT 10\"%n",
        (System.nanoTime() - t0) / 1e9);
    out.println("report of its " + executions.size() + " executions: " + report);
    return maintenance.status() == ExecutionStatus.SUCCEEDED ? 0 : LakehouseCli.EXIT_FAILED;
  }

  private boolean ingest(LocalStack stack, Path file, String entity) {
    return report(stack, stack.ingestAll(List.of(stack.upload(file, entity))));
  }

  private boolean report(LocalStack stack, List<Execution> batches) {
    boolean ok = true;
    for (Execution execution : batches) {
      executions.add(execution);
      RunReport.print(out, stack, execution);
      ok &= execution.status() == ExecutionStatus.SUCCEEDED;
    }
    return ok;
  }

  private void step(String what) {
    out.println("==> [" + ++stepsShown + "/" + STEPS + "] " + what);
    out.flush();
  }

  /**
   * A generated record, or null for one of the deliberately bad ones (broken JSON, a field missing
   * or mangled).
   */
  private static ObjectNode cleanRecord(String line, String requiredField) {
    try {
      JsonNode node = JSON.readTree(line);
      if (node instanceof ObjectNode object
          && object.hasNonNull(requiredField)
          && object.hasNonNull("updated_at")) {
        if (requiredField.endsWith("_date")) {
          LocalDateTime.parse(object.get(requiredField).asText());
        }
        return object;
      }
      return null;
    } catch (IOException | java.time.DateTimeException bad) {
      return null;
    }
  }

  /**
   * Every 25th order changes status: pending/processing/shipped move on, a few delivered ones are
   * cancelled.
   */
  private static Path statusUpdates(Path orders, Path target) throws IOException {
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(orders)) {
      if (n++ % 25 != 0) {
        continue;
      }
      ObjectNode order = cleanRecord(line, "order_date");
      if (order == null) {
        continue;
      }
      String next =
          switch (order.path("order_status").asText()) {
            case "pending" -> "processing";
            case "processing" -> "shipped";
            case "shipped" -> "delivered";
            case "delivered" -> "cancelled";
            default -> "delivered";
          };
      order.put("order_status", next);
      LocalDateTime ordered = LocalDateTime.parse(order.path("order_date").asText());
      if (next.equals("shipped")) {
        order.put("shipped_date", ordered.plusDays(2).toString());
      } else if (next.equals("delivered")) {
        if (order.path("shipped_date").isNull()) {
          order.put("shipped_date", ordered.plusDays(2).toString());
        }
        order.put("delivery_date", ordered.plusDays(5).toString());
      }
      lines.add(JSON.writeValueAsString(order));
    }
    return Files.write(target, lines);
  }

  /** The first 20 products again, each with a new {@code eco_score} field. */
  private static Path withNewColumn(Path products, Path target) throws IOException {
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(products)) {
      if (n++ >= 20) {
        break;
      }
      ObjectNode product = cleanRecord(line, "product_id");
      if (product == null) {
        n--;
        continue;
      }
      product.put("eco_score", 1 + (n * 7) % 10);
      lines.add(JSON.writeValueAsString(product));
    }
    return Files.write(target, lines);
  }

  private static long currentSnapshot(SparkSession spark, TableDefinition table) {
    return spark
        .sql(
            "SELECT snapshot_id FROM "
                + table.qualifiedName()
                + ".snapshots ORDER BY committed_at DESC LIMIT 1")
        .first()
        .getLong(0);
  }

  private void summary(SparkSession spark) {
    List<List<String>> rows = new ArrayList<>();
    var catalog = cli.lakehouse().catalog();
    for (TableDefinition table : LakehouseTables.all()) {
      long count = spark.table(table.qualifiedName()).count();
      long snapshots =
          java.util.stream.StreamSupport.stream(
                  catalog.loadTable(table.identifier()).snapshots().spliterator(), false)
              .count();
      rows.add(
          List.of(
              "   " + table.name(),
              table.zone().label(),
              Long.toString(count),
              Long.toString(snapshots)));
    }
    TextTable.print(out, List.of("   table", "zone", "rows", "snapshots"), rows);
    out.println();
    printRows(
        spark
            .sql(
                "SELECT table_name, stage, count(*) AS rejected FROM "
                    + QUARANTINE.qualifiedName()
                    + " GROUP BY table_name, stage ORDER BY table_name, stage")
            .collectAsList(),
        List.of("table_name", "stage", "rejected"));
    out.println();
    Map<String, long[]> perState = new TreeMap<>();
    for (Execution execution : executions) {
      for (HistoryEvent event : execution.history()) {
        if (event.type() == EventType.StateExited && event.durationMillis() != null) {
          long[] acc = perState.computeIfAbsent(event.stateName(), k -> new long[2]);
          acc[0]++;
          acc[1] += event.durationMillis();
        }
      }
    }
    List<List<String>> timing = new ArrayList<>();
    perState.forEach(
        (state, acc) ->
            timing.add(
                List.of(
                    "   " + state, Long.toString(acc[0]), String.format("%.1f", acc[1] / 1000.0))));
    TextTable.print(out, List.of("   state", "runs", "seconds"), timing);
  }

  private void printRows(List<Row> rows, List<String> header) {
    List<List<String>> cells = new ArrayList<>();
    for (Row row : rows) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < header.size(); i++) {
        Object v = row.get(i);
        line.add(
            (i == 0 ? "   " : "")
                + (v instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(v)));
      }
      cells.add(line);
    }
    List<String> head = new ArrayList<>(header);
    head.set(0, "   " + head.get(0));
    TextTable.print(out, head, cells);
  }
}
