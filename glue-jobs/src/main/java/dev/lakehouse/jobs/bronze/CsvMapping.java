package dev.lakehouse.jobs.bronze;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.core.tables.SourceEntity;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CSV columns to source fields. Headers are matched by name, case-insensitively; an empty cell is
 * null. Customers' address columns {@code street, city, state, zip or postal_code, country} become
 * the {@code address} map; every other column maps to the field of the same name. Orders are nested
 * (items) and are not accepted as CSV.
 */
public final class CsvMapping implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> ADDRESS_COLUMNS =
      Set.of("street", "city", "state", "zip", "postal_code", "country");

  private final SourceEntity entity;
  private final List<String> header;

  public CsvMapping(SourceEntity entity, String headerLine) {
    if (entity == SourceEntity.ORDERS) {
      throw new IllegalArgumentException(
          "orders have nested items and cannot be landed as CSV; use JSON Lines or Parquet");
    }
    this.entity = entity;
    this.header = split(headerLine).stream().map(h -> h.trim().toLowerCase()).toList();
  }

  /** The record as JSON text, or null when the line's cell count does not match the header. */
  public String toJson(String line) {
    List<String> cells = split(line);
    if (cells.size() != header.size()) {
      return null;
    }
    ObjectNode record = JSON.createObjectNode();
    ObjectNode address = JSON.createObjectNode();
    for (int i = 0; i < header.size(); i++) {
      String column = header.get(i);
      String value = cells.get(i).isEmpty() ? null : cells.get(i);
      if (entity == SourceEntity.CUSTOMERS && ADDRESS_COLUMNS.contains(column)) {
        if (value != null) {
          address.put(column, value);
        }
      } else if (value == null) {
        record.putNull(column);
      } else {
        record.put(column, value);
      }
    }
    if (entity == SourceEntity.CUSTOMERS && !address.isEmpty()) {
      record.set("address", address);
    }
    return record.toString();
  }

  public int columns() {
    return header.size();
  }

  /** RFC 4180 cells of one line: commas separate, double quotes quote, "" is a literal quote. */
  static List<String> split(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else if (c != '\r') {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }
}
