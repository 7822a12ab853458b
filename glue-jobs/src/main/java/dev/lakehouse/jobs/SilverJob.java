package dev.lakehouse.jobs;

import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.jobs.silver.PlausibleDates;
import dev.lakehouse.jobs.silver.SilverPipelines;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Silver: validates, deduplicates and MERGEs the bronze rows of one entity that no silver run has
 * consumed yet. Running it again with no new bronze rows changes nothing. Invalid records go to
 * quarantine with the reason. The run itself is {@link SilverPipelines#run}, the same skeleton for
 * every entity.
 */
@Command(name = SilverJob.STEP, description = "Curate the pending bronze rows of one entity.")
public final class SilverJob extends BaseSparkJob {
  public static final String STEP = "silver";

  @Option(names = "--entity", required = true, description = "customers | products | orders")
  private String entity;

  @Option(
      names = "--as-of",
      description = "Run time for time-relative rules such as is_active (default: now).")
  private Instant asOf;

  @Option(
      names = "--plausible-since",
      defaultValue = PlausibleDates.DEFAULT_SINCE,
      description =
          "Order dates before this day (UTC) are quarantined as implausible (default ${DEFAULT-VALUE}).")
  private java.time.LocalDate plausibleSince;

  @Option(
      names = "--plausible-ahead-hours",
      defaultValue = PlausibleDates.DEFAULT_AHEAD_HOURS,
      description =
          "Order dates more than this many hours after the run are quarantined (default ${DEFAULT-VALUE}).")
  private int plausibleAheadHours;

  public static void main(String[] args) {
    JobMain.run(new SilverJob(), args);
  }

  public static SilverJob fromArgs(String... args) {
    return JobMain.parse(new SilverJob(), args);
  }

  @Override
  public JobResult execute(SparkSession spark) {
    SourceEntity source =
        SourceEntity.find(entity)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown entity '" + entity + "': expected customers, products or orders"));
    Instant runTime = asOf != null ? asOf : Instant.now();
    return SilverPipelines.run(
        spark,
        source,
        common.executionIdOrNew(),
        runTime,
        new PlausibleDates(
            plausibleSince.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
            java.time.Duration.ofHours(plausibleAheadHours)));
  }
}
