package dev.lakehouse.jobs;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Values for the named parameters of one statement, run with {@code spark.sql(text, args.map())}. A
 * value is bound, never spliced into the SQL text, so no value needs quoting or escaping;
 * identifiers (tables, views, columns) are not values and stay in the text.
 */
public final class SqlArgs {
  private final Map<String, Object> values = new LinkedHashMap<>();

  /** Binds {@code value} to {@code :name}; returns the marker to put in the text. */
  public String bind(String name, Object value) {
    Objects.requireNonNull(value, name);
    if (values.putIfAbsent(name, value) != null) {
      throw new IllegalArgumentException("parameter :" + name + " is bound twice");
    }
    return ":" + name;
  }

  /**
   * Binds each value to {@code :name_0, :name_1, …} and returns those markers comma-separated, for
   * {@code IN (…)}: Spark binds scalars only, and an IN list keeps the predicate Iceberg can prune
   * files with.
   */
  public String bindEach(String name, Collection<?> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("IN list :" + name + " is empty");
    }
    int[] index = {0};
    return items.stream()
        .map(item -> bind(name + "_" + index[0]++, item))
        .collect(Collectors.joining(", "));
  }

  public Map<String, Object> map() {
    return Collections.unmodifiableMap(values);
  }
}
