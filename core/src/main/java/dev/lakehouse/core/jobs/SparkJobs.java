package dev.lakehouse.core.jobs;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.Zone;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Spark jobs of the pipeline, whatever engine runs them: which main class each runs with which
 * fixed arguments, and what each family reads and writes. The deployment (Glue jobs or EMR
 * Serverless job runs, their roles) and the local stack (the generated EMR Serverless definition,
 * the job bindings) all read this one list.
 */
public final class SparkJobs {
  public static final String JOBS_PACKAGE = "dev.lakehouse.jobs.";

  /**
   * The JDBC extract (a table of a database into its bronze table, incrementally by {@code
   * updated_at}). Not among {@link #all()}: the pipeline never runs it; it is deployed once per
   * configured database source, one run at a time per source (two runs from one watermark would
   * append the same rows twice).
   */
  public static final JobSpec JDBC_EXTRACT =
      new JobSpec(
          "JdbcExtractJob",
          "jdbc-extract",
          JOBS_PACKAGE + "JdbcExtractJob",
          Map.of(),
          Family.BRONZE,
          1);

  private SparkJobs() {}

  /** The job families: what each reads and writes, and so which role it gets. */
  public enum Family {
    BRONZE(EnumSet.noneOf(Zone.class), EnumSet.of(Zone.BRONZE, Zone.OPERATIONS), true),
    SILVER(EnumSet.of(Zone.BRONZE), EnumSet.of(Zone.SILVER, Zone.OPERATIONS), false),
    GOLD(EnumSet.of(Zone.SILVER), EnumSet.of(Zone.GOLD, Zone.OPERATIONS), false),
    COMPACTION(EnumSet.noneOf(Zone.class), EnumSet.allOf(Zone.class), false);

    public final Set<Zone> reads;
    public final Set<Zone> writes;
    public final boolean readsLanding;

    Family(Set<Zone> reads, Set<Zone> writes, boolean readsLanding) {
      this.reads = reads;
      this.writes = writes;
      this.readsLanding = readsLanding;
    }
  }

  /**
   * One job: id in the tree, name suffix, Java main, fixed arguments, family, parallel runs
   * allowed.
   */
  public record JobSpec(
      String id,
      String nameSuffix,
      String mainClass,
      Map<String, String> arguments,
      Family family,
      int maxConcurrentRuns) {
    public String simpleClassName() {
      return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /**
     * What the state machine files call this job: {@code BronzeJob} → {@code Bronze} ({@code
     * ${BronzeJobName}}).
     */
    public String placeholderStem() {
      return id.replace("Job", "");
    }

    /** The placeholder the state machine files use for this job's name: {@code BronzeJobName}. */
    public String jobNamePlaceholder() {
      return placeholderStem() + "JobName";
    }
  }

  /**
   * Bronze runs once per landed file (parallel appends retry on commit conflicts); MERGE jobs run
   * one at a time.
   */
  public static List<JobSpec> all() {
    List<JobSpec> specs = new ArrayList<>();
    specs.add(
        new JobSpec(
            "BronzeJob", "bronze", JOBS_PACKAGE + "BronzeIngestJob", Map.of(), Family.BRONZE, 10));
    for (SourceEntity entity : SourceEntity.values()) {
      String label = entity.label();
      specs.add(
          new JobSpec(
              "Silver" + capitalize(label) + "Job",
              "silver-" + label,
              JOBS_PACKAGE + "SilverJob",
              Map.of("--entity", label),
              Family.SILVER,
              1));
    }
    specs.add(new JobSpec("GoldJob", "gold", JOBS_PACKAGE + "GoldJob", Map.of(), Family.GOLD, 1));
    specs.add(
        new JobSpec(
            "CompactionJob",
            "compaction",
            JOBS_PACKAGE + "CompactionJob",
            Map.of(),
            Family.COMPACTION,
            LakehouseTables.all().size()));
    return List.copyOf(specs);
  }

  /**
   * The streaming job: order events from a Kafka topic into {@code raw_orders}, running
   * continuously. Not among {@link #all()} (the batch pipeline's jobs, which the state machines
   * start): it is deployed only on request (CDK context {@code lakehouse:kafkaStream}) and run
   * locally by {@code lakehouse stream}.
   */
  public static final JobSpec STREAM_ORDERS =
      new JobSpec(
          "StreamOrdersJob",
          "stream-orders",
          JOBS_PACKAGE + "KafkaStreamJob",
          Map.of("--topic", "orders", "--entity", "orders"),
          Family.BRONZE,
          1);

  /** The job whose name placeholder (as in {@code ${BronzeJobName}}) is {@code placeholder}. */
  public static JobSpec byJobNamePlaceholder(String placeholder) {
    return all().stream()
        .filter(s -> s.jobNamePlaceholder().equals(placeholder))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no job is named by ${"
                        + placeholder
                        + "}; jobs are "
                        + all().stream().map(JobSpec::jobNamePlaceholder).toList()));
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
