package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.core.tables.LakehouseTables;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Converts one source record (JSON) into a Spark row of the bronze schema, or says precisely why it
 * cannot: "field items[1].unit_price: expected decimal(10,2), got string "abc"". Bronze is
 * structural only: types, required keys and decimal precision; business rules (quantity > 0, known
 * status) are silver's job.
 */
public final class RecordParser implements Serializable {
  private static final long serialVersionUID = 1L;
  // A key twice in one object is ambiguous (which value did the source mean?): the record is
  // rejected, not guessed.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Columns filled by the pipeline, never by the source. */
  public static final List<String> LINEAGE =
      List.of("_ingestion_timestamp", "_source_file", "_source_line", "_execution_id");

  private final StructType sourceSchema;
  private final boolean lenientStrings;
  private final java.util.Set<String> known = new java.util.HashSet<>();
  private final Map<String, Integer> positions = new java.util.HashMap<>();
  private transient RecordParser forCells;

  /**
   * @param bronzeSchema the bronze table's Spark schema; lineage columns are ignored here
   * @param lenientStrings accept numbers and booleans written as strings (CSV has nothing else)
   */
  public RecordParser(StructType bronzeSchema, boolean lenientStrings) {
    StructType source = new StructType();
    for (StructField field : bronzeSchema.fields()) {
      if (!LINEAGE.contains(field.name())) {
        source = source.add(field);
      }
    }
    this.sourceSchema = source;
    this.lenientStrings = lenientStrings;
    known.addAll(java.util.Arrays.asList(bronzeSchema.fieldNames()));
    for (int i = 0; i < source.fields().length; i++) {
      positions.put(source.fields()[i].name(), i);
    }
  }

  public StructType sourceSchema() {
    return sourceSchema;
  }

  /** Result of parsing one record: either the row's values (in source-schema order) or a reason. */
  public record Parsed(Object[] values, String error) implements Serializable {
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * Parses a source record once: its values for the table's columns (or why it does not fit) and
   * the fields the table lacks, kept for schema drift (see {@link SchemaDrift} and {@link #widen}).
   * The record's key is its {@code idColumn} value, named in quarantine when it is rejected.
   */
  public ParsedRecord parse(SourceRecord record, String idColumn) {
    if (record.problem() != null) {
      return ParsedRecord.rejected(record, null, record.problem());
    }
    if (record.cells() && !lenientStrings) {
      return cellsParser().parse(record, idColumn);
    }
    JsonNode node = record.node();
    if (node == null) {
      try {
        node = JSON.readTree(record.json());
      } catch (Exception e) {
        return ParsedRecord.rejected(record, null, "malformed JSON: " + firstLine(e.getMessage()));
      }
    }
    Map<String, JsonNode> extra = extraFields(node);
    Parsed parsed = parse(node);
    if (!parsed.ok()) {
      return ParsedRecord.rejected(record, extra, parsed.error());
    }
    Integer index = positions.get(idColumn);
    Object id = index == null ? null : parsed.values()[index];
    return ParsedRecord.parsed(record, id == null ? null : id.toString(), parsed.values(), extra);
  }

  /**
   * The record with values for the columns this parser's (evolved) schema has beyond the values it
   * was parsed with, taken from its extra fields; rejected when one of them does not fit.
   */
  public ParsedRecord widen(ParsedRecord record) {
    if (!record.ok() || record.values().length == sourceSchema.fields().length) {
      return record;
    }
    RecordParser parser = record.cells() && !lenientStrings ? cellsParser() : this;
    Object[] values = java.util.Arrays.copyOf(record.values(), sourceSchema.fields().length);
    try {
      for (int i = record.values().length; i < values.length; i++) {
        StructField field = sourceSchema.fields()[i];
        JsonNode value = record.extra() == null ? null : record.extra().get(field.name());
        values[i] =
            value == null || value.isNull()
                ? null
                : parser.convert(field.dataType(), value, field.name());
      }
    } catch (FieldException e) {
      return record.rejectedWith(e.getMessage());
    }
    return record.withValues(values);
  }

  private RecordParser cellsParser() {
    if (forCells == null) {
      StructType bronze = sourceSchema;
      forCells = new RecordParser(bronze, true);
      forCells.known.addAll(known);
    }
    return forCells;
  }

  /** Top-level fields with a value that no column of the table takes (lineage included). */
  private Map<String, JsonNode> extraFields(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    Map<String, JsonNode> extra = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (known.contains(field.getKey()) || field.getValue().isNull() || field.getKey().isBlank()) {
        continue;
      }
      if (extra == null) {
        extra = new LinkedHashMap<>();
      }
      extra.put(field.getKey(), field.getValue());
    }
    return extra;
  }

  public Parsed parse(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (Exception e) {
      return new Parsed(null, "malformed JSON: " + firstLine(e.getMessage()));
    }
    return parse(node);
  }

  public Parsed parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      return new Parsed(null, "record is not a JSON object");
    }
    try {
      return new Parsed(struct(sourceSchema, (ObjectNode) node, ""), null);
    } catch (FieldException e) {
      return new Parsed(null, e.getMessage());
    }
  }

  private Object[] struct(StructType type, ObjectNode node, String path) {
    Object[] values = new Object[type.fields().length];
    for (int i = 0; i < values.length; i++) {
      StructField field = type.fields()[i];
      JsonNode value = node.get(field.name());
      String fieldPath = path.isEmpty() ? field.name() : path + field.name();
      if (value == null || value.isNull()) {
        if (!field.nullable()) {
          throw new FieldException("missing required field " + fieldPath);
        }
        continue;
      }
      values[i] = convert(field.dataType(), value, fieldPath);
    }
    return values;
  }

  private Object convert(DataType type, JsonNode value, String path) {
    if (type instanceof StringType) {
      if (value.isValueNode()) {
        String text = value.asText();
        if (text.indexOf('\u0000') >= 0) {
          // NUL ends strings in C-based readers (and some BI tools): a value with one is corrupt,
          // not text.
          throw new FieldException("field " + path + ": contains a NUL character");
        }
        return text;
      }
      throw mismatch(path, "string", value);
    }
    if (type instanceof DecimalType decimal) {
      BigDecimal number = decimal(value, path, decimal);
      // Only a value with more digits than the column's scale needs its zeros stripped to tell.
      if (number.scale() > decimal.scale()) {
        if (number.stripTrailingZeros().scale() > decimal.scale() && isAmount(decimal)) {
          // A total computed by the source (Σ price × quantity × (1 − discount)) carries sub-cent
          // digits: it is rounded to cents, as a cast to DECIMAL(12,2) would. Prices and rates are
          // entered values: extra digits there mean a broken record, which is rejected below.
          number = number.setScale(decimal.scale(), java.math.RoundingMode.HALF_UP);
        }
        if (number.stripTrailingZeros().scale() > decimal.scale()) {
          throw new FieldException(
              "field "
                  + path
                  + ": "
                  + number.toPlainString()
                  + " has more than "
                  + decimal.scale()
                  + " decimal places for "
                  + typeName(decimal));
        }
      }
      BigDecimal scaled = number.setScale(decimal.scale());
      if (scaled.precision() > decimal.precision()) {
        throw outOfRange(path, number, decimal);
      }
      return scaled;
    }
    if (type instanceof IntegerType) {
      BigInteger integer = integer(value, path, "int");
      if (integer.bitLength() > 31) {
        throw new FieldException("field " + path + ": " + integer + " is out of range for int");
      }
      return integer.intValue();
    }
    if (type instanceof LongType) {
      BigInteger integer = integer(value, path, "bigint");
      if (integer.bitLength() > 63) {
        throw new FieldException("field " + path + ": " + integer + " is out of range for bigint");
      }
      return integer.longValue();
    }
    if (type instanceof BooleanType) {
      if (value.isBoolean()) {
        return value.booleanValue();
      }
      if (lenientStrings
          && value.isTextual()
          && (value.asText().equalsIgnoreCase("true")
              || value.asText().equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(value.asText());
      }
      throw mismatch(path, "boolean", value);
    }
    if (type instanceof TimestampType) {
      if (!value.isTextual()) {
        throw mismatch(path, "ISO-8601 timestamp", value);
      }
      return timestamp(value.asText(), path);
    }
    if (type instanceof MapType map) {
      if (!value.isObject()) {
        throw mismatch(path, "object", value);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        out.put(
            entry.getKey(),
            entry.getValue().isNull()
                ? null
                : convert(map.valueType(), entry.getValue(), path + "." + entry.getKey()));
      }
      // Spark's row encoder takes Scala collections.
      return scala.collection.JavaConverters.mapAsScalaMap(out);
    }
    if (type instanceof ArrayType array) {
      if (!value.isArray()) {
        throw mismatch(path, "array", value);
      }
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        JsonNode element = value.get(i);
        String elementPath = path + "[" + i + "]";
        if (element.isNull()) {
          out.add(null);
        } else if (array.elementType() instanceof StructType struct) {
          if (!element.isObject()) {
            throw mismatch(elementPath, "object", element);
          }
          out.add(RowFactory.create(struct(struct, (ObjectNode) element, elementPath + ".")));
        } else {
          out.add(convert(array.elementType(), element, elementPath));
        }
      }
      return scala.collection.JavaConverters.asScalaBuffer(out);
    }
    if (type instanceof StructType struct) {
      if (!value.isObject()) {
        throw mismatch(path, "object", value);
      }
      return RowFactory.create(struct(struct, (ObjectNode) value, path + "."));
    }
    throw new FieldException("field " + path + ": unsupported column type " + type.simpleString());
  }

  private static boolean isAmount(DecimalType type) {
    return type.precision() == LakehouseTables.AMOUNT.precision()
        && type.scale() == LakehouseTables.AMOUNT.scale();
  }

  private BigDecimal decimal(JsonNode value, String path, DecimalType type) {
    if (value.isNumber()) {
      return value.decimalValue();
    }
    if (value.isTextual()) {
      try {
        return new BigDecimal(value.asText().trim());
      } catch (NumberFormatException e) {
        throw mismatch(path, typeName(type), value);
      }
    }
    throw mismatch(path, typeName(type), value);
  }

  private BigInteger integer(JsonNode value, String path, String typeName) {
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue();
    }
    if (value.isNumber()) {
      BigDecimal d = value.decimalValue();
      if (d.stripTrailingZeros().scale() <= 0) {
        return d.toBigIntegerExact();
      }
      throw new FieldException(
          "field " + path + ": expected " + typeName + ", got " + d.toPlainString());
    }
    if (lenientStrings && value.isTextual()) {
      try {
        return new BigInteger(value.asText().trim());
      } catch (NumberFormatException e) {
        throw mismatch(path, typeName, value);
      }
    }
    throw mismatch(path, typeName, value);
  }

  /**
   * ISO-8601 with offset or Z; without an offset the time is taken as UTC; a bare date is midnight
   * UTC.
   */
  static Timestamp timestamp(String text, String path) {
    String t = text.trim();
    Instant common = IsoTimestamps.parseCommon(t);
    return common != null ? Timestamp.from(common) : byFormatters(t, text, path);
  }

  /** {@link #timestamp} by java.time's formatters alone, tried in turn: slow, but says why. */
  static Timestamp byFormatters(String t, String text, String path) {
    try {
      return Timestamp.from(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return Timestamp.from(Instant.parse(t));
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return Timestamp.from(LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return Timestamp.from(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      throw new FieldException(
          "field " + path + ": expected ISO-8601 timestamp, got \"" + abbreviate(text) + "\"");
    }
  }

  private static FieldException outOfRange(String path, BigDecimal number, DecimalType type) {
    return new FieldException(
        "field " + path + ": " + number.toPlainString() + " is out of range for " + typeName(type));
  }

  private static FieldException mismatch(String path, String expected, JsonNode value) {
    String got =
        value.isTextual()
            ? "string \"" + abbreviate(value.asText()) + "\""
            : value.isObject()
                ? "object"
                : value.isArray()
                    ? "array"
                    : value.isBoolean()
                        ? "boolean " + value.asText()
                        : value.isNumber()
                            ? "number " + value.asText()
                            : value.getNodeType().toString().toLowerCase();
    return new FieldException("field " + path + ": expected " + expected + ", got " + got);
  }

  private static String typeName(DecimalType type) {
    return "decimal(" + type.precision() + "," + type.scale() + ")";
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A field that does not fit its column. */
  static final class FieldException extends RuntimeException {
    FieldException(String message) {
      super(message, null, false, false);
    }
  }
}
