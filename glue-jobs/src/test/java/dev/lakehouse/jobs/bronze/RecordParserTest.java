package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * The parser on plain strings: it needs the bronze schema as Spark types, never a Spark session.
 */
class RecordParserTest {
  static final RecordParser ORDERS = parser(LakehouseTables.RAW_ORDERS, false);
  static final RecordParser PRODUCTS = parser(LakehouseTables.RAW_PRODUCTS, false);
  static final RecordParser PRODUCTS_CSV = parser(LakehouseTables.RAW_PRODUCTS, true);
  static final RecordParser CUSTOMERS = parser(LakehouseTables.RAW_CUSTOMERS, false);

  static RecordParser parser(TableDefinition table, boolean lenientStrings) {
    return new RecordParser(SparkSchemaUtil.convert(table.schema()), lenientStrings);
  }

  @Test
  void lineageColumnsAreNotPartOfTheSource() {
    assertThat(ORDERS.sourceSchema().fieldNames())
        .containsExactly(
            "order_id",
            "customer_id",
            "order_status",
            "order_date",
            "required_date",
            "shipped_date",
            "delivery_date",
            "items",
            "shipping_address",
            "total_amount",
            "payment_method",
            "currency",
            "updated_at");
  }

  @Test
  void anOrderBecomesValuesInSourceSchemaOrder() {
    RecordParser.Parsed parsed =
        ORDERS.parse(
            """
        {"order_id":"O1","customer_id":"C1","order_status":"pending","order_date":"2026-11-01T12:00:00+02:00",
         "items":[{"product_id":"P1","quantity":3,"unit_price":10.00,"discount":0.1},null],
         "shipping_address":{"city":"Denver","zip":80202,"state":null},"total_amount":27.005,"currency":"USD"}""");

    assertThat(parsed.error()).isNull();
    Object[] values = parsed.values();
    assertThat(Arrays.asList(values).subList(0, 4))
        .containsExactly(
            "O1", "C1", "pending", Timestamp.from(Instant.parse("2026-11-01T10:00:00Z")));
    List<Object> items =
        new ArrayList<>(JavaConverters.seqAsJavaList((scala.collection.Seq<?>) values[7]));
    assertThat(items)
        .isEqualTo(
            Arrays.asList(
                RowFactory.create("P1", 3, new BigDecimal("10.00"), new BigDecimal("0.10")), null));
    Map<Object, Object> address =
        new LinkedHashMap<>(JavaConverters.mapAsJavaMap((scala.collection.Map<?, ?>) values[8]));
    Map<Object, Object> expectedAddress = new LinkedHashMap<>();
    expectedAddress.put("city", "Denver");
    expectedAddress.put("zip", "80202");
    expectedAddress.put("state", null);
    assertThat(address).containsExactlyEntriesOf(expectedAddress);
    // A source-computed total is rounded to cents, HALF_UP.
    assertThat(values[9]).isEqualTo(new BigDecimal("27.01"));
    assertThat(values[11]).isEqualTo("USD");
    assertThat(values[12]).isNull();
  }

  @Test
  void everyBrokenFieldIsNamedWithWhatWasExpectedAndWhatCame() {
    assertThat(error(ORDERS, "{\"customer_id\":\"C1\"}"))
        .isEqualTo("missing required field order_id");
    assertThat(error(ORDERS, "{\"order_id\":null}")).isEqualTo("missing required field order_id");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"items\":[{\"unit_price\":\"abc\"}]}"))
        .isEqualTo("field items[0].unit_price: expected decimal(10,2), got string \"abc\"");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"items\":[{\"unit_price\":10.005}]}"))
        .isEqualTo(
            "field items[0].unit_price: 10.005 has more than 2 decimal places for decimal(10,2)");
    // Jackson's tree drops trailing zeros of a decimal node, so the reason names the number without
    // them.
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"total_amount\":12345678901.00}"))
        .isEqualTo("field total_amount: 12345678901 is out of range for decimal(12,2)");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"items\":[{\"quantity\":2.5}]}"))
        .isEqualTo("field items[0].quantity: expected int, got 2.5");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"items\":[{\"quantity\":3000000000}]}"))
        .isEqualTo("field items[0].quantity: 3000000000 is out of range for int");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"items\":[{\"quantity\":\"3\"}]}"))
        .isEqualTo("field items[0].quantity: expected int, got string \"3\"");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"items\":[1]}"))
        .isEqualTo("field items[0]: expected object, got number 1");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"items\":{}}"))
        .isEqualTo("field items: expected array, got object");
    assertThat(error(ORDERS, "{\"order_id\":[\"O1\"]}"))
        .isEqualTo("field order_id: expected string, got array");
    assertThat(error(ORDERS, "{\"order_id\":\"O\\u00001\"}"))
        .isEqualTo("field order_id: contains a NUL character");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"order_date\":1700000000}"))
        .isEqualTo("field order_date: expected ISO-8601 timestamp, got number 1700000000");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"order_date\":\"" + "x".repeat(41) + "\"}"))
        .isEqualTo(
            "field order_date: expected ISO-8601 timestamp, got \"" + "x".repeat(37) + "...\"");
    assertThat(error(CUSTOMERS, "{\"customer_id\":\"C1\",\"address\":\"Denver\"}"))
        .isEqualTo("field address: expected object, got string \"Denver\"");
  }

  @Test
  void aRecordThatIsNoJsonObjectIsRejected() {
    assertThat(error(ORDERS, "[1]")).isEqualTo("record is not a JSON object");
    assertThat(error(ORDERS, "")).isEqualTo("record is not a JSON object");
    assertThat(error(ORDERS, "{\"order_id\":\"O1\",\"order_id\":\"O2\"}"))
        .isEqualTo("malformed JSON: Duplicate field 'order_id'");
    assertThat(error(ORDERS, "{\"order_id\":"))
        .startsWith("malformed JSON: Unexpected end-of-input");
  }

  @Test
  void csvValuesMayBeNumbersAndBooleansWrittenAsText() {
    String product =
        "{\"product_id\":\"P1\",\"price\":\" 10.5 \",\"stock_quantity\":\"7\",\"is_active\":\"TRUE\"}";

    assertThat(error(PRODUCTS, product))
        .isEqualTo("field stock_quantity: expected int, got string \"7\"");
    RecordParser.Parsed lenient = PRODUCTS_CSV.parse(product);
    List<String> names = List.of(PRODUCTS_CSV.sourceSchema().fieldNames());
    assertThat(lenient.values()[names.indexOf("price")]).isEqualTo(new BigDecimal("10.50"));
    assertThat(lenient.values()[names.indexOf("stock_quantity")]).isEqualTo(7);
    assertThat(lenient.values()[names.indexOf("is_active")]).isEqualTo(true);
    assertThat(error(PRODUCTS_CSV, "{\"product_id\":\"P1\",\"is_active\":\"yes\"}"))
        .isEqualTo("field is_active: expected boolean, got string \"yes\"");
  }

  @Test
  void aSourceRecordIsParsedOnceKeepingItsKeyAndTheFieldsTheTableLacks() {
    ParsedRecord parsed =
        PRODUCTS.parse(
            SourceRecord.of(
                "s3://b/p.jsonl",
                4,
                "{\"product_id\":\"P1\",\"tier\":\"gold\",\"_source_line\":9,\"gone\":null}"),
            "product_id");
    assertThat(parsed.ok()).isTrue();
    assertThat(parsed.key()).isEqualTo("P1");
    assertThat(parsed.extra()).containsOnlyKeys("tier");
    assertThat(parsed.raw()).isNotNull(); // kept until the drift column is filled

    ParsedRecord plain =
        PRODUCTS.parse(
            SourceRecord.of("s3://b/p.jsonl", 5, "{\"product_id\":\"P2\"}"), "product_id");
    assertThat(List.of(plain.key(), String.valueOf(plain.extra()), String.valueOf(plain.raw())))
        .containsExactly("P2", "null", "null");

    ParsedRecord cells =
        PRODUCTS.parse(
            new SourceRecord(
                "s3://b/p.csv",
                2,
                "P3,7",
                "{\"product_id\":\"P3\",\"stock_quantity\":\"7\"}",
                null,
                true),
            "product_id");
    assertThat(cells.ok()).isTrue();
    ParsedRecord problem =
        PRODUCTS.parse(
            SourceRecord.unreadable("s3://b/p.csv", 3, "P4", "too few cells"), "product_id");
    assertThat(List.of(problem.error(), problem.raw())).containsExactly("too few cells", "P4");
  }

  @Test
  void widenFillsTheColumnsDriftAddedOrRejectsAValueThatDoesNotFit() {
    ParsedRecord fits =
        PRODUCTS.parse(
            SourceRecord.of("s3://b/p.jsonl", 1, "{\"product_id\":\"P1\",\"points\":5}"),
            "product_id");
    ParsedRecord misfit =
        PRODUCTS.parse(
            SourceRecord.of("s3://b/p.jsonl", 2, "{\"product_id\":\"P2\",\"points\":\"many\"}"),
            "product_id");
    ParsedRecord without =
        PRODUCTS.parse(
            SourceRecord.of("s3://b/p.jsonl", 3, "{\"product_id\":\"P3\"}"), "product_id");
    RecordParser wider =
        new RecordParser(
            SparkSchemaUtil.convert(LakehouseTables.RAW_PRODUCTS.schema())
                .add("points", org.apache.spark.sql.types.DataTypes.LongType),
            false);
    int points = PRODUCTS.sourceSchema().fields().length;

    assertThat(wider.widen(fits).values()[points]).isEqualTo(5L);
    assertThat(wider.widen(without).values()[points]).isNull();
    ParsedRecord rejected = wider.widen(misfit);
    assertThat(List.of(rejected.error(), rejected.raw()))
        .containsExactly(
            "field points: expected bigint, got string \"many\"",
            "{\"product_id\":\"P2\",\"points\":\"many\"}");
  }

  @Test
  void timestampsWithoutAnOffsetAreUtcAndABareDateIsMidnight() {
    assertThat(RecordParser.timestamp("2026-11-01T10:00:00Z", "t"))
        .isEqualTo(ts("2026-11-01T10:00:00Z"));
    assertThat(RecordParser.timestamp(" 2026-11-01T10:00:00-05:00 ", "t"))
        .isEqualTo(ts("2026-11-01T15:00:00Z"));
    assertThat(RecordParser.timestamp("2026-11-01 10:00:00.5", "t"))
        .isEqualTo(ts("2026-11-01T10:00:00.500Z"));
    assertThat(RecordParser.timestamp("2026-11-01", "t")).isEqualTo(ts("2026-11-01T00:00:00Z"));
    assertThatThrownBy(() -> RecordParser.timestamp("yesterday", "order_date"))
        .hasMessage("field order_date: expected ISO-8601 timestamp, got \"yesterday\"");
  }

  private static String error(RecordParser parser, String json) {
    RecordParser.Parsed parsed = parser.parse(json);
    assertThat(parsed.ok()).isFalse();
    assertThat(parsed.values()).isNull();
    return parsed.error();
  }

  private static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }
}
