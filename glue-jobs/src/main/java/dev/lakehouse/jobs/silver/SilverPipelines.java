package dev.lakehouse.jobs.silver;

import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.jobs.JobResult;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;

/** Dispatches a silver run to the entity's pipeline. */
public final class SilverPipelines {
  private SilverPipelines() {}

  public static JobResult run(SparkSession spark, SourceEntity entity, String executionId, Instant asOf,
      PlausibleDates plausible) {
    return switch (entity) {
      case CUSTOMERS -> CustomersSilver.run(spark, executionId, asOf);
      case PRODUCTS -> ProductsSilver.run(spark, executionId);
      case ORDERS -> OrdersSilver.run(spark, executionId, asOf, plausible);
    };
  }
}
