package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Base64;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Reads a landed Parquet object with Spark's typed (vectorized) reader and hands each row to the
 * parser as a tree built from the typed values — never through JSON text — so Parquet rows meet
 * exactly the rules JSON records do (one set of rules: {@link RecordParser}), decimals keep their
 * digits, and the text form is made only for a row that is rejected. Rows are numbered from 1 in
 * file order ({@code _metadata.row_index}); one object is one Parquet file.
 */
public final class ParquetSource {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private ParquetSource() {}

  public static JavaRDD<SourceRecord> read(SparkSession spark, SourceObject object) {
    String sourceFile = object.sourceFile();
    Dataset<Row> rows = spark.read().parquet(object.path());
    StructType schema = rows.schema();
    Column[] columns = new Column[schema.fields().length + 1];
    for (int i = 0; i < schema.fields().length; i++) {
      columns[i] = rows.col("`" + schema.fields()[i].name().replace("`", "``") + "`");
    }
    columns[columns.length - 1] = functions.col("_metadata.row_index");
    int index = schema.fields().length;
    return rows.select(columns)
        .javaRDD()
        .map(r -> SourceRecord.ofTree(sourceFile, r.getLong(index) + 1, tree(r, schema)));
  }

  /** A row as the JSON tree its values make (the file's own schema, by field name). */
  static ObjectNode tree(Row row, StructType schema) {
    ObjectNode node = NODES.objectNode();
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      node.set(fields[i].name(), value(row.isNullAt(i) ? null : row.get(i), fields[i].dataType()));
    }
    return node;
  }

  private static JsonNode value(Object value, DataType type) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (type instanceof StructType struct) {
      return tree((Row) value, struct);
    }
    if (type instanceof ArrayType array) {
      ArrayNode out = NODES.arrayNode();
      for (Object element : JavaConverters.seqAsJavaList((scala.collection.Seq<?>) value)) {
        out.add(value(element, array.elementType()));
      }
      return out;
    }
    if (type instanceof MapType map) {
      ObjectNode out = NODES.objectNode();
      JavaConverters.mapAsJavaMap((scala.collection.Map<?, ?>) value)
          .forEach((k, v) -> out.set(String.valueOf(k), value(v, map.valueType())));
      return out;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Float n) {
      // A float's shortest decimal text, as a JSON writer prints it: 0.1f is 0.1, not 0.100000001.
      return NODES.numberNode(new BigDecimal(n.toString()));
    }
    if (value instanceof Double n) {
      return NODES.numberNode(BigDecimal.valueOf(n));
    }
    if (value instanceof Number n) {
      return NODES.numberNode(n.longValue());
    }
    if (value instanceof java.sql.Timestamp t) {
      return NODES.textNode(t.toInstant().toString());
    }
    if (value instanceof java.sql.Date d) {
      return NODES.textNode(d.toLocalDate().toString());
    }
    if (value instanceof byte[] bytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    // Instant, LocalDateTime (timestamp without zone, read as UTC), LocalDate: ISO-8601 text.
    return NODES.textNode(value.toString());
  }
}
