package dev.lakehouse.core.admin;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables created by the previous release (its schemas, verbatim) are brought to the declarations in
 * place.
 */
class SchemaMigrationTest {
  /** raw_customers as release 0.1 created it. */
  static final Schema RAW_CUSTOMERS_0_1 =
      new Schema(
          required(1, "customer_id", Types.StringType.get()),
          optional(2, "email", Types.StringType.get()),
          optional(3, "first_name", Types.StringType.get()),
          optional(4, "last_name", Types.StringType.get()),
          optional(5, "phone", Types.StringType.get()),
          optional(
              6,
              "address",
              Types.MapType.ofOptional(13, 14, Types.StringType.get(), Types.StringType.get())),
          optional(7, "registration_date", Types.TimestampType.withZone()),
          optional(8, "updated_at", Types.TimestampType.withZone()),
          required(9, "_ingestion_timestamp", Types.TimestampType.withZone()),
          required(10, "_source_file", Types.StringType.get()),
          required(11, "_source_line", Types.LongType.get()),
          required(12, "_execution_id", Types.StringType.get()));

  /** curated_order_items as release 0.1 created it. */
  static final Schema CURATED_ORDER_ITEMS_0_1 =
      new Schema(
          required(1, "order_id", Types.StringType.get()),
          required(2, "line_number", Types.IntegerType.get()),
          required(3, "product_id", Types.StringType.get()),
          required(4, "category", Types.StringType.get()),
          required(5, "quantity", Types.IntegerType.get()),
          required(6, "unit_price", Types.DecimalType.of(10, 2)),
          required(7, "discount", Types.DecimalType.of(5, 2)),
          required(8, "item_net", Types.DecimalType.of(18, 4)),
          required(9, "order_date", Types.TimestampType.withZone()),
          required(10, "status", Types.StringType.get()),
          required(11, "_updated_at", Types.TimestampType.withZone()));

  @TempDir Path home;
  Catalog catalog;
  CatalogSettings settings;

  @BeforeEach
  void catalog() {
    settings = CatalogSettings.embedded(home);
    catalog = CatalogFactory.create(settings);
    ((SupportsNamespaces) catalog).createNamespace(Namespace.of(LakehouseTables.NAMESPACE));
  }

  @Test
  void renamesKeepTheFieldIdAndAddedColumnsGoWhereDeclared() {
    Table legacy = create(LakehouseTables.RAW_CUSTOMERS, RAW_CUSTOMERS_0_1);

    List<String> preview = SchemaMigration.of(legacy, LakehouseTables.RAW_CUSTOMERS).changes();
    assertThat(
            catalog
                .loadTable(LakehouseTables.RAW_CUSTOMERS.identifier())
                .schema()
                .findField("created_at"))
        .as("changes() only previews")
        .isNull();

    TableProvisioner.Result result =
        new TableProvisioner(catalog, settings).provision(List.of(LakehouseTables.RAW_CUSTOMERS));

    assertThat(result.migrated())
        .isEqualTo(
            Map.of(
                "raw_customers",
                List.of(
                    "renamed registration_date to created_at",
                    "added source_system string",
                    "ordered columns as declared")));
    assertThat(result.migrated().get("raw_customers")).isEqualTo(preview);
    Schema migrated = catalog.loadTable(LakehouseTables.RAW_CUSTOMERS.identifier()).schema();
    assertThat(names(migrated)).isEqualTo(names(LakehouseTables.RAW_CUSTOMERS.schema()));
    assertThat(migrated.findField("created_at").fieldId())
        .as("same id as registration_date had")
        .isEqualTo(7);
    assertThat(migrated.findField("source_system").fieldId()).as("next free id").isEqualTo(15);
    assertThat(migrated.findField("source_system").isOptional()).isTrue();
  }

  @Test
  void aSecondRunChangesNothing() {
    create(LakehouseTables.CURATED_ORDER_ITEMS, CURATED_ORDER_ITEMS_0_1);
    TableProvisioner provisioner = new TableProvisioner(catalog, settings);
    assertThat(provisioner.provision(List.of(LakehouseTables.CURATED_ORDER_ITEMS)).migrated())
        .isEqualTo(Map.of("curated_order_items", List.of("renamed status to order_status")));
    String metadata = metadataLocation(LakehouseTables.CURATED_ORDER_ITEMS);

    TableProvisioner.Result again =
        provisioner.provision(List.of(LakehouseTables.CURATED_ORDER_ITEMS));

    assertThat(again.changedAnything()).isFalse();
    assertThat(metadataLocation(LakehouseTables.CURATED_ORDER_ITEMS)).isEqualTo(metadata);
  }

  @Test
  void aDriftColumnHoldingADeclaredNameWithAnotherTypeIsRenamedAsideNotLost() {
    Table legacy = create(LakehouseTables.RAW_CUSTOMERS, RAW_CUSTOMERS_0_1);
    // What bronze did with seed-shaped files before the declaration knew these fields.
    legacy
        .updateSchema()
        .addColumn("created_at", Types.StringType.get(), "added by schema drift in a landed file")
        .addColumn(
            "source_system", Types.StringType.get(), "added by schema drift in a landed file")
        .commit();

    List<String> changes = SchemaMigration.of(legacy, LakehouseTables.RAW_CUSTOMERS).commit();

    assertThat(changes)
        .containsExactly(
            "renamed drift column created_at (string) to _drift_created_at",
            "renamed registration_date to created_at",
            "ordered columns as declared");
    Schema migrated = legacy.schema();
    assertThat(migrated.findField("created_at").fieldId()).isEqualTo(7);
    assertThat(migrated.findField("created_at").type()).isEqualTo(Types.TimestampType.withZone());
    assertThat(migrated.findField("_drift_created_at").fieldId()).isEqualTo(15);
    assertThat(migrated.findField("source_system").fieldId())
        .as("the drift column is adopted")
        .isEqualTo(16);
    assertThat(names(migrated)).containsSubsequence(names(LakehouseTables.RAW_CUSTOMERS.schema()));
  }

  @Test
  void aColumnWhoseTypeContradictsTheDeclarationIsRefusedWithTheFix() {
    Table legacy = create(LakehouseTables.CURATED_ORDER_ITEMS, CURATED_ORDER_ITEMS_0_1);
    legacy.updateSchema().renameColumn("status", "order_status").commit();
    legacy.updateSchema().deleteColumn("quantity").commit();
    legacy.updateSchema().addColumn("quantity", Types.StringType.get()).commit();

    assertThatThrownBy(
            () -> SchemaMigration.of(legacy, LakehouseTables.CURATED_ORDER_ITEMS).commit())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "curated_order_items: column quantity is string but the declaration wants quantity int;"
                + " migrate it by hand (lakehouse describe curated_order_items)");
  }

  private Table create(TableDefinition definition, Schema legacySchema) {
    return catalog
        .buildTable(definition.identifier(), legacySchema)
        .withPartitionSpec(PartitionSpec.unpartitioned())
        .withLocation(
            settings.tableLocation(definition.zone().warehousePrefix(), definition.name()))
        .create();
  }

  private String metadataLocation(TableDefinition definition) {
    return ((org.apache.iceberg.HasTableOperations) catalog.loadTable(definition.identifier()))
        .operations()
        .current()
        .metadataFileLocation();
  }

  private static List<String> names(Schema schema) {
    return schema.columns().stream().map(Types.NestedField::name).toList();
  }
}
