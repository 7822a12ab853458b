package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import scala.Tuple2;

/**
 * Additive schema drift: top-level fields the source started sending that the bronze table does not
 * have yet. They are added with Iceberg {@code updateSchema} (a metadata-only change: no file is
 * rewritten) before the load, so nothing the source sent is dropped. Type changes of existing
 * fields are not drift but bad records: the parser quarantines them.
 */
public final class SchemaDrift {
  /** Fractional numbers in new fields: exact decimals, never double (money may arrive this way). */
  static final Types.DecimalType NEW_DECIMAL = Types.DecimalType.of(38, 10);

  private SchemaDrift() {}

  /**
   * New field name → the Iceberg type to add it with: the widest over every (field, kind) pair seen
   * in the records' {@link ParsedRecord#extra() extra fields} ({@link RecordTally} gathers them).
   * Nested arrays are not added (reported instead).
   */
  static Map<String, Type> types(Collection<Tuple2<String, String>> seen) {
    Map<String, Type> result = new TreeMap<>();
    Map<String, String> widest = new TreeMap<>();
    for (Tuple2<String, String> fieldKind : seen) {
      widest.merge(fieldKind._1(), fieldKind._2(), SchemaDrift::widen);
    }
    widest.forEach(
        (field, kind) -> {
          Type type =
              switch (kind) {
                case "boolean" -> Types.BooleanType.get();
                case "long" -> Types.LongType.get();
                case "decimal" -> NEW_DECIMAL;
                case "map" ->
                    Types.MapType.ofOptional(0, 0, Types.StringType.get(), Types.StringType.get());
                case "array" -> null;
                default -> Types.StringType.get();
              };
          if (type != null) {
            result.put(field, type);
          }
        });
    return result;
  }

  /** Adds the fields in one schema commit; returns their names (empty when nothing was new). */
  public static List<String> evolve(Table table, Map<String, Type> newFields) {
    if (newFields.isEmpty()) {
      return List.of();
    }
    UpdateSchema update = table.updateSchema();
    List<String> added = new ArrayList<>();
    newFields.forEach(
        (name, type) -> {
          if (table.schema().findField(name) == null) {
            update.addColumn(name, type, "added by schema drift in a landed file");
            added.add(name);
          }
        });
    if (!added.isEmpty()) {
      update.commit();
    }
    return added;
  }

  /** (field, kind) of each extra field of one record. */
  static List<Tuple2<String, String>> kinds(Map<String, JsonNode> extra) {
    List<Tuple2<String, String>> out = new ArrayList<>();
    if (extra != null) {
      extra.forEach((field, value) -> out.add(new Tuple2<>(field, kind(value))));
    }
    return out;
  }

  private static String kind(JsonNode value) {
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isIntegralNumber()) {
      return "long";
    }
    if (value.isNumber()) {
      return "decimal";
    }
    if (value.isObject()) {
      for (JsonNode child : value) {
        if (child.isContainerNode()) {
          return "string";
        }
      }
      return "map";
    }
    if (value.isArray()) {
      return "array";
    }
    return "string";
  }

  private static String widen(String a, String b) {
    if (a.equals(b)) {
      return a;
    }
    if (Set.of(a, b).equals(Set.of("long", "decimal"))) {
      return "decimal";
    }
    if (a.equals("array") || b.equals("array")) {
      return "array";
    }
    return "string";
  }
}
