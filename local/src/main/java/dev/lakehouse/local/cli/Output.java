package dev.lakehouse.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lakehouse.core.admin.AdminJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three ways a command prints rows: an aligned table for people, CSV and JSON Lines for
 * programs.
 */
final class Output {
  enum Format {
    table,
    csv,
    json
  }

  private Output() {}

  /**
   * Rows under {@code columns}; in the table, a null reads "-". JSON keeps numbers and booleans
   * typed.
   */
  static void rows(PrintWriter out, Format format, List<String> columns, List<List<Object>> rows) {
    switch (format) {
      case csv -> {
        out.println(String.join(",", columns.stream().map(Output::csv).toList()));
        rows.forEach(
            r ->
                out.println(
                    String.join(
                        ",", r.stream().map(v -> csv(v == null ? "" : v.toString())).toList())));
      }
      case json ->
          rows.forEach(
              r -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                  object.put(columns.get(i), r.get(i));
                }
                json(out, object);
              });
      default -> {
        List<List<String>> cells = new ArrayList<>();
        rows.forEach(r -> cells.add(r.stream().map(v -> v == null ? "-" : v.toString()).toList()));
        TextTable.print(out, columns, cells);
      }
    }
  }

  /** One JSON document on one line, written as the table-admin Lambda answers it. */
  static void json(PrintWriter out, Object value) {
    try {
      out.println(AdminJson.MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String csv(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
