package dev.lakehouse.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseCliTest {
  @TempDir Path home;

  record Outcome(int exitCode, String out, String err) {}

  /**
   * File storage keeps these CLI tests fast; the S3-backed stack is exercised end to end in test/.
   */
  static Outcome run(String... args) {
    if (args.length > 1 && args[0].equals("--home")) {
      String[] withStorage = new String[args.length + 2];
      withStorage[0] = "--storage";
      withStorage[1] = "file";
      System.arraycopy(args, 0, withStorage, 2, args.length);
      args = withStorage;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LakehouseCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void initCreatesEveryTableThenSaysNothingChanged() {
    Outcome first = run("--home", home.toString(), "init");
    assertThat(first.exitCode()).isZero();
    assertThat(first.out())
        .contains(
            "created raw_customers\n", "created agg_daily_metrics\n", "created pipeline_runs\n");

    Outcome second = run("--home", home.toString(), "init");
    assertThat(second.exitCode()).isZero();
    assertThat(second.out())
        .endsWith("already initialised: all 10 tables exist, nothing changed\n");
  }

  @Test
  void tablesListsZonesSpecsAndCounts() {
    run("--home", home.toString(), "init");
    Outcome tables = run("--home", home.toString(), "tables");
    assertThat(tables.exitCode()).isZero();
    assertThat(tables.out().lines().toList())
        .hasSize(12)
        .contains("raw_orders           bronze      day(_ingestion_timestamp)  -         0")
        .contains("curated_orders       silver      month(order_date)          -         0")
        .contains("agg_daily_metrics    gold        month(metric_date)         -         0");
  }

  @Test
  void describeShowsFieldIdsSpecAndProperties() {
    run("--home", home.toString(), "init");
    Outcome describe = run("--home", home.toString(), "describe", "ecommerce_lakehouse.raw_orders");
    assertThat(describe.exitCode()).isZero();
    assertThat(describe.out())
        .contains("ecommerce_lakehouse.raw_orders (bronze)")
        .contains("21  items.element.unit_price")
        .contains("partitioning: day(_ingestion_timestamp)")
        .contains("  write.target-file-size-bytes = 134217728");
  }

  @Test
  void trinoReadsTablesOnTheLocalS3ServerOnlyAndStopsWhatRuns() {
    Outcome onFiles = run("--home", home.toString(), "trino", "SELECT 1");
    assertThat(onFiles.exitCode()).isEqualTo(2);
    assertThat(onFiles.err())
        .isEqualTo(
            "lakehouse: lakehouse home "
                + home
                + " uses --storage file; the pipeline and "
                + "Trino need the local S3 server (use a home created with --storage s3, the default)\n");

    Path s3Home = home.resolve("s3-home");
    Outcome stop = run("--storage", "s3", "--home", s3Home.toString(), "trino", "--stop");
    assertThat(stop.exitCode()).isZero();
    assertThat(stop.out()).isEqualTo("no Trino runs for " + s3Home + "\n");
  }

  @Test
  void badInputGivesOneClearLineAndExitCode2() {
    Outcome unknownTable = run("--home", home.toString(), "describe", "raw_invoices");
    assertThat(unknownTable.exitCode()).isEqualTo(2);
    assertThat(unknownTable.err())
        .startsWith("lakehouse: unknown table 'raw_invoices'; known tables: raw_customers,")
        .hasLineCount(1);

    Outcome badOption = run("--home", home.toString(), "tables", "--bogus");
    assertThat(badOption.exitCode()).isEqualTo(2);
    assertThat(badOption.err())
        .isEqualTo(
            "lakehouse: Unknown option: '--bogus'\nTry 'lakehouse tables --help' for usage.\n");

    Outcome notCreated = run("--home", home.toString(), "describe", "raw_orders");
    assertThat(notCreated.exitCode()).isEqualTo(2);
    assertThat(notCreated.err())
        .isEqualTo(
            "lakehouse: Table does not exist: ecommerce_lakehouse.raw_orders (run 'lakehouse init' first)\n");
  }

  @Test
  void reportTakesExecutionIdsOrLastNotBoth() {
    Outcome both = run("--home", home.toString(), "report", "some-execution", "--last", "2");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("lakehouse: give execution ids or --last N, not both\n");
    Outcome none = run("--home", home.toString(), "report", "--last", "0");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("lakehouse: --last must be at least 1, was 0\n");
  }

  @Test
  void unusableHomeIsRejected() throws Exception {
    Path file = Files.writeString(home.resolve("not-a-dir"), "x");
    Outcome outcome = run("--home", file.toString(), "tables");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .isEqualTo(
            "lakehouse: cannot use lakehouse home " + file + ": it is a file, not a directory\n");
  }

  @Test
  void generateWritesTheThreeFiles() {
    Outcome outcome =
        run(
            "generate",
            "--out",
            home.resolve("data").toString(),
            "--seed",
            "7",
            "--customers",
            "10",
            "--products",
            "5",
            "--orders",
            "20",
            "--as-of",
            "2026-11-01");
    assertThat(outcome.exitCode()).isZero();
    assertThat(home.resolve("data/customers.jsonl")).exists();
    assertThat(home.resolve("data/products.jsonl")).exists();
    assertThat(home.resolve("data/orders.jsonl")).exists();

    Outcome bad = run("generate", "--out", home.toString(), "--bad-rate", "2");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("lakehouse: --bad-rate must be between 0 and 1, was 2.0\n");
  }

  @Test
  void sqlAnswersInEveryFormatIncludingMetadataTables() {
    run("--home", home.toString(), "init");
    Outcome csv =
        run(
            "--home",
            home.toString(),
            "sql",
            "select count(*) as n from ecommerce_lakehouse.raw_orders",
            "--format",
            "csv");
    assertThat(csv.exitCode()).as(csv.err()).isZero();
    assertThat(csv.out()).isEqualTo("n\n0\n");

    Outcome json =
        run(
            "--home",
            home.toString(),
            "sql",
            "select 'a,b' as s, cast(12.50 as decimal(10,2)) as amount, null as nothing",
            "--format",
            "json");
    assertThat(json.out()).isEqualTo("{\"s\":\"a,b\",\"amount\":12.50,\"nothing\":null}\n");

    Outcome snapshots =
        run(
            "--home",
            home.toString(),
            "sql",
            "select count(*) as snapshots from ecommerce_lakehouse.raw_orders.snapshots");
    assertThat(snapshots.out()).isEqualTo("snapshots\n---------\n0\n(1 row)\n");

    // Exports are never cut: 2,500 rows with the default limit of 1,000 still give 2,500 lines.
    String range = "select id, cast(id as decimal(12,2)) / 100 as amount from range(1, 2501)";
    Outcome allCsv = run("--home", home.toString(), "sql", range, "--format", "csv");
    assertThat(allCsv.out().lines().toList())
        .hasSize(2501)
        .startsWith("id,amount", "1,0.010000")
        .endsWith("2500,25.000000");
    Outcome allJson = run("--home", home.toString(), "sql", range, "--format", "json");
    assertThat(allJson.out().lines().toList())
        .hasSize(2500)
        .endsWith("{\"id\":2500,\"amount\":25.000000}");
    Outcome cut = run("--home", home.toString(), "sql", range, "--limit", "3");
    assertThat(cut.out().lines().toList())
        .hasSize(6)
        .endsWith(
            "(first 3 rows shown, more exist: raise --limit, or use --format csv|json for every row)");
    Outcome exact =
        run("--home", home.toString(), "sql", "select id from range(1, 4)", "--limit", "3");
    assertThat(exact.out().lines().toList()).endsWith("(3 rows)");

    Outcome bad = run("--home", home.toString(), "sql", "select * from ecommerce_lakehouse.nope");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("lakehouse: query failed: [TABLE_OR_VIEW_NOT_FOUND]")
        .hasLineCount(1);
  }

  @Test
  void historyDiffRollbackAndTagATable() {
    String h = home.toString();
    run("--home", h, "init");
    String insert = "INSERT INTO ecommerce_lakehouse.curated_products VALUES ";
    Outcome o1 =
        run(
            "--home",
            h,
            "sql",
            insert
                + product("p1", "Books", "10.00", "f1")
                + ", "
                + product("p2", "Books", "20.00", "f1"));
    assertThat(o1.exitCode()).as(o1.err()).isZero();
    assertThat(
            run(
                    "--home",
                    h,
                    "sql",
                    "UPDATE ecommerce_lakehouse.curated_products SET price = 12.50 "
                        + "WHERE product_id = 'p1'")
                .exitCode())
        .isZero();
    assertThat(run("--home", h, "sql", insert + product("p3", "Games", "30.00", "f2")).exitCode())
        .isZero();

    Outcome history = run("--home", h, "history", "curated_products", "--format", "csv");
    List<String> lines = history.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "snapshot_id,committed_at,operation,added_records,deleted_records,"
                + "live_records,execution_id,source,current");
    // Without the id and time: the insert, the update (merge-on-read: one row added, one deleted by
    // position), the
    // second insert.
    assertThat(
            lines.subList(1, lines.size()).stream()
                .map(l -> l.substring(l.indexOf(',', l.indexOf(',') + 1) + 1)))
        .containsExactly("append,2,,2,,,false", "overwrite,1,1,2,,,false", "append,1,,3,,,true");
    String first = lines.get(1).split(",")[0];
    String last = lines.get(3).split(",")[0];

    Outcome diff = run("--home", h, "diff", "curated_products", "--from", first);
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out())
        .isEqualTo(
            "curated_products by product_id: snapshot "
                + first
                + " (2 rows) -> "
                + last
                + " (3 rows): 1 added, 0 removed, 1 changed, 1 unchanged\n\n"
                + "change   key            columns  before       after\n"
                + "-------  -------------  -------  -----------  -----------\n"
                + "added    p3\n"
                + "changed  product_id=p1  price    price=10.00  price=12.50\n");

    Outcome byCategory =
        run("--home", h, "diff", "curated_products", "--from", first, "--key", "category");
    assertThat(byCategory.exitCode()).isEqualTo(2);
    assertThat(byCategory.err())
        .isEqualTo(
            "lakehouse: diff: category does not identify a row of curated_products in "
                + "snapshot "
                + first
                + " (more than one row has {category=Books}); match by columns that do\n");
    Outcome byKeyAndCategory =
        run(
            "--home",
            h,
            "diff",
            "curated_products",
            "--from",
            first,
            "--key",
            "product_id,category",
            "--format",
            "csv");
    assertThat(byKeyAndCategory.out())
        .isEqualTo(
            "change,key,columns,before,after\n"
                + "added,product_id=p3 category=Games,,,\n"
                + "changed,product_id=p1 category=Books,price,price=10.00,price=12.50\n");

    Outcome tag = run("--home", h, "tag", "curated_products", "before-fix", "--retain", "30");
    assertThat(tag.out())
        .isEqualTo(
            "curated_products: tag 'before-fix' on snapshot "
                + last
                + ", kept 30 days after that snapshot's commit\n");
    Outcome taken = run("--home", h, "tag", "curated_products", "before-fix");
    assertThat(taken.exitCode()).isEqualTo(2);
    assertThat(taken.err())
        .isEqualTo(
            "lakehouse: curated_products already has a tag named 'before-fix' (on snapshot "
                + last
                + ")\n");

    Outcome rollback =
        run(
            "--home",
            h,
            "rollback",
            "curated_products",
            "--to",
            first,
            "--reason",
            "bad price file",
            "--by",
            "alice");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out())
        .matches(
            "curated_products rolled back from snapshot "
                + last
                + " to "
                + first
                + " by alice \\(bad price file\\); recorded as admin-[0-9a-f-]{36}\n");
    assertThat(
            run(
                    "--home",
                    h,
                    "sql",
                    "SELECT product_id, price FROM ecommerce_lakehouse.curated_products ORDER BY 1",
                    "--format",
                    "csv")
                .out())
        .isEqualTo("product_id,price\np1,10.00\np2,20.00\n");
    // The tag still names the state before the rollback, and reads by name.
    assertThat(
            run(
                    "--home",
                    h,
                    "sql",
                    "SELECT count(*) AS n FROM ecommerce_lakehouse.curated_products "
                        + "VERSION AS OF 'before-fix'",
                    "--format",
                    "csv")
                .out())
        .isEqualTo("n\n3\n");
    assertThat(
            run("--home", h, "history", "curated_products", "--format", "json")
                .out()
                .lines()
                .filter(l -> l.contains("\"current\":true"))
                .toList())
        .singleElement()
        .asString()
        .startsWith("{\"snapshot_id\":" + first + ",");

    Outcome unknown =
        run("--home", h, "rollback", "curated_products", "--to", "42", "--reason", "x");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .startsWith("lakehouse: snapshot 42 is not in the history of curated_products")
        .hasLineCount(1);
  }

  @Test
  void evolveChangesSchemaAndPartitioningWithoutRewritingAndOldSnapshotsStillRead() {
    String h = home.toString();
    run("--home", h, "init");
    run(
        "--home",
        h,
        "sql",
        "INSERT INTO ecommerce_lakehouse.curated_products VALUES "
            + product("p1", "Books", "10.00", "f1"));
    String before =
        run("--home", h, "history", "curated_products", "--format", "csv")
            .out()
            .lines()
            .skip(1)
            .findFirst()
            .orElseThrow()
            .split(",")[0];

    Outcome added =
        run(
            "--home",
            h,
            "evolve",
            "curated_products",
            "--add-column",
            "loyalty_tier",
            "string",
            "--doc",
            "Bronze, silver or gold member");
    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out())
        .matches(
            "curated_products: loyalty_tier string \\(optional\\) \\(schema \\d+ -> \\d+; "
                + "no data rewritten\\)\n");
    Outcome partitioned =
        run(
            "--home",
            h,
            "evolve",
            "curated_products",
            "--add-partition",
            "bucket(4, product_id)",
            "--format",
            "csv");
    assertThat(partitioned.exitCode()).as(partitioned.err()).isZero();
    assertThat(partitioned.out().lines().toList().get(0))
        .isEqualTo("table,operation,change,previous_spec_id,spec_id");
    assertThat(partitioned.out().lines().toList().get(1))
        .startsWith("curated_products,addPartitionField,");

    assertThat(
            run(
                    "--home",
                    h,
                    "sql",
                    "SELECT product_id, loyalty_tier FROM ecommerce_lakehouse.curated_products",
                    "--format",
                    "csv")
                .out())
        .isEqualTo("product_id,loyalty_tier\np1,\n");
    assertThat(
            run(
                    "--home",
                    h,
                    "sql",
                    "SELECT product_id, price FROM ecommerce_lakehouse.curated_products "
                        + "VERSION AS OF "
                        + before,
                    "--format",
                    "csv")
                .out())
        .isEqualTo("product_id,price\np1,10.00\n");
    assertThat(run("--home", h, "history", "curated_products").out().lines().count())
        .as("no data rewritten: one " + "snapshot, under its header")
        .isEqualTo(3);

    Outcome both =
        run(
            "--home",
            h,
            "evolve",
            "curated_products",
            "--rename-column",
            "a",
            "b",
            "--remove-partition",
            "x");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err())
        .startsWith(
            "lakehouse: Error: --rename-column=OLD NEW, --remove-partition=FIELD are mutually "
                + "exclusive");
    Outcome key =
        run("--home", h, "evolve", "curated_products", "--rename-column", "product_id", "id");
    assertThat(key.exitCode()).isEqualTo(2);
    assertThat(key.err()).hasLineCount(1).startsWith("lakehouse: ");
  }

  /** A curated_products row in column order: key, category, price and lineage; the rest unknown. */
  static String product(String id, String category, String price, String sourceFile) {
    return "('"
        + id
        + "', NULL, NULL, NULL, '"
        + category
        + "', NULL, NULL, "
        + price
        + ", NULL, NULL, NULL, NULL, "
        + "NULL, NULL, NULL, '"
        + sourceFile
        + "', TIMESTAMP '2026-11-01 00:00:00')";
  }
}
