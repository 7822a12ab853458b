package dev.lakehouse.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A query's result as {@code lakehouse sql} prints it, on whichever session runs it: the CLI's own
 * (cold) or a running serve's (warm, {@link QueryEndpoint}), so both print the same bytes. Apart
 * from {@link SqlCommand} so that the warm client never loads Spark's classes.
 */
final class SqlOutput {
  private SqlOutput() {}

  static void print(
      SparkSession spark, String query, Output.Format format, int limit, PrintWriter out)
      throws Exception {
    Dataset<Row> result = spark.sql(query);
    String[] columns = result.columns();
    switch (format) {
      case csv -> {
        out.println(String.join(",", List.of(columns).stream().map(Output::csv).toList()));
        for (Row row : (Iterable<Row>) result::toLocalIterator) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < columns.length; i++) {
            cells.add(Output.csv(text(row.get(i))));
          }
          out.println(String.join(",", cells));
        }
      }
      case json -> {
        // Exact decimals: 12.50 stays 12.50 (money keeps its cents), never 12.5 or 1.25E+1.
        ObjectMapper json =
            new ObjectMapper()
                .setNodeFactory(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
                .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        for (Row row : (Iterable<Row>) result::toLocalIterator) {
          ObjectNode node = json.createObjectNode();
          for (int i = 0; i < columns.length; i++) {
            Object value = row.get(i);
            if (value == null) {
              node.putNull(columns[i]);
            } else if (value instanceof Number || value instanceof Boolean) {
              node.set(columns[i], json.valueToTree(value));
            } else {
              node.put(columns[i], text(value));
            }
          }
          out.println(json.writeValueAsString(node));
        }
      }
      default -> {
        // One row more than shown tells whether the limit cut anything, without counting the whole
        // result.
        List<Row> fetched = result.limit(limit + 1).collectAsList();
        List<Row> rows = fetched.subList(0, Math.min(limit, fetched.size()));
        List<List<String>> cells = new ArrayList<>();
        for (Row row : rows) {
          List<String> line = new ArrayList<>();
          for (int i = 0; i < columns.length; i++) {
            line.add(row.get(i) == null ? "NULL" : text(row.get(i)));
          }
          cells.add(line);
        }
        TextTable.print(out, List.of(columns), cells);
        out.println(
            fetched.size() > limit
                ? "(first "
                    + limit
                    + " rows shown, more exist: raise --limit, or use --format csv|json for every row)"
                : "(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
      }
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    return value.toString();
  }
}
