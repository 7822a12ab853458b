package dev.lakehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.admin.SnapshotNotFound;
import dev.lakehouse.core.admin.TableAdmin;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.UnknownTableException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableAdminHandlerTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path home;
  Catalog catalog;
  TableAdminHandler handler;
  Table products;
  long s1;
  long s2;
  long s3;

  @BeforeEach
  void setUp() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    catalog = CatalogFactory.create(settings);
    handler =
        new TableAdminHandler(new TableAdmin(catalog, settings, Clock.fixed(NOW, ZoneOffset.UTC)));
    Map<String, Object> created = call(Map.of("operation", "createTables"));
    assertThat((List<?>) created.get("created")).hasSize(10);
    products = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    // s1: p1 10.00, p2 20.00 | s2: + p3 | s3: p1 -> 12.50, p3 removed, p4 added
    DataFile a =
        Tables.write(
            products,
            List.of(
                Tables.product(products, "p1", "10.00"), Tables.product(products, "p2", "20.00")));
    products.newAppend().appendFile(a).commit();
    s1 = products.currentSnapshot().snapshotId();
    DataFile b = Tables.write(products, List.of(Tables.product(products, "p3", "30.00")));
    products.newAppend().appendFile(b).commit();
    s2 = products.currentSnapshot().snapshotId();
    DataFile a2 =
        Tables.write(
            products,
            List.of(
                Tables.product(products, "p1", "12.50"), Tables.product(products, "p2", "20.00")));
    DataFile c = Tables.write(products, List.of(Tables.product(products, "p4", "40.00")));
    products.newOverwrite().deleteFile(a).deleteFile(b).addFile(a2).addFile(c).commit();
    s3 = products.currentSnapshot().snapshotId();
  }

  @Test
  void createTablesIsIdempotent() {
    Map<String, Object> again = call(Map.of("operation", "createTables"));
    assertThat(again).contains(entry("namespaceCreated", false), entry("created", List.of()));
    assertThat((List<?>) again.get("existing")).hasSize(10);
    assertThat(again).contains(entry("migrated", Map.of()));
  }

  @Test
  void describesATable() {
    Map<String, Object> d = call(Map.of("operation", "describe", "table", "curated_products"));
    assertThat(d)
        .contains(
            entry("table", "curated_products"),
            entry("qualifiedName", "ecommerce_lakehouse.curated_products"),
            entry("zone", "silver"),
            entry("formatVersion", 2),
            entry("currentSnapshotId", s3),
            entry("snapshotCount", 3L),
            entry("totalRecords", 3L),
            entry("totalDataFiles", 2L),
            entry("partitionFields", List.of()),
            entry("sortOrder", List.of("product_id asc")),
            entry("businessKey", List.of("product_id")));
    assertThat((List<?>) d.get("columns"))
        .hasSize(17)
        .first()
        .isEqualTo(Map.of("id", 1, "name", "product_id", "type", "string", "required", true));
    assertThat((String) d.get("location")).endsWith("/warehouse/curated/curated_products");
  }

  @Test
  void listsSnapshotsAndHistory() {
    Map<String, Object> snaps = call(Map.of("operation", "snapshots", "table", "curated_products"));
    List<Map<String, Object>> list = list(snaps.get("snapshots"));
    assertThat(list).extracting(m -> m.get("snapshotId")).containsExactly(s1, s2, s3);
    assertThat(list)
        .extracting(m -> m.get("operation"))
        .containsExactly("append", "append", "overwrite");
    assertThat(list).extracting(m -> m.get("isCurrent")).containsExactly(false, false, true);
    assertThat(list.get(0)).containsEntry("parentId", null);
    assertThat((Map<String, String>) list.get(2).get("summary"))
        .containsEntry("total-records", "3")
        .containsEntry("deleted-records", "3")
        .containsEntry("added-records", "3");

    List<Map<String, Object>> history =
        list(call(Map.of("operation", "history", "table", "curated_products")).get("history"));
    assertThat(history).extracting(m -> m.get("snapshotId")).containsExactly(s1, s2, s3);
    assertThat(history)
        .extracting(m -> m.get("isCurrentAncestor"))
        .containsExactly(true, true, true);
  }

  @Test
  void timeTravelsBySnapshotIdAndByTime() {
    Map<String, Object> at1 =
        call(Map.of("operation", "timeTravel", "table", "curated_products", "snapshotId", s1));
    assertThat(at1)
        .contains(entry("snapshotId", s1), entry("operation", "append"), entry("rowCount", 2L));
    List<Map<String, Object>> rows = list(at1.get("rows"));
    assertThat(rows)
        .extracting(r -> r.get("product_id"), r -> r.get("price"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("p1", "10.00"),
            org.assertj.core.groups.Tuple.tuple("p2", "20.00"));
    assertThat(rows.get(0))
        .containsEntry("updated_at", "2026-11-01T10:00:00Z")
        .containsEntry("stock_quantity", 5)
        .containsEntry("is_active", true)
        .containsEntry("margin", null);

    long s2Time = products.snapshot(s2).timestampMillis();
    Map<String, Object> asOf =
        call(
            Map.of(
                "operation",
                "timeTravel",
                "table",
                "curated_products",
                "asOf",
                Instant.ofEpochMilli(s2Time).toString(),
                "limit",
                1));
    assertThat(asOf).contains(entry("snapshotId", s2), entry("rowCount", 3L));
    assertThat(list(asOf.get("rows"))).hasSize(1);
    assertThat(
            call(
                Map.of(
                    "operation",
                    "timeTravel",
                    "table",
                    "curated_products",
                    "snapshotId",
                    String.valueOf(s2))))
        .as("ids as strings too")
        .containsEntry("snapshotId", s2);

    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "timeTravel",
                        "table",
                        "curated_products",
                        "asOf",
                        "2001-01-01")))
        .isInstanceOf(SnapshotNotFound.class)
        .hasMessageContaining("had no snapshot at or before 2001-01-01T00:00:00Z");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "timeTravel",
                        "table",
                        "curated_products",
                        "asOf",
                        "yesterday")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("is not a time");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation", "timeTravel", "table", "curated_products", "snapshotId", 42)))
        .isInstanceOf(SnapshotNotFound.class)
        .hasMessageContaining("snapshot 42 is not in the history of curated_products");
    assertThatThrownBy(
            () ->
                call(Map.of("operation", "timeTravel", "table", "curated_products", "limit", 1000)))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("limit must be between 0 and 100, was 1000");
  }

  @Test
  void diffsTwoSnapshotsByBusinessKey() {
    Map<String, Object> d =
        call(Map.of("operation", "diff", "table", "curated_products", "fromSnapshotId", s2));
    assertThat(d)
        .contains(
            entry("keyColumns", List.of("product_id")),
            entry("fromSnapshotId", s2),
            entry("toSnapshotId", s3),
            entry("fromRows", 3L),
            entry("toRows", 3L),
            entry("added", 1L),
            entry("removed", 1L),
            entry("changed", 1L),
            entry("unchanged", 1L));
    Map<String, Object> samples = map(d.get("samples"));
    assertThat(samples.get("added")).isEqualTo(List.of(Map.of("product_id", "p4")));
    assertThat(samples.get("removed")).isEqualTo(List.of(Map.of("product_id", "p3")));
    assertThat(samples.get("changed"))
        .isEqualTo(
            List.of(
                Map.of(
                    "key",
                    Map.of("product_id", "p1"),
                    "changedColumns",
                    List.of("price"),
                    "before",
                    Map.of("price", "10.00"),
                    "after",
                    Map.of("price", "12.50"))));

    Map<String, Object> d13 =
        call(
            Map.of(
                "operation",
                "diff",
                "table",
                "curated_products",
                "fromSnapshotId",
                s1,
                "toSnapshotId",
                s2,
                "sampleSize",
                0));
    assertThat(d13)
        .contains(
            entry("added", 1L), entry("removed", 0L), entry("changed", 0L), entry("unchanged", 2L));
    assertThat(map(d13.get("samples")).get("added")).isEqualTo(List.of());

    assertThatThrownBy(() -> call(Map.of("operation", "diff", "table", "curated_products")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("diff needs fromSnapshotId or fromAsOf");
  }

  @Test
  void rollsBackAlongTheHistoryAndRecordsWhoAndWhy() {
    Map<String, Object> r =
        call(
            Map.of(
                "operation",
                "rollback",
                "table",
                "curated_products",
                "snapshotId",
                s1,
                "actor",
                "alice",
                "reason",
                "bad price file",
                "executionId",
                "admin-1"));

    assertThat(r)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "table",
                "curated_products",
                "fromSnapshotId",
                s3,
                "toSnapshotId",
                s1,
                "changed",
                true,
                "actor",
                "alice",
                "reason",
                "bad price file",
                "executionId",
                "admin-1",
                "at",
                NOW.toString()));
    products.refresh();
    assertThat(products.currentSnapshot().snapshotId()).isEqualTo(s1);
    assertThat(products.properties())
        .containsEntry("lakehouse.rollback.by", "alice")
        .containsEntry("lakehouse.rollback.reason", "bad price file")
        .containsEntry("lakehouse.rollback.from-snapshot-id", Long.toString(s3))
        .containsEntry("lakehouse.rollback.to-snapshot-id", Long.toString(s1));
    List<PipelineRun> runs = new RunLog(catalog).forExecution("admin-1");
    assertThat(runs)
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.step()).isEqualTo("rollback");
              assertThat(run.tableName()).isEqualTo("curated_products");
              assertThat(run.snapshotId()).isEqualTo(s1);
              assertThat(run.message())
                  .isEqualTo("rolled back from " + s3 + " to " + s1 + " by alice: bad price file");
            });
    assertThat(call(Map.of("operation", "timeTravel", "table", "curated_products")))
        .containsEntry("rowCount", 2L);

    // s3 is no longer an ancestor of the current snapshot: refused, as is an id the table never
    // had.
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "rollback",
                        "table",
                        "curated_products",
                        "snapshotId",
                        s3,
                        "actor",
                        "alice",
                        "reason",
                        "undo")))
        .isInstanceOf(SnapshotNotFound.class)
        .hasMessageContaining("is not in the current history");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "rollback",
                        "table",
                        "curated_products",
                        "snapshotId",
                        123456789L,
                        "actor",
                        "alice",
                        "reason",
                        "typo")))
        .isInstanceOf(SnapshotNotFound.class)
        .hasMessageContaining("snapshot 123456789 is not in the history");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "rollback",
                        "table",
                        "curated_products",
                        "snapshotId",
                        s1,
                        "reason",
                        "x")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("rollback needs 'actor'");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "rollback",
                        "table",
                        "curated_products",
                        "snapshotId",
                        s1,
                        "actor",
                        "x")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("rollback needs 'reason'");
  }

  @Test
  void evolvesTheSchemaWithoutRewriting() {
    Map<String, Object> added =
        call(
            Map.of(
                "operation",
                "addColumn",
                "table",
                "curated_products",
                "column",
                "supplier",
                "type",
                "string",
                "doc",
                "who supplies it"));
    assertThat(added)
        .contains(
            entry("change", "supplier string (optional)"),
            entry("previousSchemaId", 0),
            entry("schemaId", 1));
    assertThat(list(added.get("columns")))
        .last()
        .isEqualTo(
            Map.of(
                "id",
                20,
                "name",
                "supplier",
                "type",
                "string",
                "required",
                false,
                "doc",
                "who supplies it"));

    assertThat(
            call(
                Map.of(
                    "operation",
                    "renameColumn",
                    "table",
                    "curated_products",
                    "column",
                    "brand",
                    "newName",
                    "brand_name")))
        .containsEntry("change", "brand -> brand_name");
    assertThat(
            call(
                Map.of(
                    "operation",
                    "widenColumn",
                    "table",
                    "curated_products",
                    "column",
                    "stock_quantity",
                    "type",
                    "long")))
        .containsEntry("change", "stock_quantity int -> long");
    assertThat(
            call(
                Map.of(
                    "operation",
                    "widenColumn",
                    "table",
                    "curated_products",
                    "column",
                    "price",
                    "type",
                    "decimal(12, 2)")))
        .containsEntry("change", "price decimal(10, 2) -> decimal(12, 2)");
    // Old files read through the evolved schema: same rows, new column null.
    Map<String, Object> now = call(Map.of("operation", "timeTravel", "table", "curated_products"));
    assertThat(list(now.get("rows")))
        .allSatisfy(
            row -> assertThat(row).containsEntry("supplier", null).containsKey("brand_name"));

    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "addColumn",
                        "table",
                        "curated_products",
                        "column",
                        "supplier",
                        "type",
                        "string")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("curated_products already has a column named supplier");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "addColumn",
                        "table",
                        "curated_products",
                        "column",
                        "x",
                        "type",
                        "varchar")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageStartingWith("unknown type 'varchar'");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "addColumn",
                        "table",
                        "curated_products",
                        "column",
                        "Bad-Name",
                        "type",
                        "int")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("column name 'Bad-Name' is not allowed");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "renameColumn",
                        "table",
                        "curated_products",
                        "column",
                        "product_id",
                        "newName",
                        "id")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("business key");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "renameColumn",
                        "table",
                        "curated_products",
                        "column",
                        "nope",
                        "newName",
                        "x")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("has no column nope");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "widenColumn",
                        "table",
                        "curated_products",
                        "column",
                        "product_name",
                        "type",
                        "int")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("cannot widen product_name from string to int");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "widenColumn",
                        "table",
                        "curated_products",
                        "column",
                        "stock_quantity",
                        "type",
                        "long")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("stock_quantity is already long");
  }

  @Test
  void evolvesPartitioning() {
    Map<String, Object> added =
        call(
            Map.of(
                "operation",
                "addPartitionField",
                "table",
                "curated_products",
                "transform",
                "bucket(8, product_id)"));
    assertThat(added).contains(entry("previousSpecId", 0), entry("specId", 1));
    assertThat(list(added.get("partitionFields")))
        .containsExactly(
            Map.of(
                "name",
                "product_id_bucket_8",
                "transform",
                "bucket[8]",
                "sourceColumn",
                "product_id"));
    Map<String, Object> removed =
        call(
            Map.of(
                "operation",
                "removePartitionField",
                "table",
                "curated_orders",
                "field",
                "month(order_date)"));
    assertThat(removed).contains(entry("previousSpecId", 0), entry("partitionFields", List.of()));

    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "addPartitionField",
                        "table",
                        "curated_products",
                        "transform",
                        "bucket(8, product_id)")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("cannot add partition field bucket(8, product_id)");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "addPartitionField",
                        "table",
                        "curated_products",
                        "transform",
                        "day(nope)")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("has no column nope");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "addPartitionField",
                        "table",
                        "curated_products",
                        "transform",
                        "bucket(product_id)")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("bucket needs a width: bucket(N, product_id)");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "addPartitionField",
                        "table",
                        "curated_products",
                        "transform",
                        "weekly(x")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("is not a partition transform");
    assertThatThrownBy(
            () ->
                call(
                    Map.of(
                        "operation",
                        "removePartitionField",
                        "table",
                        "raw_orders",
                        "field",
                        "nope")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("has no partition field nope");
  }

  @Test
  void rejectsUnknownOperationsAndTables() {
    assertThatThrownBy(() -> call(Map.of("operation", "drop", "table", "curated_products")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageStartingWith("unknown operation 'drop'; one of [listTables, createTables");
    assertThatThrownBy(() -> call(Map.of("operation", "describe", "table", "invoices")))
        .isInstanceOf(UnknownTableException.class)
        .hasMessageStartingWith("unknown table 'invoices'");
    assertThatThrownBy(() -> call(Map.of("operation", "describe")))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("missing argument 'table'");
    assertThatThrownBy(() -> call(Map.of("operation", "timeTravel", "table", "raw_orders")))
        .isInstanceOf(SnapshotNotFound.class)
        .hasMessage("raw_orders has no snapshots yet (no data was ever written)");
  }

  @Test
  void actsAsACloudFormationCustomResource() throws java.io.IOException {
    java.nio.file.Files.createDirectories(home.resolve("cfn"));
    CatalogSettings fresh = CatalogSettings.embedded(home.resolve("cfn"));
    TableAdminHandler cfn =
        new TableAdminHandler(
            new TableAdmin(CatalogFactory.create(fresh), fresh, Clock.systemUTC()));
    Map<String, Object> create =
        new HashMap<>(
            Map.of(
                "RequestType",
                "Create",
                "RequestId",
                "req-1",
                "ResourceProperties",
                Map.of("ServiceToken", "arn:x", "operation", "createTables")));

    Map<String, Object> created = cfn.handleRequest(create, new TestContext());
    assertThat(created).containsEntry("PhysicalResourceId", "lakehouse-tables-ecommerce_lakehouse");
    assertThat(map(created.get("Data")))
        .containsEntry("TableCount", "10")
        .containsEntry("Existing", "")
        .containsEntry(
            "Created",
            "raw_customers,raw_products,raw_orders,curated_customers,curated_products,"
                + "curated_orders,curated_order_items,agg_daily_metrics,quarantine,pipeline_runs");

    create.put("RequestType", "Update");
    create.put("PhysicalResourceId", "lakehouse-tables-ecommerce_lakehouse");
    assertThat(map(cfn.handleRequest(create, new TestContext()).get("Data")))
        .containsEntry("Created", "");

    Map<String, Object> deleted =
        cfn.handleRequest(
            Map.of(
                "RequestType",
                "Delete",
                "PhysicalResourceId",
                "lakehouse-tables-ecommerce_lakehouse",
                "ResourceProperties",
                Map.of("operation", "createTables")),
            null);
    assertThat(deleted)
        .isEqualTo(
            Map.of(
                "PhysicalResourceId",
                "lakehouse-tables-ecommerce_lakehouse",
                "Data",
                Map.of("Retained", "true")));
    assertThat(CatalogFactory.create(fresh).tableExists(LakehouseTables.RAW_ORDERS.identifier()))
        .isTrue();

    assertThatThrownBy(
            () ->
                cfn.handleRequest(
                    Map.of(
                        "RequestType",
                        "Create",
                        "ResourceProperties",
                        Map.of("operation", "dropAll")),
                    null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessageContaining("not 'dropAll'");
  }

  private Map<String, Object> call(Map<String, Object> event) {
    return handler.handleRequest(event, new TestContext());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
