package dev.lakehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.admin.TableAdmin;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers' keys in the order the Lambda writes them, and the Java types of their values (what
 * decides the JSON: a snapshot id a number, a time an ISO-8601 string): the shape callers of the
 * TableAdmin function read.
 */
class TableAdminAnswerShapeTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @TempDir Path home;
  TableAdminHandler handler;
  Table products;
  long s1;
  long s2;

  @BeforeEach
  void setUp() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    var catalog = CatalogFactory.create(settings);
    handler =
        new TableAdminHandler(new TableAdmin(catalog, settings, Clock.fixed(NOW, ZoneOffset.UTC)));
    assertThat(call(Map.of("operation", "createTables")).keySet())
        .containsExactly(
            "namespace", "namespaceCreated", "created", "existing", "migrated", "propertiesAdded");
    products = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    s1 = Tables.append(products, Tables.product(products, "p1", "10.00"));
    s2 = Tables.append(products, Tables.product(products, "p2", "20.00"));
  }

  @Test
  void inspectionAnswers() {
    Map<String, Object> list = call(Map.of("operation", "listTables"));
    assertThat(list.keySet()).containsExactly("namespace", "tables");
    assertThat(list(list.get("tables")).get(0))
        .isEqualTo(Map.of("table", "raw_customers", "zone", "bronze"));

    Map<String, Object> d = call(Map.of("operation", "describe", "table", "curated_products"));
    assertThat(d.keySet())
        .containsExactly(
            "table",
            "qualifiedName",
            "zone",
            "location",
            "formatVersion",
            "schemaId",
            "columns",
            "partitionSpecId",
            "partitionFields",
            "sortOrder",
            "businessKey",
            "properties",
            "currentSnapshotId",
            "snapshotCount",
            "totalRecords",
            "totalDataFiles");
    assertThat(list(d.get("columns")).get(0).keySet())
        .containsExactly("id", "name", "type", "required");
    assertThat(d.get("currentSnapshotId")).isEqualTo(s2);
    assertThat(d.get("schemaId")).isEqualTo(0);

    Map<String, Object> snaps = call(Map.of("operation", "snapshots", "table", "curated_products"));
    assertThat(snaps.keySet()).containsExactly("table", "currentSnapshotId", "snapshots");
    Map<String, Object> first = list(snaps.get("snapshots")).get(0);
    assertThat(first.keySet())
        .containsExactly(
            "snapshotId",
            "parentId",
            "sequenceNumber",
            "committedAt",
            "operation",
            "summary",
            "isCurrent");
    assertThat(first)
        .containsEntry("sequenceNumber", 1L)
        .containsEntry(
            "committedAt",
            Instant.ofEpochMilli(products.snapshot(s1).timestampMillis()).toString());

    Map<String, Object> history =
        list(call(Map.of("operation", "history", "table", "curated_products")).get("history"))
            .get(1);
    assertThat(history).containsEntry("snapshotId", s2).containsEntry("isCurrentAncestor", true);
    assertThat(history.keySet())
        .containsExactly("snapshotId", "madeCurrentAt", "isCurrentAncestor");
    assertThat(history.get("madeCurrentAt"))
        .isEqualTo(Instant.ofEpochMilli(products.snapshot(s2).timestampMillis()).toString());
  }

  @Test
  void timeTravelDiffAndRollbackAnswers() {
    Map<String, Object> t =
        call(Map.of("operation", "timeTravel", "table", "curated_products", "limit", 1));
    assertThat(t.keySet())
        .containsExactly("table", "snapshotId", "committedAt", "operation", "rowCount", "rows");
    assertThat(t)
        .containsEntry("snapshotId", s2)
        .containsEntry("rowCount", 2L)
        .containsEntry(
            "committedAt",
            Instant.ofEpochMilli(products.snapshot(s2).timestampMillis()).toString());

    Map<String, Object> d =
        call(Map.of("operation", "diff", "table", "curated_products", "fromSnapshotId", s1));
    assertThat(d.keySet())
        .containsExactly(
            "table",
            "keyColumns",
            "fromSnapshotId",
            "toSnapshotId",
            "fromRows",
            "toRows",
            "added",
            "removed",
            "changed",
            "unchanged",
            "samples");
    assertThat(map(d.get("samples")).keySet()).containsExactly("added", "removed", "changed");

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
                "test",
                "executionId",
                "admin-1"));
    assertThat(r.keySet())
        .containsExactly(
            "table",
            "fromSnapshotId",
            "toSnapshotId",
            "changed",
            "actor",
            "reason",
            "executionId",
            "at");
    assertThat(r).containsEntry("at", "2026-11-25T12:00:00Z");
  }

  @Test
  void evolutionAnswers() {
    Map<String, Object> s =
        call(
            Map.of(
                "operation",
                "addColumn",
                "table",
                "curated_products",
                "column",
                "supplier",
                "type",
                "string"));
    assertThat(s.keySet())
        .containsExactly("table", "operation", "change", "previousSchemaId", "schemaId", "columns");
    assertThat(list(s.get("columns")))
        .last()
        .isEqualTo(Map.of("id", 20, "name", "supplier", "type", "string", "required", false));

    Map<String, Object> p =
        call(
            Map.of(
                "operation",
                "addPartitionField",
                "table",
                "curated_products",
                "transform",
                "truncate(2, category)",
                "name",
                "category_prefix"));
    assertThat(p.keySet())
        .containsExactly(
            "table", "operation", "change", "previousSpecId", "specId", "partitionFields");
    assertThat(list(p.get("partitionFields")))
        .containsExactly(
            Map.of(
                "name", "category_prefix", "transform", "truncate[2]", "sourceColumn", "category"));
  }

  private Map<String, Object> call(Map<String, Object> event) {
    return handler.handleRequest(event, new TestContext());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }
}
