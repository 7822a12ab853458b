package dev.lakehouse.core.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.apache.iceberg.types.Types;

/**
 * A top-level column of a table schema; {@code doc} is left out of the JSON when the column has
 * none.
 */
public record Column(
    int id,
    String name,
    String type,
    boolean required,
    @JsonInclude(JsonInclude.Include.NON_NULL) String doc) {

  static List<Column> of(Types.StructType struct) {
    return struct.fields().stream()
        .map(f -> new Column(f.fieldId(), f.name(), f.type().toString(), f.isRequired(), f.doc()))
        .toList();
  }
}
