package dev.lakehouse.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.nio.file.Path;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableProvisionerTest {
  @TempDir Path home;

  @Test
  void createsEveryDeclaredTableExactlyAsDeclared() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);

    TableProvisioner.Result result = new TableProvisioner(catalog, settings).provision();

    assertThat(result.namespaceCreated()).isTrue();
    assertThat(result.created()).hasSize(10);
    assertThat(result.existing()).isEmpty();
    for (TableDefinition declared : LakehouseTables.all()) {
      Table table = catalog.loadTable(declared.identifier());
      assertThat(table.schema().sameSchema(declared.schema())).as(declared.name()).isTrue();
      assertThat(table.schema().asStruct()).isEqualTo(declared.schema().asStruct());
      assertThat(table.spec().fields()).hasSameSizeAs(declared.spec().fields());
      for (int i = 0; i < declared.spec().fields().size(); i++) {
        assertThat(table.spec().fields().get(i).name())
            .isEqualTo(declared.spec().fields().get(i).name());
        assertThat(table.spec().fields().get(i).transform().toString())
            .isEqualTo(declared.spec().fields().get(i).transform().toString());
        assertThat(table.spec().fields().get(i).sourceId())
            .isEqualTo(declared.spec().fields().get(i).sourceId());
      }
      assertThat(table.sortOrder().fields()).hasSameSizeAs(declared.sortOrder().fields());
      // format-version is a reserved property: Iceberg applies it to the metadata instead of
      // storing it.
      var expected = new java.util.HashMap<>(declared.properties());
      assertThat(expected.remove("format-version")).isEqualTo("2");
      assertThat(table.properties()).containsAllEntriesOf(expected);
      assertThat(
              ((org.apache.iceberg.HasTableOperations) table)
                  .operations()
                  .current()
                  .formatVersion())
          .isEqualTo(2);
      assertThat(table.location())
          .isEqualTo(settings.tableLocation(declared.zone().warehousePrefix(), declared.name()));
      assertThat(table.currentSnapshot()).isNull();
    }
    assertThat(catalog.loadTable(LakehouseTables.RAW_ORDERS.identifier()).location())
        .endsWith("/warehouse/raw/raw_orders");
  }

  @Test
  void secondProvisionIsANoOp() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    new TableProvisioner(CatalogFactory.create(settings), settings).provision();
    Catalog fresh = CatalogFactory.create(settings);
    String metadataBefore = currentMetadata(fresh);

    TableProvisioner.Result second = new TableProvisioner(fresh, settings).provision();

    assertThat(second.changedAnything()).isFalse();
    assertThat(second.existing()).hasSize(10);
    assertThat(currentMetadata(fresh)).isEqualTo(metadataBefore);
  }

  @Test
  void aCatalogAtTheCurrentDeclarationsIsNotProvisionedAgain() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);

    var first = new TableProvisioner(catalog, settings).provisionUnlessCurrent();
    assertThat(first).isPresent();
    assertThat(first.get().created()).hasSize(10);
    String metadataBefore = currentMetadata(catalog);

    assertThat(
            new TableProvisioner(CatalogFactory.create(settings), settings)
                .provisionUnlessCurrent())
        .isEmpty();
    assertThat(currentMetadata(catalog)).isEqualTo(metadataBefore);
  }

  @Test
  void aDroppedTableOrAnOlderCatalogIsProvisionedInFull() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provisionUnlessCurrent();

    catalog.dropTable(LakehouseTables.RAW_ORDERS.identifier(), true);
    var afterDrop = new TableProvisioner(catalog, settings).provisionUnlessCurrent();
    assertThat(afterDrop).isPresent();
    assertThat(afterDrop.get().created()).containsExactly("raw_orders");

    // A catalog provisioned by an earlier release records another fingerprint (or none).
    var ns = org.apache.iceberg.catalog.Namespace.of(LakehouseTables.NAMESPACE);
    ((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
        .setProperties(ns, java.util.Map.of(TableProvisioner.PROVISIONED_PROPERTY, "0.1"));
    var older = new TableProvisioner(catalog, settings).provisionUnlessCurrent();
    assertThat(older).isPresent();
    assertThat(older.get().existing()).hasSize(10);
    assertThat(
            ((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
                .loadNamespaceMetadata(ns)
                .get(TableProvisioner.PROVISIONED_PROPERTY))
        .isEqualTo(TableProvisioner.declarationsFingerprint(LakehouseTables.all()))
        .hasSize(64);
  }

  @Test
  void aTableOfAnEarlierReleaseGetsTheDeclaredPropertiesItLacksAndKeepsAnOperatorsOwn() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision();
    // pipeline_runs as an earlier release created it (truncated bounds for its ids), where an
    // operator has since chosen counts only for source_file.
    Table runs = catalog.loadTable(LakehouseTables.PIPELINE_RUNS.identifier());
    runs.updateProperties()
        .remove("write.metadata.metrics.column.execution_id")
        .set("write.metadata.metrics.column.source_file", "counts")
        .commit();

    TableProvisioner.Result result = new TableProvisioner(catalog, settings).provision();

    assertThat(result.propertiesAdded())
        .isEqualTo(
            java.util.Map.of(
                "pipeline_runs",
                java.util.Map.of("write.metadata.metrics.column.execution_id", "full")));
    assertThat(result.migrated()).isEmpty();
    assertThat(result.changedAnything()).isTrue();
    runs.refresh();
    assertThat(runs.properties())
        .containsEntry("write.metadata.metrics.column.execution_id", "full")
        .containsEntry("write.metadata.metrics.column.source_file", "counts")
        .doesNotContainKey("format-version");
    assertThat(new TableProvisioner(catalog, settings).provision().changedAnything()).isFalse();
  }

  private static String currentMetadata(Catalog catalog) {
    StringBuilder all = new StringBuilder();
    for (TableDefinition t : LakehouseTables.all()) {
      all.append(
              ((org.apache.iceberg.HasTableOperations) catalog.loadTable(t.identifier()))
                  .operations()
                  .current()
                  .metadataFileLocation())
          .append('\n');
    }
    return all.toString();
  }
}
