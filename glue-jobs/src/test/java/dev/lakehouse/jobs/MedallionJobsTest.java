package dev.lakehouse.jobs;

import static dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDERS;
import static dev.lakehouse.jobs.JobTestSupport.rows;
import static dev.lakehouse.jobs.JobTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.runs.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bronze → silver → gold on a small hand-built dataset with every amount worked out by hand (see
 * the comments), then a sequence of changes: a late-arriving customer, a product whose category
 * becomes known, an order update and a profile change. After each step the incremental gold must
 * equal a from-scratch recompute.
 */
class MedallionJobsTest {
  static final String AS_OF = "2026-11-20T00:00:00Z";

  @TempDir Path home;
  SparkSession spark;
  int files;

  @BeforeEach
  void start() {
    spark = JobTestSupport.lakehouse(home);
  }

  static final String PRODUCTS =
      lines(
          "{\"product_id\":\"P1\",\"name\":\"Novel\",\"category\":\"Books\",\"price\":10.00,\"cost\":6.00}",
          "{\"product_id\":\"P2\",\"name\":\"Phone\",\"category\":\"Electronics\",\"price\":200.00,\"cost\":150.00}",
          "{\"product_id\":\"P3\",\"name\":\"Ball\",\"category\":\"Toys\",\"price\":5.00,\"cost\":1.00}",
          "{\"product_id\":\"PX\",\"name\":\"Broken\",\"category\":\"Toys\",\"price\":-1.00}");

  static final String CUSTOMERS =
      lines(
          "{\"customer_id\":\"C1\",\"email\":\" Ann.Lee@Example.COM \",\"first_name\":\"Ann\",\"last_name\":\"Lee\","
              + "\"phone\":\"+1 (555) 000-0001\",\"address\":{\"city\":\"Denver\",\"state\":\"CO\",\"country\":\"US\"}}",
          "{\"customer_id\":\"C2\",\"email\":\"bob@example.com\",\"first_name\":\"Bob\",\"last_name\":\"Ray\","
              + "\"address\":{\"city\":\"Boston\",\"state\":\"MA\",\"country\":\"US\"}}",
          "{\"customer_id\":\"C3\",\"email\":\"not-an-email\"}");

  // O1 245.16: lines 3×10.00×0.90 = 27.0000 and 200.0000 → subtotal 227.00, tax 18.16, free
  // shipping.
  // O2 19.17 (the later line wins: processing): 2×5.00×0.85 = 8.5000 → 8.50 + tax 0.68 + shipping
  // 9.99.
  // O3 42.62 (customer C9 not landed yet): 10.0000 + 19.9800 + 0.2250 = 30.2050 → HALF_UP 30.21
  // (HALF_EVEN would
  //    give 30.20), discount 0.025 → 0.03, tax 2.4168 → 2.42, shipping 9.99.
  // O4 216.00, cancelled: excluded from revenue.
  static final String ORDERS =
      lines(
          order(
              "O1",
              "C1",
              "2026-11-01T10:00:00Z",
              "delivered",
              item("P1", 3, "10.00", "0.10"),
              item("P2", 1, "200.00", "0.00")),
          order("O2", "C2", "2026-11-01T23:30:00Z", "pending", item("P3", 2, "5.00", "0.15")),
          order(
              "O3",
              "C9",
              "2026-11-02T01:00:00Z",
              "shipped",
              item("P1", 1, "10.00", "0"),
              item("P4", 1, "19.98", "0"),
              item("P3", 1, "0.25", "0.10")),
          order("O4", "C1", "2026-11-02T12:00:00Z", "cancelled", item("P2", 1, "200.00", "0")),
          order("O5", "C2", "2026-11-03T09:00:00Z", "pending", item("P1", 0, "10.00", "0")),
          order("O6", "C2", "2026-11-03T09:00:00Z", "lost", item("P1", 1, "10.00", "0")),
          order("O2", "C2", "2026-11-01T23:30:00Z", "processing", item("P3", 2, "5.00", "0.15")));

  @Test
  void loadsComputesExactAmountsAndEveryJobIsIdempotent() {
    JobResult products = load("products", PRODUCTS);
    assertThat(products.rowsIn()).isEqualTo(4);
    assertThat(products.rowsWritten()).isEqualTo(3);
    assertThat(products.rowsRejected()).isEqualTo(1);
    JobResult customers = load("customers", CUSTOMERS);
    assertThat(customers.rowsWritten()).isEqualTo(2);
    JobResult orders = load("orders", ORDERS);
    assertThat(orders.rowsIn()).isEqualTo(7);
    assertThat(orders.rowsRejected())
        .as("O5, O6 and the first O2, superseded in the same file")
        .isEqualTo(3);
    assertThat(orders.rowsWritten()).isEqualTo(4);
    assertThat(orders.details()).containsEntry("superseded", 0L);

    assertThat(
            strings(
                "select order_id, customer_name, order_status, item_count, subtotal, discount_amount, tax_amount,"
                    + " shipping_cost, net_amount from ecommerce_lakehouse.curated_orders order by order_id"))
        .containsExactly(
            "[O1,Ann Lee,delivered,2,227.00,3.00,18.16,0.00,245.16]",
            "[O2,Bob Ray,processing,1,8.50,1.50,0.68,9.99,19.17]",
            "[O3,null,shipped,3,30.21,0.03,2.42,9.99,42.62]",
            "[O4,Ann Lee,cancelled,1,200.00,0.00,16.00,0.00,216.00]");
    assertThat(
            strings(
                "select order_id, line_number, product_id, category, item_net from"
                    + " ecommerce_lakehouse.curated_order_items where order_id = 'O3' order by line_number"))
        .containsExactly(
            "[O3,1,P1,Books,10.0000]", "[O3,2,P4,unknown,19.9800]", "[O3,3,P3,Toys,0.2250]");
    assertThat(
            strings(
                "select customer_id, email, phone, full_name, city, lifetime_value, total_orders,"
                    + " customer_segment, cast(first_order_date as string), cast(last_order_date as string), is_active"
                    + " from ecommerce_lakehouse.curated_customers order by customer_id"))
        .containsExactly(
            "[C1,ann.lee@example.com,+15550000001,Ann Lee,Denver,245.16,1,low,2026-11-01 10:00:00,2026-11-02 12:00:00,true]",
            "[C2,bob@example.com,null,Bob Ray,Boston,19.17,1,low,2026-11-01 23:30:00,2026-11-01 23:30:00,true]");
    assertThat(
            strings(
                "select source_line, reason from ecommerce_lakehouse.quarantine where stage = 'silver'"
                    + " order by table_name, source_line"))
        .containsExactly(
            "[3,email is not an address: not-an-email]",
            "[2,superseded by line 7 of the same file]",
            "[5,quantity must be greater than 0]",
            "[6,unknown order_status \"lost\"]",
            "[4,price must not be negative, was -1.00]");

    JobResult gold = gold();
    assertThat(gold.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(goldRows())
        .containsExactly(
            "[2026-11-01,category_revenue,category,Books,27.00,1]",
            "[2026-11-01,category_revenue,category,Electronics,200.00,1]",
            "[2026-11-01,category_revenue,category,Toys,8.50,1]",
            "[2026-11-01,daily_revenue,all,all,264.33,2]",
            "[2026-11-01,segment_revenue,customer_segment,low,264.33,2]",
            "[2026-11-02,category_revenue,category,Books,10.00,1]",
            "[2026-11-02,category_revenue,category,Toys,0.23,1]",
            "[2026-11-02,category_revenue,category,unknown,19.98,1]",
            "[2026-11-02,daily_revenue,all,all,42.62,1]",
            "[2026-11-02,segment_revenue,customer_segment,unknown,42.62,1]");

    // Every job again: nothing new, nothing written.
    List<Long> snapshotsBefore = snapshotCounts();
    assertThat(silver("orders").status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(silver("customers").status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(silver("products").status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(gold().status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(snapshotCounts()).isEqualTo(snapshotsBefore);
    assertIncrementalEqualsFull();
  }

  @Test
  void lateCustomersNewCategoriesOrderUpdatesAndProfileChangesKeepGoldEqualToAFullRecompute() {
    load("products", PRODUCTS);
    load("customers", CUSTOMERS);
    load("orders", ORDERS);
    gold();

    // The customer of O3 arrives late: O3 gets its name, 2026-11-02 moves from segment 'unknown' to
    // 'low'.
    load(
        "customers",
        lines(
            "{\"customer_id\":\"C9\",\"email\":\"cy@example.com\",\"first_name\":\"Cy\",\"last_name\":\"Nine\"}"));
    assertThat(
            strings(
                "select customer_name, customer_email from ecommerce_lakehouse.curated_orders where order_id = 'O3'"))
        .containsExactly("[Cy Nine,cy@example.com]");
    assertThat(
            strings(
                "select lifetime_value, customer_segment from ecommerce_lakehouse.curated_customers where customer_id = 'C9'"))
        .containsExactly("[42.62,low]");
    assertThat(gold().details())
        .containsEntry("affectedDates", 1)
        .containsEntry("fullRecompute", false);
    assertThat(goldRows())
        .contains("[2026-11-02,segment_revenue,customer_segment,low,42.62,1]")
        .noneMatch(r -> r.contains("unknown,42.62"));
    assertIncrementalEqualsFull();

    // P4's category becomes known: its order line and the category metric follow.
    load(
        "products",
        lines("{\"product_id\":\"P4\",\"name\":\"Rake\",\"category\":\"Garden\",\"price\":19.98}"));
    gold();
    assertThat(goldRows())
        .contains("[2026-11-02,category_revenue,category,Garden,19.98,1]")
        .noneMatch(r -> r.contains("category,unknown"));
    assertIncrementalEqualsFull();

    // O2 is cancelled: 2026-11-01 loses it, and C2 drops to segment 'none'.
    load(
        "orders",
        lines(
            order("O2", "C2", "2026-11-01T23:30:00Z", "cancelled", item("P3", 2, "5.00", "0.15"))));
    gold();
    assertThat(goldRows())
        .contains(
            "[2026-11-01,daily_revenue,all,all,245.16,1]",
            "[2026-11-01,segment_revenue,customer_segment,low,245.16,1]")
        .noneMatch(r -> r.startsWith("[2026-11-01,category_revenue,category,Toys"));
    assertThat(
            strings(
                "select lifetime_value, total_orders, customer_segment from ecommerce_lakehouse.curated_customers where customer_id = 'C2'"))
        .containsExactly("[0.00,0,none]");
    assertIncrementalEqualsFull();

    // C1 changes email (a new SCD2 version); C2 is re-landed unchanged (no new version).
    load(
        "customers",
        lines(
            "{\"customer_id\":\"C1\",\"email\":\"ann@new.example.com\",\"first_name\":\"Ann\",\"last_name\":\"Lee\","
                + "\"phone\":\"+1 (555) 000-0001\",\"address\":{\"city\":\"Denver\",\"state\":\"CO\",\"country\":\"US\"}}",
            "{\"customer_id\":\"C2\",\"email\":\"bob@example.com\",\"first_name\":\"Bob\",\"last_name\":\"Ray\","
                + "\"address\":{\"city\":\"Boston\",\"state\":\"MA\",\"country\":\"US\"}}"));
    assertThat(
            strings(
                "select customer_id, email, _is_current, _valid_to is null, lifetime_value from"
                    + " ecommerce_lakehouse.curated_customers where customer_id in ('C1', 'C2') order by customer_id, _valid_from"))
        .containsExactly(
            "[C1,ann.lee@example.com,false,false,245.16]",
            "[C1,ann@new.example.com,true,true,245.16]",
            "[C2,bob@example.com,true,true,0.00]");
    assertThat(
            rows(
                    spark,
                    "select count(*) from ecommerce_lakehouse.curated_customers c1 join"
                        + " ecommerce_lakehouse.curated_customers c2 on c1.customer_id = c2.customer_id and c1._valid_to = c2._valid_from"
                        + " where c1.customer_id = 'C1'")
                .get(0)
                .getLong(0))
        .isEqualTo(1);
    assertThat(
            strings(
                "select distinct customer_email from ecommerce_lakehouse.curated_orders where customer_id = 'C1'"))
        .containsExactly("[ann@new.example.com]");
    gold();
    assertIncrementalEqualsFull();
  }

  @Test
  void aBatchOfNewOrdersMarksOnlyTheirDatesAndCommitsOncePerChangedTable() {
    load("products", PRODUCTS);
    load("customers", CUSTOMERS);
    load("orders", ORDERS);
    gold();
    List<Long> before = snapshotCounts();

    // C1 (245.16, low) buys 10.00 more on a new day: still low, so only that day is affected; O2
    // moves on from processing to shipped: it still counts as revenue, no metric changes.
    files++;
    Path file =
        write(
            home,
            "landing/orders-" + files + ".jsonl",
            lines(
                order("O7", "C1", "2026-11-05T08:00:00Z", "pending", item("P1", 1, "10.00", "0")),
                order(
                    "O2", "C2", "2026-11-01T23:30:00Z", "shipped", item("P3", 2, "5.00", "0.15"))));
    bronzeOnly("orders", file);
    JobResult result = silver("orders");
    List<Long> after = snapshotCounts();
    assertThat(result.details())
        .containsEntry("affectedDates", 1)
        .containsEntry("changedCustomers", 1L);
    assertThat(after)
        .as("one commit on raw_orders (bronze), curated_orders, its lines and curated_customers")
        .isEqualTo(
            List.of(
                before.get(0) + 1,
                before.get(1) + 1,
                before.get(2) + 1,
                before.get(3) + 1,
                before.get(4),
                before.get(5),
                before.get(6)));
    assertThat(
            rows(
                    spark,
                    "select summary['lakehouse.affected-dates'] from"
                        + " ecommerce_lakehouse.curated_orders.snapshots order by committed_at desc limit 1")
                .get(0)
                .getString(0))
        .isEqualTo("2026-11-05");
    gold();
    assertIncrementalEqualsFull();
  }

  @Test
  void aBatchOfOnlyNewOrdersAppendsAndARunCutBeforeItsOrdersCommitMergesItsLinesOnRerun() {
    load("products", PRODUCTS);
    load("customers", CUSTOMERS);
    assertThat(load("orders", ORDERS).details()).containsEntry("appendOnly", true);
    gold();

    // O7 and O8 are new: appended. O8's two lines are its only lines.
    JobResult appended =
        load(
            "orders",
            lines(
                order("O7", "C1", "2026-11-05T08:00:00Z", "pending", item("P1", 1, "10.00", "0")),
                order(
                    "O8",
                    "C2",
                    "2026-11-06T08:00:00Z",
                    "pending",
                    item("P1", 2, "10.00", "0"),
                    item("P3", 1, "5.00", "0"))));
    assertThat(appended.details()).containsEntry("appendOnly", true);
    assertThat(appended.rowsWritten()).isEqualTo(2L);
    assertThat(
            rows(
                    spark,
                    "select operation, summary['lakehouse.bronze-snapshot-id'] is not null"
                        + " from ecommerce_lakehouse.curated_order_items.snapshots"
                        + " order by committed_at desc limit 1")
                .get(0)
                .toString())
        .as("the lines' commit is an append carrying the bronze watermark")
        .isEqualTo("[append,true]");

    // A run cut after its lines commit and before its orders commit: curated_orders as it was
    // before the run, the lines already there. Its rerun must not append the lines a second time.
    var catalog = LakehouseSpark.icebergCatalog(spark);
    var orders =
        catalog.loadTable(dev.lakehouse.core.tables.LakehouseTables.CURATED_ORDERS.identifier());
    orders.manageSnapshots().rollbackTo(orders.currentSnapshot().parentId()).commit();
    JobResult rerun = silver("orders");
    assertThat(rerun.details()).containsEntry("appendOnly", false);
    assertThat(
            strings(
                "select order_id, count(*) from ecommerce_lakehouse.curated_order_items"
                    + " where order_id in ('O7', 'O8') group by order_id order by order_id"))
        .containsExactly("[O7,1]", "[O8,2]");
    assertThat(
            strings(
                "select order_id, net_amount from ecommerce_lakehouse.curated_orders"
                    + " where order_id in ('O7', 'O8') order by order_id"))
        .containsExactly("[O7,20.79]", "[O8,36.99]");
    gold();
    assertIncrementalEqualsFull();
  }

  @Test
  void aBatchWhoseEveryRowIsRejectedSucceedsPromotesNothingAndIsNeverReadAgain() {
    load("products", PRODUCTS);
    load("customers", CUSTOMERS);
    load("orders", ORDERS);
    gold();
    List<String> ordersBefore =
        strings("select * from ecommerce_lakehouse.curated_orders order by order_id");
    List<String> linesBefore =
        strings(
            "select * from ecommerce_lakehouse.curated_order_items order by order_id, line_number");
    List<String> goldBefore = goldRows();
    String[] unknown = new String[50];
    for (int i = 0; i < unknown.length; i++) {
      unknown[i] =
          order("Z" + i, "C1", "2026-11-05T08:00:00Z", "teleported", item("P1", 1, "10.00", "0"));
    }

    JobResult rejected = load("orders", lines(unknown));

    assertThat(rejected.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(rejected.rowsIn()).isEqualTo(50);
    assertThat(rejected.rowsWritten()).isZero();
    assertThat(rejected.rowsRejected()).isEqualTo(50);
    assertThat(rejected.message()).isEqualTo("every row was rejected: nothing promoted");
    assertThat(
            rows(
                    spark,
                    "select count(*), count(distinct execution_id), min(reason) from ecommerce_lakehouse.quarantine"
                        + " where stage = 'silver' and source_file like '%orders-4.jsonl'")
                .get(0)
                .toString())
        .isEqualTo("[50,1,unknown order_status \"teleported\"]");
    assertThat(strings("select * from ecommerce_lakehouse.curated_orders order by order_id"))
        .isEqualTo(ordersBefore);
    assertThat(
            strings(
                "select * from ecommerce_lakehouse.curated_order_items order by order_id, line_number"))
        .isEqualTo(linesBefore);
    // The batch is consumed: the next run finds nothing, and gold has nothing to recompute.
    List<Long> snapshots = snapshotCounts();
    assertThat(silver("orders").status()).isEqualTo(RunStatus.SKIPPED);
    JobResult goldAfter = gold();
    assertThat(goldAfter.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(goldRows()).isEqualTo(goldBefore);
    assertThat(snapshotCounts()).isEqualTo(snapshots);

    // A second rejected file: a look-up of one source's rejects (what each run's replace does)
    // plans only that source's file (quarantine keeps full bounds of source_file; the default 16
    // characters are the same for every URI), and the replace rewrites no other source's file.
    load("orders", lines(unknown[0].replace("\"Z0\"", "\"Z99\"")));
    var quarantine =
        LakehouseSpark.icebergCatalog(spark)
            .loadTable(dev.lakehouse.core.tables.LakehouseTables.QUARANTINE.identifier());
    String source =
        rows(
                spark,
                "select distinct source_file from ecommerce_lakehouse.quarantine"
                    + " where source_file like '%orders-4.jsonl'")
            .get(0)
            .getString(0);
    // One file per source with rejects (products-1, customers-2, orders-3, orders-4, orders-5):
    // each replace appended its own and rewrote none of the others.
    assertThat(plannedFiles(quarantine, org.apache.iceberg.expressions.Expressions.alwaysTrue()))
        .isEqualTo(5);
    assertThat(
            strings(
                "select operation, summary['deleted-data-files'] from"
                    + " ecommerce_lakehouse.quarantine.snapshots order by committed_at desc limit 1"))
        .containsExactly("[append,null]");
    assertThat(
            plannedFiles(
                quarantine,
                org.apache.iceberg.expressions.Expressions.equal("source_file", source)))
        .isEqualTo(1);
  }

  @Test
  void implausibleDatesAndDuplicatesWithinAFileAreQuarantinedWithTheirReason() {
    load("products", PRODUCTS);
    JobResult orders =
        load(
            "orders",
            lines(
                order("Y1", "C1", "9999-12-31T00:00:00Z", "pending", item("P1", 1, "10.00", "0")),
                order("Y2", "C1", "1970-01-01T00:00:00Z", "pending", item("P1", 1, "10.00", "0")),
                order("Y3", "C1", "2026-11-21T00:00:00Z", "pending", item("P1", 1, "10.00", "0")),
                order("Y4", "C1", "2026-11-21T00:00:01Z", "pending", item("P1", 1, "10.00", "0")),
                order("D1", "C1", "2026-11-02T00:00:00Z", "pending", item("P1", 1, "10.00", "0")),
                order("D1", "C1", "2026-11-02T00:00:00Z", "lost", item("P1", 1, "10.00", "0")),
                order("D1", "C1", "2026-11-02T00:00:00Z", "shipped", item("P1", 2, "10.00", "0")),
                order(
                    "D1", "C1", "2026-11-02T00:00:00Z", "delivered", item("P1", 3, "10.00", "0"))));

    assertThat(orders.rowsIn()).isEqualTo(8);
    assertThat(orders.rowsWritten()).isEqualTo(2);
    assertThat(orders.rowsRejected()).isEqualTo(6);
    assertThat(
            strings(
                "select source_line, reason from ecommerce_lakehouse.quarantine where table_name = 'curated_orders'"
                    + " order by source_line"))
        .containsExactly(
            "[1,implausible order_date 9999-12-31 00:00:00: expected from 2000-01-01 to 2026-11-21T00:00:00Z]",
            "[2,implausible order_date 1970-01-01 00:00:00: expected from 2000-01-01 to 2026-11-21T00:00:00Z]",
            "[4,implausible order_date 2026-11-21 00:00:01: expected from 2000-01-01 to 2026-11-21T00:00:00Z]",
            "[5,superseded by line 8 of the same file]",
            "[6,unknown order_status \"lost\"]",
            "[7,superseded by line 8 of the same file]");
    assertThat(
            strings(
                "select order_id, order_status, item_count, subtotal from ecommerce_lakehouse.curated_orders"
                    + " order by order_id"))
        .containsExactly("[D1,delivered,1,30.00]", "[Y3,pending,1,10.00]");
  }

  @Test
  void reLandedOrdersReplaceTheirLinesInOneCommitSoNoSnapshotShowsAnOrderWithoutLines() {
    load("products", PRODUCTS);
    load("customers", CUSTOMERS);
    load("orders", ORDERS);
    long lineSnapshots =
        rows(spark, "select count(*) from ecommerce_lakehouse.curated_order_items.snapshots")
            .get(0)
            .getLong(0);

    // O1 drops its phone line and O3 changes its second line: a shrink and an update in one run.
    load(
        "orders",
        lines(
            order("O1", "C1", "2026-11-01T10:00:00Z", "delivered", item("P1", 3, "10.00", "0.10")),
            order(
                "O3",
                "C9",
                "2026-11-02T01:00:00Z",
                "delivered",
                item("P1", 1, "10.00", "0"),
                item("P2", 2, "200.00", "0"),
                item("P3", 1, "0.25", "0.10"))));

    // The MERGE rewrote five of the file's seven lines: past Iceberg's 30% of a file's rows
    // deleted, the run compacts the partition right after, in a commit of its own.
    assertThat(
            strings(
                    "select operation from ecommerce_lakehouse.curated_order_items.snapshots"
                        + " order by committed_at")
                .subList((int) lineSnapshots, (int) lineSnapshots + 2))
        .as("one commit for the lines of the run, then the compaction")
        .containsExactly("[overwrite]", "[replace]");
    assertThat(
            rows(spark, "select count(*) from ecommerce_lakehouse.curated_order_items.snapshots")
                .get(0)
                .getLong(0))
        .isEqualTo(lineSnapshots + 2);
    assertThat(
            strings(
                "select order_id, line_number, product_id, quantity, item_net, order_status from"
                    + " ecommerce_lakehouse.curated_order_items where order_id in ('O1', 'O3') order by order_id, line_number"))
        .containsExactly(
            "[O1,1,P1,3,27.0000,delivered]",
            "[O3,1,P1,1,10.0000,delivered]",
            "[O3,2,P2,2,400.0000,delivered]",
            "[O3,3,P3,1,0.2250,delivered]");
    // From the first load on, every snapshot has lines for all four orders (before it, the products
    // run's snapshot of an empty table).
    List<List<String>> ordersPerSnapshot =
        rows(
                spark,
                "select snapshot_id from"
                    + " ecommerce_lakehouse.curated_order_items.snapshots order by committed_at")
            .stream()
            .map(
                snapshot ->
                    strings(
                        "select distinct order_id from ecommerce_lakehouse.curated_order_items VERSION AS OF "
                            + snapshot.getLong(0)
                            + " order by order_id"))
            .dropWhile(List::isEmpty)
            .toList();
    assertThat(ordersPerSnapshot)
        .hasSize(3)
        .allSatisfy(orders -> assertThat(orders).containsExactly("[O1]", "[O2]", "[O3]", "[O4]"));
    gold();
    assertIncrementalEqualsFull();
  }

  @Test
  void compactionFoldsSmallFilesAndDeletesWithoutChangingRows() {
    // The nightly job alone: the silver runs must not compact first (a file with 30% of its rows
    // deleted is worth rewriting at once, and two of these four orders are updated).
    spark.sql(
        "ALTER TABLE ecommerce_lakehouse.curated_orders"
            + " SET TBLPROPERTIES ('lakehouse.compact.after-write' = 'false')");
    load("products", PRODUCTS);
    load("customers", CUSTOMERS);
    load("orders", ORDERS);
    load(
        "orders",
        lines(
            order("O2", "C2", "2026-11-01T23:30:00Z", "cancelled", item("P3", 2, "5.00", "0.15"))));
    load(
        "orders",
        lines(
            order(
                "O1",
                "C1",
                "2026-11-01T10:00:00Z",
                "shipped",
                item("P1", 3, "10.00", "0.10"),
                item("P2", 1, "200.00", "0.00"))));
    List<String> before =
        strings(
            "select order_id, customer_id, customer_name, order_status, subtotal, net_amount, order_date from ecommerce_lakehouse.curated_orders order by order_id");
    long deleteFiles =
        rows(spark, "select count(*) from ecommerce_lakehouse.curated_orders.delete_files")
            .get(0)
            .getLong(0);
    // All orders sit in one data file (month 2026-11); Iceberg keeps one file-scoped delete file
    // per data file.
    assertThat(deleteFiles).as("merge-on-read left position deletes").isEqualTo(1);

    JobResult result =
        CompactionJob.fromArgs("--table", "curated_orders", "--min-input-files", "2")
            .execute(spark);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.details()).containsEntry("strategy", "sort");
    assertThat(
            rows(spark, "select count(*) from ecommerce_lakehouse.curated_orders.delete_files")
                .get(0)
                .getLong(0))
        .isZero();
    assertThat(
            rows(spark, "select count(*) from ecommerce_lakehouse.curated_orders.files")
                .get(0)
                .getLong(0))
        .isEqualTo(1);
    assertThat(
            strings(
                "select order_id, customer_id, customer_name, order_status, subtotal, net_amount, order_date from ecommerce_lakehouse.curated_orders order by order_id"))
        .isEqualTo(before);
    assertThat(
            CompactionJob.fromArgs("--table", "curated_orders", "--min-input-files", "2")
                .execute(spark)
                .status())
        .isEqualTo(RunStatus.SKIPPED);
  }

  @Test
  void theSilverRunWhoseMergeBringsAPartitionToFiveFilesCompactsIt() {
    load("products", PRODUCTS);
    load("customers", CUSTOMERS);
    load("orders", ORDERS);
    // A broken threshold on the lines is reported, not fatal (customers, unpartitioned, are left
    // to the nightly run).
    spark.sql(
        "ALTER TABLE ecommerce_lakehouse.curated_order_items"
            + " SET TBLPROPERTIES ('lakehouse.compact.min-input-files' = 'many')");
    List<JobResult> runs = new java.util.ArrayList<>();
    List<List<Long>> ordersFiles = new java.util.ArrayList<>();
    // Three batches of new orders each append a data file to month 2026-11; then an update of O2
    // adds a fifth and a delete file for its old row.
    for (String batch :
        List.of(
            order("O7", "C1", "2026-11-05T08:00:00Z", "pending", item("P1", 1, "10.00", "0")),
            order("O8", "C2", "2026-11-06T08:00:00Z", "pending", item("P3", 2, "5.00", "0")),
            order("O9", "C1", "2026-11-07T08:00:00Z", "pending", item("P2", 1, "200.00", "0")),
            order(
                "O2", "C2", "2026-11-01T23:30:00Z", "cancelled", item("P3", 2, "5.00", "0.15")))) {
      runs.add(load("orders", lines(batch)));
      ordersFiles.add(fileCounts("curated_orders"));
    }

    assertThat(ordersFiles)
        .as("data and delete files of curated_orders after each update")
        .containsExactly(List.of(2L, 0L), List.of(3L, 0L), List.of(4L, 0L), List.of(1L, 1L));
    // The old O2 row's delete file stays until the nightly run, and no scan opens it: it names the
    // data file it belongs to, which the compaction replaced.
    var table = LakehouseSpark.icebergCatalog(spark).loadTable(CURATED_ORDERS.identifier());
    try (var tasks = table.newScan().planFiles()) {
      assertThat(tasks).hasSize(1).allSatisfy(task -> assertThat(task.deletes()).isEmpty());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(runs.subList(0, 3))
        .allSatisfy(r -> assertThat(compacted(r).keySet()).containsExactly("curated_order_items"));
    JobResult fourth = runs.get(3);
    assertThat(fourth.status()).isEqualTo(RunStatus.SUCCEEDED);
    Map<String, Object> compacted = compacted(fourth);
    assertThat(compacted.keySet()).containsExactly("curated_order_items", "curated_orders");
    assertThat(compacted.get("curated_order_items"))
        .isEqualTo(
            Map.of(
                "compactionDeferred",
                "lakehouse.compact.min-input-files must be a whole number of at least 1, was 'many'"));
    Map<?, ?> orders = (Map<?, ?>) compacted.get("curated_orders");
    assertThat(orders.get("rewrittenDataFiles")).isEqualTo(5L);
    assertThat(orders.get("addedDataFiles")).isEqualTo(1L);
    assertThat(orders.get("removedDeleteFiles")).isEqualTo(0L);
    assertThat(orders.get("strategy")).isEqualTo("sort");
    assertThat(fileCounts("curated_order_items")).isEqualTo(List.of(5L, 1L));

    // The result names the MERGE's snapshot (it carries the watermark); the compaction follows it
    // as its own commit and changes no row.
    String snapshots = "ecommerce_lakehouse.curated_orders.snapshots";
    assertThat(
            strings(
                "select operation, summary['deleted-data-files'], summary['added-data-files'],"
                    + " summary['removed-delete-files'] from "
                    + snapshots
                    + " where committed_at >= (select committed_at from "
                    + snapshots
                    + " where snapshot_id = "
                    + fourth.snapshotId()
                    + ") order by committed_at"))
        .containsExactly("[overwrite,null,1,null]", "[replace,5,1,null]");
    String orderRows =
        "select order_id, customer_name, order_status, net_amount from ecommerce_lakehouse.curated_orders";
    assertThat(strings(orderRows + " order by order_id"))
        .containsExactly(
            "[O1,Ann Lee,delivered,245.16]",
            "[O2,Bob Ray,cancelled,19.17]",
            "[O3,null,shipped,42.62]",
            "[O4,Ann Lee,cancelled,216.00]",
            "[O7,Ann Lee,pending,20.79]",
            "[O8,Bob Ray,pending,20.79]",
            "[O9,Ann Lee,pending,216.00]")
        .isEqualTo(
            strings(
                orderRows.replace(
                        "curated_orders", "curated_orders VERSION AS OF " + fourth.snapshotId())
                    + " order by order_id"));
    assertThat(gold().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertIncrementalEqualsFull();

    // The nightly job given a threshold compacts the lines whatever their broken property says;
    // without one it reports the property.
    assertThatThrownBy(
            () -> CompactionJob.fromArgs("--table", "curated_order_items").execute(spark))
        .hasMessage(
            "lakehouse.compact.min-input-files must be a whole number of at least 1, was 'many'");
    JobResult nightly =
        CompactionJob.fromArgs("--table", "curated_order_items", "--min-input-files", "5")
            .execute(spark);
    assertThat(nightly.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(nightly.details()).containsEntry("minInputFiles", 5);
    assertThat(fileCounts("curated_order_items")).isEqualTo(List.of(1L, 0L));
  }

  // ------------------------------------------------------------------ helpers

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compacted(JobResult silver) {
    return (Map<String, Object>) silver.details().get("compacted");
  }

  /** How many data files Iceberg's scan planning gives a query with this filter. */
  private static int plannedFiles(
      org.apache.iceberg.Table table, org.apache.iceberg.expressions.Expression filter) {
    try (var tasks = table.newScan().filter(filter).planFiles()) {
      int files = 0;
      for (var ignored : tasks) {
        files++;
      }
      return files;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A table's live data files and delete files. */
  private List<Long> fileCounts(String table) {
    return List.of(
        rows(spark, "select count(*) from ecommerce_lakehouse." + table + ".data_files")
            .get(0)
            .getLong(0),
        rows(spark, "select count(*) from ecommerce_lakehouse." + table + ".delete_files")
            .get(0)
            .getLong(0));
  }

  private JobResult load(String entity, String content) {
    files++;
    Path file = write(home, "landing/" + entity + "-" + files + ".jsonl", content);
    bronzeOnly(entity, file);
    return silver(entity);
  }

  private void bronzeOnly(String entity, Path file) {
    JobResult bronze =
        BronzeIngestJob.fromArgs(
                "--execution-id",
                "exec-" + files,
                "--bucket",
                "landing",
                "--key",
                "landing/" + entity + "/" + entity + "-" + files + ".jsonl",
                "--etag",
                "etag-" + files,
                "--source-path",
                file.toUri().toString())
            .execute(spark);
    assertThat(bronze.status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  private JobResult silver(String entity) {
    return SilverJob.fromArgs(
            "--entity", entity, "--execution-id", "exec-silver-" + files, "--as-of", AS_OF)
        .execute(spark);
  }

  private JobResult gold(String... extra) {
    String[] args =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of("--execution-id", "exec-gold-" + files),
                java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    return GoldJob.fromArgs(args).execute(spark);
  }

  private List<String> goldRows() {
    return strings(
        "select metric_date, metric_type, dimension_key, dimension_value, metric_value, metric_count"
            + " from ecommerce_lakehouse.agg_daily_metrics order by metric_date, metric_type, dimension_value");
  }

  /** Incremental gold must equal a recompute of every date from silver, row for row. */
  private void assertIncrementalEqualsFull() {
    List<String> incremental = goldRows();
    JobResult full = gold("--full");
    assertThat(full.details()).containsEntry("fullRecompute", true);
    assertThat(goldRows()).isEqualTo(incremental);
  }

  private List<Long> snapshotCounts() {
    return java.util.stream.Stream.of(
            "raw_orders",
            "curated_orders",
            "curated_order_items",
            "curated_customers",
            "curated_products",
            "agg_daily_metrics",
            "quarantine")
        .map(
            t ->
                rows(spark, "select count(*) from ecommerce_lakehouse." + t + ".snapshots")
                    .get(0)
                    .getLong(0))
        .toList();
  }

  private List<String> strings(String sql) {
    return rows(spark, sql).stream().map(Row::toString).toList();
  }

  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  static String order(String id, String customer, String date, String status, String... items) {
    return "{\"order_id\":\""
        + id
        + "\",\"customer_id\":\""
        + customer
        + "\",\"order_date\":\""
        + date
        + "\",\"order_status\":\""
        + status
        + "\",\"items\":["
        + String.join(",", items)
        + "],"
        + "\"shipping_address\":{\"city\":\"Denver\",\"state\":\"CO\",\"country\":\"US\"}}";
  }

  static String item(String product, int quantity, String price, String discount) {
    return "{\"product_id\":\""
        + product
        + "\",\"quantity\":"
        + quantity
        + ",\"unit_price\":"
        + price
        + ",\"discount\":"
        + discount
        + "}";
  }
}
