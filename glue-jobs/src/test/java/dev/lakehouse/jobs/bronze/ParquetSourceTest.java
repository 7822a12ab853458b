package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** A Parquet row's typed values become the parser's tree without JSON text in between. */
class ParquetSourceTest {
  private static final StructType ITEM =
      new StructType()
          .add("product_id", DataTypes.StringType)
          .add("quantity", DataTypes.IntegerType)
          .add("unit_price", DataTypes.createDecimalType(10, 2));
  private static final StructType ORDER =
      new StructType()
          .add("order_id", DataTypes.StringType)
          .add("order_date", DataTypes.TimestampType)
          .add("total_amount", DataTypes.DoubleType)
          .add("discount", DataTypes.FloatType)
          .add("items", DataTypes.createArrayType(ITEM));

  @Test
  void typedValuesKeepTheirDigitsAndTimesAreUtcText() {
    Row order =
        RowFactory.create(
            "O1",
            Timestamp.from(Instant.parse("2026-11-01T10:00:00Z")),
            19.9,
            0.1f,
            JavaConverters.asScalaBuffer(
                    List.<Object>of(
                        RowFactory.create("P1", 2, new BigDecimal("9.50")),
                        RowFactory.create("P2", null, new BigDecimal("0.90"))))
                .toSeq());

    assertThat(ParquetSource.tree(order, ORDER).toString())
        .isEqualTo(
            "{\"order_id\":\"O1\",\"order_date\":\"2026-11-01T10:00:00Z\",\"total_amount\":19.9,"
                + "\"discount\":0.1,\"items\":[{\"product_id\":\"P1\",\"quantity\":2,\"unit_price\":9.50},"
                + "{\"product_id\":\"P2\",\"quantity\":null,\"unit_price\":0.90}]}");
  }

  @Test
  void aParquetRowMeetsTheSameRulesAsAJsonRecord() {
    StructType textPrices =
        new StructType()
            .add("order_id", DataTypes.StringType)
            .add(
                "items",
                DataTypes.createArrayType(
                    new StructType()
                        .add("product_id", DataTypes.StringType)
                        .add("unit_price", DataTypes.StringType)));
    Row order =
        RowFactory.create(
            "O1",
            JavaConverters.asScalaBuffer(
                    List.<Object>of(
                        RowFactory.create("P1", "9.50"), RowFactory.create("P2", "abc")))
                .toSeq());
    ParsedRecord parsed =
        RecordParserTest.ORDERS.parse(
            SourceRecord.ofTree("s3://b/o.parquet", 7, ParquetSource.tree(order, textPrices)),
            "order_id");
    assertThat(List.of(parsed.error(), parsed.raw(), String.valueOf(parsed.line())))
        .containsExactly(
            "field items[1].unit_price: expected decimal(10,2), got string \"abc\"",
            "{\"order_id\":\"O1\",\"items\":[{\"product_id\":\"P1\",\"unit_price\":\"9.50\"},"
                + "{\"product_id\":\"P2\",\"unit_price\":\"abc\"}]}",
            "7");
  }
}
