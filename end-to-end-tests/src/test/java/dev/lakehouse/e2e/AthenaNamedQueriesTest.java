package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.infra.Artifacts;
import dev.lakehouse.infra.LakehouseApp;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.cli.LakehouseCli;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalStack;
import dev.lakehouse.local.stack.ProjectFiles;
import dev.lakehouse.local.trino.LocalTrino;
import dev.lakehouse.local.trino.TrinoJava;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Every Athena named query the CDK app deploys, read from the synthesized template, run in Athena's
 * engine (Trino, {@link LocalTrino}) on a small home and compared row for row with Spark SQL's
 * answer on the same tables — so an Athena SQL error shows up before a deploy. Plus time travel
 * ({@code FOR VERSION AS OF}) on gold and a {@code $snapshots} query across a merge-on-read update.
 * Needs Java 24+ for Trino; skipped (and says so) without.
 */
@Tag("tool")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AthenaNamedQueriesTest {
  static final SampleDataGenerator.Options DATA =
      new SampleDataGenerator.Options(11, 200, 100, 1000, LocalDate.parse("2026-11-01"), 0.0);

  @TempDir static Path dir;
  LocalStack stack;
  SparkSession spark;
  LocalTrino trino;

  @BeforeAll
  void buildAHomeAndStartTrino() throws Exception {
    Assumptions.assumeTrue(
        TrinoJava.find().isPresent(), TrinoJava.missingMessage() + ": Trino tests skipped");
    var data = new SampleDataGenerator(DATA).writeTo(dir.resolve("data"));
    stack = LocalStack.builder(LakehouseHome.open(dir.resolve("home"))).build();
    for (Path file :
        List.of(data.customers(), data.products(), data.orders(), cancelPending(data.orders()))) {
      String entity =
          file.getFileName().toString().startsWith("customers")
              ? "customers"
              : file.getFileName().toString().startsWith("products") ? "products" : "orders";
      var execution = stack.ingest(stack.upload(file, entity));
      assertThat(execution.status())
          .as(execution.historyTable())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
    }
    spark = stack.lakehouse().spark();
    trino = LocalTrino.forHome(stack.home(), stack.s3Endpoint());
  }

  @AfterAll
  void stopTrino() throws Exception {
    if (stack != null) {
      LocalTrino.stop(stack.home());
      stack.close();
    }
  }

  @Test
  void everyDeployedNamedQueryAnswersOnTrinoAsSparkDoes() throws Exception {
    Map<String, String> queries = namedQueries();
    assertThat(queries)
        .containsOnlyKeys(
            "daily-revenue",
            "time-travel-by-timestamp",
            "time-travel-by-snapshot",
            "snapshot-history",
            "files-per-partition");
    for (var entry : queries.entrySet()) {
      String athena = entry.getValue();
      if (entry.getKey().equals("time-travel-by-snapshot")) {
        // The query says to replace its placeholder id with a listed snapshot: the orders as first
        // loaded.
        assertThat(athena).endsWith(" FOR VERSION AS OF 1");
        athena =
            athena.replaceFirst(
                " FOR VERSION AS OF 1$", " FOR VERSION AS OF " + firstOrdersSnapshot());
      }
      if (entry.getKey().equals("time-travel-by-timestamp")) {
        // A day ago this home did not exist: both engines refuse the same way, neither invents an
        // answer.
        String sql = athena;
        assertThatThrownBy(() -> trino.query(sql))
            .hasMessageContaining(
                "No version history table "
                    + "\"ecommerce_lakehouse\".\"curated_orders\" at or before");
        assertThatThrownBy(() -> spark.sql(sparkDialect(sql)).collectAsList())
            .hasMessageContaining("Cannot find a snapshot older than");
        continue;
      }
      List<List<String>> onTrino = canonical(trino.query(athena).rows());
      List<List<String>> onSpark = spark(sparkDialect(athena));
      assertThat(onTrino).as(entry.getKey()).isNotEmpty().isEqualTo(onSpark);
    }
  }

  @Test
  void goldAsOfTheSnapshotBeforeTheUpdateIsTheSameOnTrinoAndSpark() throws Exception {
    String gold = LakehouseTables.AGG_DAILY_METRICS.qualifiedName();
    long beforeUpdate =
        (Long)
            trino
                .query(
                    "SELECT snapshot_id FROM "
                        + metadata(gold, "snapshots")
                        + " ORDER BY committed_at DESC OFFSET 1 LIMIT 1")
                .rows()
                .get(0)
                .get(0);
    String sql = "SELECT * FROM " + gold + " FOR VERSION AS OF " + beforeUpdate;
    List<List<String>> onTrino = canonical(trino.query(sql).rows());
    assertThat(onTrino)
        .isNotEmpty()
        .isEqualTo(spark(sql))
        .as("the update changed gold")
        .isNotEqualTo(spark("SELECT * FROM " + gold));
  }

  @Test
  void snapshotsOfCuratedOrdersAcrossAMergeAreTheSameOnTrinoAndSpark() throws Exception {
    String sql =
        "SELECT snapshot_id, parent_id, operation, committed_at, element_at(summary, 'added-records') AS "
            + "added, element_at(summary, 'added-position-deletes') AS position_deletes FROM "
            + metadata(LakehouseTables.CURATED_ORDERS.qualifiedName(), "snapshots");
    List<List<String>> onTrino = canonical(trino.query(sql).rows());
    assertThat(onTrino).hasSizeGreaterThanOrEqualTo(3).isEqualTo(spark(sparkDialect(sql)));
  }

  /**
   * Athena's name of a metadata table: {@code "ecommerce_lakehouse"."curated_orders$snapshots"}.
   */
  private static String metadata(String qualifiedName, String table) {
    return "\"" + qualifiedName.replace(".", "\".\"") + "$" + table + "\"";
  }

  @Test
  void theCliAttachesToTheHomesRunningTrino() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        LakehouseCli.run(
            new String[] {
              "--home",
              stack.home().root().toString(),
              "trino",
              "SELECT count(*) AS orders, count_if(order_status = 'cancelled') > 0 AS some_cancelled FROM curated_orders",
              "--format",
              "csv"
            },
            new PrintWriter(out),
            new PrintWriter(err));
    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo("orders,some_cancelled\n1000,true\n");
  }

  /** Name → SQL of each AWS::Athena::NamedQuery in the dev stack, as Athena receives it. */
  @SuppressWarnings("unchecked")
  static Map<String, String> namedQueries() {
    App app = App.Builder.create().build();
    Map<String, Object> template =
        Template.fromStack(
                LakehouseApp.build(app, Artifacts.resolve(ProjectFiles.locate().root(), false)))
            .toJSON();
    Map<String, String> queries = new LinkedHashMap<>();
    ((Map<String, Map<String, Object>>) template.get("Resources"))
        .values().stream()
            .filter(r -> "AWS::Athena::NamedQuery".equals(r.get("Type")))
            .map(r -> (Map<String, Object>) r.get("Properties"))
            .forEach(
                p -> {
                  // Athena runs a named query with its Database as the default schema: the one
                  // Trino's session uses.
                  assertThat(p.get("Database")).isEqualTo(LakehouseTables.NAMESPACE);
                  queries.put((String) p.get("Name"), literal(p.get("QueryString")));
                });
    return queries;
  }

  /**
   * A CloudFormation string: literal, or an Fn::Join of literals (what Athena receives once
   * deployed).
   */
  @SuppressWarnings("unchecked")
  static String literal(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Map<?, ?> m && m.get("Fn::Join") instanceof List<?> join) {
      List<String> parts = new ArrayList<>();
      for (Object part : (List<Object>) join.get(1)) {
        parts.add(literal(part));
      }
      return String.join((String) join.get(0), parts);
    }
    throw new AssertionError(
        "a named query's SQL depends on a deploy-time value the local run cannot know: " + value);
  }

  /**
   * The same SQL for Spark: Athena's {@code "db"."table$snapshots"} metadata tables are Spark's
   * {@code db.table.snapshots}; other double-quoted identifiers are backquoted; a bare {@code
   * current_timestamp} is a call (Spark's time travel clause would take it for a column). Nothing
   * else differs.
   */
  static String sparkDialect(String athena) {
    return athena
        .replaceAll("\"(\\w+)\"\\.\"(\\w+)\\$(\\w+)\"", "$1.$2.$3")
        .replaceAll("\"(\\w+)\"", "`$1`")
        .replaceAll("\\bcurrent_timestamp\\b(?!\\s*\\()", "current_timestamp()");
  }

  private long firstOrdersSnapshot() throws Exception {
    return (Long)
        trino
            .query(
                "SELECT min_by(snapshot_id, committed_at) FROM "
                    + metadata(LakehouseTables.CURATED_ORDERS.qualifiedName(), "snapshots")
                    + " WHERE element_at(summary, 'added-records') IS NOT NULL")
            .rows()
            .get(0)
            .get(0);
  }

  /**
   * Rows in the canonical form both engines' values share, sorted: ties under ORDER BY may come in
   * any order.
   */
  private List<List<String>> spark(String sql) {
    List<List<Object>> rows = new ArrayList<>();
    for (Row row : spark.sql(sql).collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        values.add(row.get(i));
      }
      rows.add(values);
    }
    return canonical(rows);
  }

  private static List<List<String>> canonical(List<List<Object>> rows) {
    List<List<String>> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.stream().map(AthenaNamedQueriesTest::canonical).toList()));
    out.sort((a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  /**
   * One text per value for both engines: decimals plain, doubles to 12 significant digits
   * (summation order may differ), instants and dates ISO, structs (Spark Row, Trino ROW) and maps
   * as key-sorted maps.
   */
  @SuppressWarnings("unchecked")
  static String canonical(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Double || v instanceof Float) {
      return new BigDecimal(((Number) v).doubleValue())
          .round(new MathContext(12))
          .stripTrailingZeros()
          .toPlainString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof Row row) {
      Map<String, Object> fields = new LinkedHashMap<>();
      String[] names = row.schema().fieldNames();
      for (int i = 0; i < names.length; i++) {
        fields.put(names[i], row.get(i));
      }
      return canonical(fields);
    }
    if (v instanceof scala.collection.Map<?, ?> m) {
      return canonical(scala.collection.JavaConverters.mapAsJavaMap(m));
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return canonical(scala.collection.JavaConverters.seqAsJavaList(s));
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, String> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(canonical(k), canonical(x)));
      return sorted.toString();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(AthenaNamedQueriesTest::canonical).toList().toString();
    }
    return v.toString();
  }

  /**
   * A second orders file: every pending order cancelled a day after the data's as-of date (a silver
   * MERGE).
   */
  private Path cancelPending(Path orders) throws Exception {
    String later = "\"updated_at\":\"" + DATA.asOf().plusDays(1) + "T00:00:00\"";
    List<String> cancelled =
        Files.readAllLines(orders).stream()
            .filter(l -> l.contains("\"order_status\":\"pending\""))
            .map(
                l ->
                    l.replace("\"order_status\":\"pending\"", "\"order_status\":\"cancelled\"")
                        .replaceAll("\"updated_at\":\"[^\"]*\"", later))
            .toList();
    assertThat(cancelled).isNotEmpty();
    return Files.write(dir.resolve("orders-cancelled.jsonl"), cancelled);
  }
}
