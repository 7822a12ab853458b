package dev.lakehouse.jobs.quality;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.checks.CheckStatus;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * Declarative data-quality checks for one table, run with Deequ on the rows about to be promoted
 * (before the silver or gold commit). A failing check stops the promotion: {@link #verify} answers
 * the report, {@link #enforce} throws {@link DataQualityException} with it, which the job records
 * in {@code pipeline_runs}.
 */
public final class QualityGate {
  private final String table;
  private Check check;

  private QualityGate(String table) {
    this.table = table;
    this.check =
        new Check(
            CheckLevel.Error(),
            table,
            JavaConverters.asScalaBuffer(new ArrayList<com.amazon.deequ.constraints.Constraint>())
                .toSeq());
  }

  public static QualityGate forTable(String table) {
    return new QualityGate(table);
  }

  /** Completeness: no nulls. */
  public QualityGate complete(String... columns) {
    for (String column : columns) {
      check = check.isComplete(column, Option.apply(column + " is never null"), Option.empty());
    }
    return this;
  }

  /** Uniqueness of a business key (one or more columns together). */
  public QualityGate unique(List<String> columns) {
    return unique(columns.toArray(String[]::new));
  }

  public QualityGate unique(String... columns) {
    check =
        check.hasUniqueness(
            JavaConverters.asScalaBuffer(List.of(columns)).toSeq(),
            equalsOne(),
            Option.apply(String.join(", ", columns) + " identify one row"));
    return this;
  }

  /** Value range: never negative. */
  public QualityGate nonNegative(String... columns) {
    for (String column : columns) {
      check = check.isNonNegative(column, equalsOne(), Option.apply(column + " is not negative"));
    }
    return this;
  }

  /** Allowed values. */
  public QualityGate allowedValues(String column, List<String> values) {
    check =
        check.isContainedIn(
            column,
            values.toArray(String[]::new),
            equalsOne(),
            Option.apply(column + " is one of " + values));
    return this;
  }

  /**
   * Runs every check in one pass over the data. An empty set passes: nothing is about to be
   * promoted, and Deequ's analyzers have no state to judge on empty input.
   */
  public Report verify(Dataset<Row> rows) {
    if (rows.isEmpty()) {
      return new Report(table, true, List.of());
    }
    VerificationResult result = new VerificationSuite().onData(rows).addCheck(check).run();
    List<String> failures = new ArrayList<>();
    for (CheckResult checkResult : JavaConverters.mapAsJavaMap(result.checkResults()).values()) {
      for (ConstraintResult constraint :
          JavaConverters.seqAsJavaList(checkResult.constraintResults())) {
        if (constraint.status() != ConstraintStatus.Success()) {
          failures.add(
              constraint.constraint().toString()
                  + ": "
                  + constraint.message().getOrElse(() -> "failed"));
        }
      }
    }
    return new Report(table, result.status() == CheckStatus.Success(), List.copyOf(failures));
  }

  /** Verifies and throws when a check fails: nothing is promoted. */
  public Report enforce(Dataset<Row> rows) {
    Report report = verify(rows);
    if (!report.passed()) {
      throw new DataQualityException(report);
    }
    return report;
  }

  /** The outcome of the checks of one table. */
  public record Report(String table, boolean passed, List<String> failures)
      implements Serializable {
    @Override
    public String toString() {
      return passed ? table + ": all checks passed" : table + ": " + String.join("; ", failures);
    }
  }

  /** Deequ assertion "the metric is 1.0" (every row complies). */
  private static AbstractFunction1<Object, Object> equalsOne() {
    return new EqualsOne();
  }

  private static final class EqualsOne extends AbstractFunction1<Object, Object>
      implements Serializable {
    @Override
    public Object apply(Object metric) {
      return ((Number) metric).doubleValue() == 1.0;
    }
  }
}
