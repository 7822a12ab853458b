package dev.lakehouse.core.admin;

import java.util.List;
import org.apache.iceberg.Table;

/**
 * A field of a table's current partition spec, e.g. {@code product_id_bucket_8, bucket[8],
 * product_id}.
 */
public record SpecField(String name, String transform, String sourceColumn) {

  static List<SpecField> of(Table table) {
    return table.spec().fields().stream()
        .map(
            f ->
                new SpecField(
                    f.name(),
                    f.transform().toString(),
                    table.schema().findColumnName(f.sourceId())))
        .toList();
  }
}
