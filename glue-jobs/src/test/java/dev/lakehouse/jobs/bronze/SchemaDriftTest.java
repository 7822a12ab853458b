package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.jobs.JobTestSupport;
import dev.lakehouse.jobs.LakehouseSpark;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift detection on plain JSON strings, parsed as bronze parses them (once, by the parser) and
 * tallied as bronze tallies them.
 */
class SchemaDriftTest {
  @TempDir Path home;

  @Test
  void newTopLevelFieldsGetTheWidestTypeTheirValuesNeed() {
    Map<String, Type> drift =
        detect(
            JobTestSupport.lakehouse(home),
            Set.of("customer_id", "email"),
            "{\"customer_id\":\"C1\",\"email\":\"a@b.c\",\"tier\":\"gold\",\"points\":5,\"vip\":true,"
                + "\"prefs\":{\"a\":\"b\"}}",
            "{\"customer_id\":\"C2\",\"points\":2.5,\"tags\":[1],\"nested\":{\"a\":{\"b\":1}},\"mixed\":true,"
                + "\"gone\":null}",
            "{\"customer_id\":\"C3\",\"mixed\":1,\"\":\"blank name\",\"count\":7,\"count2\":[1]}",
            "{\"customer_id\":\"C4\",\"count2\":3}",
            "not json",
            "[\"not an object\"]");

    Map<String, String> types = new LinkedHashMap<>();
    drift.forEach((field, type) -> types.put(field, type.toString()));
    // tags and count2 (an array somewhere) are not added; gone (only null) and the blank name are
    // not fields.
    assertThat(types)
        .containsExactly(
            Map.entry("count", "long"),
            Map.entry("mixed", "string"),
            Map.entry("nested", "string"),
            Map.entry("points", "decimal(38, 10)"),
            Map.entry("prefs", "map<string, string>"),
            Map.entry("tier", "string"),
            Map.entry("vip", "boolean"));
  }

  @Test
  void evolveAddsOnlyFieldsTheTableLacksInOneSchemaCommit() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Table table =
        LakehouseSpark.icebergCatalog(spark).loadTable(LakehouseTables.RAW_CUSTOMERS.identifier());
    Map<String, Type> drift = detect(spark, Set.of(), "{\"tier\":\"gold\",\"email\":\"a@b.c\"}");
    int schemas = table.schemas().size();

    assertThat(SchemaDrift.evolve(table, drift)).containsExactly("tier");
    assertThat(table.schemas()).hasSize(schemas + 1);
    assertThat(table.schema().findField("tier").doc())
        .isEqualTo("added by schema drift in a landed file");
    assertThat(SchemaDrift.evolve(table, drift)).isEmpty();
    assertThat(SchemaDrift.evolve(table, Map.of())).isEmpty();
    assertThat(table.schemas()).hasSize(schemas + 1);
  }

  /**
   * The drift of {@code json} as bronze finds it: parsed against a table of the {@code known}
   * columns, tallied over three partitions (so the partitions' tallies are merged).
   */
  private static Map<String, Type> detect(SparkSession spark, Set<String> known, String... json) {
    StructType schema = new StructType();
    for (String field : new java.util.TreeSet<>(known)) {
      schema = schema.add(field, DataTypes.StringType);
    }
    RecordParser parser = new RecordParser(schema, false);
    List<ParsedRecord> records =
        java.util.stream.IntStream.range(0, json.length)
            .mapToObj(i -> parser.parse(SourceRecord.of("s3://b/k", i + 1, json[i]), "customer_id"))
            .toList();
    return RecordTally.of(
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(records, 3))
        .drift();
  }
}
