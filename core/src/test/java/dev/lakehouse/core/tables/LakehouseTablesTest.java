package dev.lakehouse.core.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class LakehouseTablesTest {

  /**
   * Field ids are the table contract: Iceberg resolves columns by id, so a renumbered id silently
   * reads the wrong column from old files. The golden file pins the ids a table created by this
   * release gets; an existing table keeps its ids and is migrated by name ({@code
   * SchemaMigrationTest}), so a changed line here needs a migration.
   */
  @Test
  void fieldIdsMatchTheGoldenFile() throws IOException {
    String actual =
        LakehouseTables.all().stream()
                .map(LakehouseTablesTest::fingerprint)
                .collect(Collectors.joining("\n"))
            + "\n";
    try (InputStream golden = getClass().getResourceAsStream("/table-field-ids.txt")) {
      assertThat(actual).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void declaresEveryTableOfEveryZone() {
    assertThat(LakehouseTables.inZone(Zone.BRONZE))
        .extracting(TableDefinition::name)
        .containsExactly("raw_customers", "raw_products", "raw_orders");
    assertThat(LakehouseTables.inZone(Zone.SILVER))
        .extracting(TableDefinition::name)
        .containsExactly(
            "curated_customers", "curated_products", "curated_orders", "curated_order_items");
    assertThat(LakehouseTables.inZone(Zone.GOLD))
        .extracting(TableDefinition::name)
        .containsExactly("agg_daily_metrics");
    assertThat(LakehouseTables.inZone(Zone.OPERATIONS))
        .extracting(TableDefinition::name)
        .containsExactly("quarantine", "pipeline_runs");
  }

  @Test
  void bronzeTablesCarryLineageColumnsAndHiddenDayPartitioning() {
    for (TableDefinition raw : LakehouseTables.inZone(Zone.BRONZE)) {
      assertThat(raw.schema().findField("_ingestion_timestamp").type())
          .isEqualTo(Types.TimestampType.withZone());
      assertThat(raw.schema().findField("_source_file").isRequired()).isTrue();
      assertThat(raw.schema().findField("_source_line").type()).isEqualTo(Types.LongType.get());
      assertThat(raw.schema().findField("_execution_id").isRequired()).isTrue();
      assertThat(raw.spec().fields()).hasSize(1);
      assertThat(raw.spec().fields().get(0).transform().toString()).isEqualTo("day");
      assertThat(raw.spec().fields().get(0).name()).isEqualTo("_ingestion_timestamp_day");
    }
  }

  @Test
  void moneyIsDecimalEverywhere() {
    for (TableDefinition table : LakehouseTables.all()) {
      TypeUtil.indexByName(table.schema().asStruct())
          .forEach(
              (name, id) -> {
                var type = table.schema().findType(id);
                assertThat(type.typeId())
                    .as("%s.%s", table.name(), name)
                    .isNotIn(
                        org.apache.iceberg.types.Type.TypeID.DOUBLE,
                        org.apache.iceberg.types.Type.TypeID.FLOAT);
              });
    }
    assertThat(LakehouseTables.RAW_ORDERS.schema().findType("items.element.unit_price"))
        .isEqualTo(Types.DecimalType.of(10, 2));
    assertThat(LakehouseTables.RAW_ORDERS.schema().findType("items.element.discount"))
        .isEqualTo(Types.DecimalType.of(5, 2));
    assertThat(LakehouseTables.CURATED_ORDERS.schema().findType("net_amount"))
        .isEqualTo(Types.DecimalType.of(12, 2));
  }

  @Test
  void propertiesFollowTheZone() {
    var silver = LakehouseTables.CURATED_ORDERS.properties();
    assertThat(silver)
        .containsEntry("format-version", "2")
        .containsEntry("write.format.default", "parquet")
        .containsEntry("write.parquet.compression-codec", "zstd")
        .containsEntry("write.target-file-size-bytes", "134217728")
        .containsEntry("history.expire.max-snapshot-age-ms", "604800000")
        .containsEntry("write.metadata.delete-after-commit.enabled", "true")
        .containsEntry("write.metadata.previous-versions-max", "50")
        .containsEntry("write.distribution-mode", "hash")
        .containsEntry("write.merge.mode", "merge-on-read")
        .containsEntry("lakehouse.zone", "silver");
    assertThat(LakehouseTables.CURATED_PRODUCTS.properties())
        .containsEntry("write.distribution-mode", "none")
        .doesNotContainKey("write.spark.fanout.enabled");
    assertThat(LakehouseTables.RAW_ORDERS.properties())
        .containsEntry("write.distribution-mode", "none")
        .containsEntry("write.spark.fanout.enabled", "true");
    assertThat(LakehouseTables.AGG_DAILY_METRICS.properties())
        .containsEntry("write.merge.mode", "copy-on-write");
  }

  @Test
  void partitionedSilverTablesCompactAfterEachWrite() {
    assertThat(
            LakehouseTables.all().stream()
                .filter(t -> "true".equals(t.properties().get(TableProperties.COMPACT_AFTER_WRITE)))
                .map(TableDefinition::name))
        .containsExactly("curated_orders", "curated_order_items");
    assertThat(LakehouseTables.all())
        .allSatisfy(
            t ->
                assertThat(t.properties())
                    .containsEntry(TableProperties.COMPACT_MIN_INPUT_FILES, "5"));
    // Tables provisioned before the properties existed get what they are declared with now.
    Map<String, String> olderSilver = Map.of(TableProperties.ZONE, "silver");
    assertThat(TableProperties.compactAfterWrite(olderSilver, true)).isTrue();
    assertThat(TableProperties.compactAfterWrite(olderSilver, false)).isFalse();
    assertThat(TableProperties.compactAfterWrite(Map.of(TableProperties.ZONE, "gold"), true))
        .isFalse();
    assertThat(TableProperties.compactMinInputFiles(olderSilver)).isEqualTo(5);
    // An operator's choice wins, and a threshold that is not a whole number is named.
    assertThat(
            TableProperties.compactAfterWrite(
                Map.of(
                    TableProperties.ZONE, "silver", TableProperties.COMPACT_AFTER_WRITE, "false"),
                true))
        .isFalse();
    assertThat(
            TableProperties.compactMinInputFiles(
                Map.of(TableProperties.COMPACT_MIN_INPUT_FILES, " 12 ")))
        .isEqualTo(12);
    assertThatThrownBy(
            () ->
                TableProperties.compactMinInputFiles(
                    Map.of(TableProperties.COMPACT_MIN_INPUT_FILES, "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lakehouse.compact.min-input-files must be a whole number of at least 1, was '0'");
  }

  @Test
  void findsTablesByShortOrQualifiedName() {
    assertThat(LakehouseTables.byName("RAW_ORDERS")).isSameAs(LakehouseTables.RAW_ORDERS);
    assertThat(LakehouseTables.byName("ecommerce_lakehouse.agg_daily_metrics"))
        .isSameAs(LakehouseTables.AGG_DAILY_METRICS);
    assertThatThrownBy(() -> LakehouseTables.byName("raw_invoices"))
        .isInstanceOf(UnknownTableException.class)
        .hasMessage(
            "unknown table 'raw_invoices'; known tables: raw_customers, raw_products, raw_orders, "
                + "curated_customers, curated_products, curated_orders, curated_order_items, agg_daily_metrics, "
                + "quarantine, pipeline_runs");
  }

  @Test
  void landingKeysMapToSourceEntities() {
    assertThat(SourceEntity.forLandingKey("landing/orders/2026/11/25/o.jsonl"))
        .contains(SourceEntity.ORDERS);
    assertThat(SourceEntity.forLandingKey("landing/customers/c.csv"))
        .contains(SourceEntity.CUSTOMERS);
    assertThat(SourceEntity.forLandingKey("landing/invoices/i.jsonl")).isEmpty();
    assertThat(SourceEntity.forLandingKey("landing/raw_orders/o.jsonl")).isEmpty();
    assertThat(SourceEntity.forLandingKey("orders/o.jsonl")).isEmpty();
    assertThat(SourceEntity.forLandingKey("landing/orders.jsonl")).isEmpty();
    assertThat(SourceEntity.ORDERS.landingPrefix()).isEqualTo("landing/orders/");
  }

  private static String fingerprint(TableDefinition table) {
    StringBuilder out = new StringBuilder(table.name()).append(':');
    TypeUtil.indexById(table.schema().asStruct()).entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(
            e ->
                out.append(' ')
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue().name())
                    .append(e.getValue().isRequired() ? "!" : "")
                    .append(':')
                    .append(
                        e.getValue().type().isPrimitiveType()
                            ? e.getValue().type()
                            : e.getValue().type().typeId().toString().toLowerCase()));
    return out.toString();
  }
}
