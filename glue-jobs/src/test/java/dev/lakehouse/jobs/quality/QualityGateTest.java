package dev.lakehouse.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.jobs.JobArguments;
import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.JobTestSupport;
import dev.lakehouse.jobs.SparkJob;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityGateTest {
  @TempDir Path home;

  private QualityGate ordersGate() {
    return QualityGate.forTable("curated_orders")
        .complete("order_id", "net_amount")
        .unique("order_id")
        .nonNegative("net_amount")
        .allowedValues("status", List.of("pending", "delivered", "cancelled"));
  }

  @Test
  void cleanRowsPass() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Dataset<Row> rows =
        spark.sql(
            "SELECT * FROM VALUES ('O1', 'pending', CAST(10.00 AS DECIMAL(12,2))),"
                + " ('O2', 'cancelled', CAST(0.00 AS DECIMAL(12,2))) AS t(order_id, status, net_amount)");
    QualityGate.Report report = ordersGate().enforce(rows);
    assertThat(report.passed()).isTrue();
    assertThat(report.rows()).isEqualTo(2);
    assertThat(report.failures()).isEmpty();
    assertThat(report.toString()).isEqualTo("curated_orders: all checks passed");
  }

  @Test
  void everyFailingCheckIsReportedAndPromotionStops() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Dataset<Row> rows =
        spark.sql(
            "SELECT * FROM VALUES ('O1', 'pending', CAST(10.00 AS DECIMAL(12,2))),"
                + " ('O1', 'lost', CAST(-1.00 AS DECIMAL(12,2))), (NULL, 'pending', NULL),"
                + " ('O3', 'pending', CAST(5.00 AS DECIMAL(12,2))) AS t(order_id, status, net_amount)");

    QualityGate.Report report = ordersGate().verify(rows);

    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .containsExactly(
            "order_id identifies one row: a repeated key in 2 of 4 rows",
            "order_id is never null: null in 1 of 4 rows",
            "net_amount is never null: null in 1 of 4 rows",
            "net_amount is not negative: negative in 1 of 4 rows",
            "status is one of [pending, delivered, cancelled]: another value in 1 of 4 rows");
    assertThatThrownBy(() -> ordersGate().enforce(rows))
        .isInstanceOf(DataQualityException.class)
        .hasMessageStartingWith("data quality checks failed, nothing promoted: curated_orders: ");
  }

  @Test
  void anEmptySetPassesAndAGateWithoutAKeyCountsRows() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Dataset<Row> rows =
        spark.sql(
            "SELECT * FROM VALUES ('O1', 'pending', CAST(10.00 AS DECIMAL(12,2))),"
                + " ('O1', 'lost', CAST(-1.00 AS DECIMAL(12,2))) AS t(order_id, status, net_amount)");

    assertThat(ordersGate().verify(rows.limit(0)))
        .isEqualTo(new QualityGate.Report("curated_orders", 0, true, List.of()));
    assertThat(
            QualityGate.forTable("daily")
                .complete("order_id")
                .nonNegative("net_amount")
                .verify(rows)
                .failures())
        .containsExactly("net_amount is not negative: negative in 1 of 2 rows");
    assertThat(
            QualityGate.forTable("lines")
                .unique("order_id", "status")
                .allowedValues("status", List.of("pending"))
                .verify(rows)
                .toString())
        .isEqualTo("lines: status is one of [pending]: another value in 1 of 2 rows");
    assertThatThrownBy(() -> ordersGate().unique("status"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("curated_orders has a unique key already: [order_id]");
  }

  @Test
  void aJobStoppedByAFailingCheckIsRecordedWithTheReport() {
    SparkSession spark = JobTestSupport.lakehouse(home);
    Dataset<Row> duplicated =
        spark.sql(
            "SELECT * FROM VALUES ('O1', 'pending', CAST(1.00 AS DECIMAL(12,2))),"
                + " ('O1', 'pending', CAST(1.00 AS DECIMAL(12,2))) AS t(order_id, status, net_amount)");
    var gold = dev.lakehouse.jobs.GoldJob.fromArgs("--execution-id", "exec-dq");
    // The gold job's arguments and step, with a body that stops at a failing check as gold's own
    // gate would.
    SparkJob job =
        new SparkJob() {
          @Override
          public JobArguments common() {
            return gold.common();
          }

          @Override
          public String step() {
            return gold.step();
          }

          @Override
          public JobResult execute(SparkSession session) {
            ordersGate().enforce(duplicated);
            throw new AssertionError("promoted despite a failing check");
          }
        };

    assertThatThrownBy(() -> dev.lakehouse.jobs.JobMain.execute(job, spark))
        .isInstanceOf(DataQualityException.class);

    var runs =
        new dev.lakehouse.core.runs.RunLog(dev.lakehouse.jobs.LakehouseSpark.icebergCatalog(spark))
            .forExecution("exec-dq");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).step()).isEqualTo("gold");
    assertThat(runs.get(0).status()).isEqualTo(dev.lakehouse.core.runs.RunStatus.FAILED);
    assertThat(runs.get(0).message())
        .isEqualTo(
            "DataQualityException: data quality checks failed, nothing promoted:"
                + " curated_orders: order_id identifies one row: a repeated key in 2 of 2 rows");
    assertThat(spark.table("ecommerce_lakehouse.agg_daily_metrics").count()).isZero();
  }
}
