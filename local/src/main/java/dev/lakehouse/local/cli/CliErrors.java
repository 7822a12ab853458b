package dev.lakehouse.local.cli;

import dev.lakehouse.core.tables.UnknownTableException;
import dev.lakehouse.local.LakehouseHome;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Turns exceptions into one line a person can act on, and an exit code: 2 for bad input, 1 for
 * failures.
 */
final class CliErrors {
  private CliErrors() {}

  static String describe(Throwable ex) {
    if (ex instanceof NoSuchTableException) {
      return ex.getMessage() + " (run 'lakehouse init' first)";
    }
    if (isA(ex, "org.apache.spark.sql.AnalysisException")) {
      // Spark's parse errors start with a line break: the first line with text is the one that says
      // what is wrong.
      String message = ex.getMessage().strip();
      int newline = message.indexOf('\n');
      return "query failed: " + (newline > 0 ? message.substring(0, newline) : message);
    }
    if (ex instanceof java.sql.SQLException) {
      // Trino's driver: "Query failed (#20261201_083308_00005_d3y7i): line 1:8: Column 'x' cannot
      // be resolved".
      return "query failed: " + ex.getMessage().replaceFirst("^Query failed \\(#[^)]*\\): ", "");
    }
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }

  /**
   * Spark's exception classes are matched by name so this class loads without Spark on the
   * classpath.
   */
  private static boolean isA(Throwable ex, String className) {
    for (Class<?> c = ex.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(className)) {
        return true;
      }
    }
    return false;
  }

  static int exitCode(Throwable ex) {
    boolean badInput =
        ex instanceof UnknownTableException
            || ex instanceof LakehouseHome.HomeException
            || ex instanceof IllegalArgumentException
            || ex instanceof NoSuchTableException
            || ex instanceof java.sql.SQLException
            || ex instanceof dev.lakehouse.local.trino.LocalTrino.TrinoUnavailableException
            || isA(ex, "org.apache.spark.sql.AnalysisException");
    return badInput ? LakehouseCli.EXIT_USAGE : LakehouseCli.EXIT_FAILED;
  }
}
