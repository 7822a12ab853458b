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
        .containsExactlyInAnyOrder(
            "CompletenessConstraint(Completeness(order_id,None,None)): Value: 0.75 does not meet the constraint requirement!"
                + " order_id is never null",
            "CompletenessConstraint(Completeness(net_amount,None,None)): Value: 0.75 does not meet the constraint"
                + " requirement! net_amount is never null",
            "UniquenessConstraint(Uniqueness(Buffer(order_id),None,None)): Value: 0.3333333333333333 does not meet the"
                + " constraint requirement! order_id identify one row",
            "ComplianceConstraint(Compliance(net_amount is non-negative,COALESCE(CAST(net_amount AS DECIMAL(20,10)), 0.0)"
                + " >= 0,None,List(net_amount),None)): Value: 0.75 does not meet the constraint requirement! net_amount is"
                + " not negative",
            "ComplianceConstraint(Compliance(status contained in pending,delivered,cancelled,`status` IS NULL OR `status`"
                + " IN ('pending','delivered','cancelled'),None,List(status),None)): Value: 0.75 does not meet the constraint"
                + " requirement! status is one of [pending, delivered, cancelled]");
    assertThatThrownBy(() -> ordersGate().enforce(rows))
        .isInstanceOf(DataQualityException.class)
        .hasMessageStartingWith("data quality checks failed, nothing promoted: curated_orders: ");
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
                + " curated_orders: UniquenessConstraint(Uniqueness(Buffer(order_id),None,None)): Value: 0.0 does not meet the"
                + " constraint requirement! order_id identify one row");
    assertThat(spark.table("ecommerce_lakehouse.agg_daily_metrics").count()).isZero();
  }
}
