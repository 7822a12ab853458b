package dev.lakehouse.core.json;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * Turns Iceberg generic values into what any JSON serializer writes the same way: decimals as
 * strings (no float rounding), timestamps as ISO-8601 UTC, dates as ISO dates, structs as maps,
 * binary as base64.
 */
public final class JsonValues {
  private JsonValues() {}

  public static Map<String, Object> row(Record record) {
    return struct(record.struct(), record);
  }

  public static Map<String, Object> struct(Types.StructType type, StructLike value) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Types.NestedField> fields = type.fields();
    for (int i = 0; i < fields.size(); i++) {
      Object v = value instanceof Record r ? r.get(i) : value.get(i, Object.class);
      out.put(fields.get(i).name(), value(v));
    }
    return out;
  }

  public static Object value(Object v) {
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long) {
      return v;
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof Double) {
      return v;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof CharSequence s) {
      return s.toString();
    }
    if (v instanceof OffsetDateTime t) {
      return t.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
    }
    if (v instanceof LocalDateTime t) {
      return t.toString();
    }
    if (v instanceof LocalDate || v instanceof LocalTime || v instanceof UUID) {
      return v.toString();
    }
    if (v instanceof ByteBuffer b) {
      return Base64.getEncoder().encodeToString(bytes(b));
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof Record r) {
      return row(r);
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(value(k)), value(val)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(e -> out.add(value(e)));
      return out;
    }
    return v.toString();
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer dup = b.duplicate();
    byte[] out = new byte[dup.remaining()];
    dup.get(out);
    return out;
  }
}
