package dev.lakehouse.jobs.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Declarative data-quality checks for one table, run on the rows about to be promoted (before the
 * silver or gold commit). A failing check stops the promotion: {@link #verify} answers the report,
 * {@link #enforce} throws {@link DataQualityException} with it, which the job records in {@code
 * pipeline_runs}.
 *
 * <p>Every check of a gate is one aggregation over the rows, in one Spark action: the rows are
 * grouped by the unique key (when one is declared) and each check counts the rows that break it. A
 * gate runs before every silver and gold commit, so its cost is part of every execution's fixed
 * cost: Deequ, which this replaced, took four actions and eight Spark jobs per gate for the same
 * checks.
 */
public final class QualityGate {
  private final String table;
  private final List<Check> checks = new ArrayList<>();
  private List<String> key = List.of();
  private String keyDescription;

  private QualityGate(String table) {
    this.table = table;
  }

  public static QualityGate forTable(String table) {
    return new QualityGate(table);
  }

  /** Completeness: no nulls. */
  public QualityGate complete(String... columns) {
    for (String column : columns) {
      checks.add(new Check(column + " is never null", "null", col(column).isNull()));
    }
    return this;
  }

  /** Uniqueness of a business key (one or more columns together); one key per table. */
  public QualityGate unique(List<String> columns) {
    if (!key.isEmpty()) {
      throw new IllegalStateException(table + " has a unique key already: " + key);
    }
    key = List.copyOf(columns);
    keyDescription =
        columns.size() == 1
            ? columns.get(0) + " identifies one row"
            : String.join(", ", columns) + " together identify one row";
    return this;
  }

  public QualityGate unique(String... columns) {
    return unique(List.of(columns));
  }

  /** Value range: never negative (a null is no negative value; completeness is its own check). */
  public QualityGate nonNegative(String... columns) {
    for (String column : columns) {
      checks.add(new Check(column + " is not negative", "negative", col(column).lt(0)));
    }
    return this;
  }

  /** Allowed values (a null is allowed; completeness is its own check). */
  public QualityGate allowedValues(String column, List<String> values) {
    checks.add(
        new Check(
            column + " is one of " + values,
            "another value",
            col(column).isNotNull().and(not(col(column).isin(values.toArray())))));
    return this;
  }

  /**
   * Runs every check in one aggregation: with a key, per key (its row count and each check's
   * violations) and then over the keys; without one, over the rows. An empty set passes: nothing is
   * about to be promoted.
   */
  public Report verify(Dataset<Row> rows) {
    Dataset<Row> counted = rows;
    List<Column> totals = new ArrayList<>();
    if (key.isEmpty()) {
      totals.add(count(lit(1)));
      totals.add(lit(0L));
      checks.forEach(check -> totals.add(count(when(check.violatedBy(), true))));
    } else {
      List<Column> perKey = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        perKey.add(count(when(checks.get(i).violatedBy(), true)).as("_violations_" + i));
        totals.add(sum("_violations_" + i));
      }
      counted =
          rows.groupBy(key.stream().map(c -> col(c)).toArray(Column[]::new))
              .agg(count(lit(1)).as("_rows"), perKey.toArray(Column[]::new));
      // The rows whose key another row has too.
      totals.add(0, sum(when(col("_rows").gt(1), col("_rows")).otherwise(0L)));
      totals.add(0, sum("_rows"));
    }
    Column[] asLongs =
        totals.stream().map(c -> coalesce(c.cast("long"), lit(0L))).toArray(Column[]::new);
    Row result = counted.agg(asLongs[0], Arrays.copyOfRange(asLongs, 1, asLongs.length)).first();
    long total = result.getLong(0);
    List<String> failures = new ArrayList<>();
    if (result.getLong(1) > 0) {
      failures.add(failure(keyDescription, "a repeated key", result.getLong(1), total));
    }
    for (int i = 0; i < checks.size(); i++) {
      long violating = result.getLong(i + 2);
      if (violating > 0) {
        Check check = checks.get(i);
        failures.add(failure(check.description(), check.violation(), violating, total));
      }
    }
    return new Report(table, total, failures.isEmpty(), List.copyOf(failures));
  }

  private static String failure(String description, String violation, long rows, long total) {
    return "%s: %s in %d of %d rows".formatted(description, violation, rows, total);
  }

  /** Verifies and throws when a check fails: nothing is promoted. */
  public Report enforce(Dataset<Row> rows) {
    Report report = verify(rows);
    if (!report.passed()) {
      throw new DataQualityException(report);
    }
    return report;
  }

  /** One row-level check: what it promises, and the rows that break it. */
  private record Check(String description, String violation, Column violatedBy) {}

  /**
   * The outcome of the checks of one table.
   *
   * @param rows how many rows were checked (the gate counts them anyway: no second count)
   */
  public record Report(String table, long rows, boolean passed, List<String> failures)
      implements Serializable {
    @Override
    public String toString() {
      return passed ? table + ": all checks passed" : table + ": " + String.join("; ", failures);
    }
  }
}
