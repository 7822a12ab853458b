package dev.lakehouse.infra;

import dev.lakehouse.core.ingest.BatchSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Node;

/**
 * Every knob of the deployment, read from CDK context ({@code cdk.json} or {@code -c
 * lakehouse:key=value}). Keys are prefixed {@code lakehouse:}; the defaults below are the ones
 * {@code cdk.json} lists, so a missing key never changes behaviour. Values arrive as JSON
 * numbers/booleans from cdk.json and as strings from {@code -c}: both are accepted.
 */
public record LakehouseConfig(
    String environment,
    String glueWorkerType,
    int glueNumberOfWorkers,
    int glueTimeoutMinutes,
    GlueEntryPoint glueEntryPoint,
    String maintenanceSchedule,
    String goldSchedule,
    String scheduleTimezone,
    long athenaBytesScannedCutoff,
    int logRetentionDays,
    String alarmEmail,
    boolean lakeFormation,
    List<String> lakeFormationAdmins,
    long maxObjectBytes,
    boolean reservedConcurrency,
    String powertoolsLogLevel,
    boolean strictArtifacts,
    boolean catalogEncryption,
    Compute compute,
    String emrMaximumCpu,
    String emrMaximumMemory,
    BatchSettings batch,
    int batchMaxReceives,
    int batchMaxAgeSeconds,
    String batchSchedule) {

  public static final String PREFIX = "lakehouse:";
  static final Set<String> ENVIRONMENTS = Set.of("dev", "test", "prod");

  /** How Glue reaches the Java main of a job (see docs/infra.md, "Java jobs on Glue"). */
  public enum GlueEntryPoint {
    /**
     * {@code --class} names the Java main inside the job jar ({@code --extra-jars}); the script is
     * a stub.
     */
    JAR,
    /**
     * {@code --class} names a delegating object in the launcher script, which calls the Java main.
     */
    SCRIPT
  }

  /** Which engine runs the Spark jobs (see docs/deploy.md, "lakehouse:compute"). */
  public enum Compute {
    GLUE("glue"),
    EMR_SERVERLESS("emr-serverless");

    public final String value;

    Compute(String value) {
      this.value = value;
    }

    static Compute of(String value) {
      for (Compute c : values()) {
        if (c.value.equals(value)) {
          return c;
        }
      }
      throw new IllegalArgumentException(
          PREFIX + "compute must be glue or emr-serverless, got '" + value + "'");
    }
  }

  public LakehouseConfig {
    if (!ENVIRONMENTS.contains(environment)) {
      throw new IllegalArgumentException(
          PREFIX + "environment must be one of " + ENVIRONMENTS + ", got " + environment);
    }
    if (glueNumberOfWorkers < 2) {
      throw new IllegalArgumentException(
          PREFIX + "glueNumberOfWorkers must be at least 2 (Glue's minimum for Spark jobs)");
    }
    if (athenaBytesScannedCutoff < 10L * 1024 * 1024) {
      throw new IllegalArgumentException(
          PREFIX + "athenaBytesScannedCutoff must be at least 10 MB (Athena's minimum)");
    }
    lakeFormationAdmins = List.copyOf(lakeFormationAdmins);
    if (!RETENTION.containsKey(logRetentionDays)) {
      throw new IllegalArgumentException(
          PREFIX + "logRetentionDays must be one of " + new TreeSet<>(RETENTION.keySet()));
    }
    // SQS's bounds for a redrive policy's maxReceiveCount.
    if (batchMaxReceives < 1 || batchMaxReceives > 1_000) {
      throw new IllegalArgumentException(
          PREFIX + "batchMaxReceives must be between 1 and 1000, got " + batchMaxReceives);
    }
    if (batchMaxAgeSeconds < 60) {
      throw new IllegalArgumentException(
          PREFIX + "batchMaxAgeSeconds must be at least 60, got " + batchMaxAgeSeconds);
    }
    if (!batchSchedule.matches("(rate|cron)\\(.+\\)")) {
      throw new IllegalArgumentException(
          PREFIX + "batchSchedule must be rate(...) or cron(...), got '" + batchSchedule + "'");
    }
  }

  /** Reads the configuration from the construct tree's context (the App's, in practice). */
  public static LakehouseConfig fromContext(Node node) {
    Context c = new Context(node);
    return new LakehouseConfig(
        c.string("environment", "dev"),
        c.string("glueWorkerType", "G.1X"),
        c.integer("glueNumberOfWorkers", 2),
        c.integer("glueTimeoutMinutes", 60),
        GlueEntryPoint.valueOf(c.string("glueEntryPoint", "jar").toUpperCase(Locale.ROOT)),
        c.string("maintenanceSchedule", "cron(0 3 * * ? *)"),
        c.string("goldSchedule", "cron(30 4 * * ? *)"),
        c.string("scheduleTimezone", "UTC"),
        c.longValue("athenaBytesScannedCutoff", 10L * 1024 * 1024 * 1024),
        c.integer("logRetentionDays", 30),
        c.string("alarmEmail", ""),
        c.bool("lakeFormation", false),
        c.list("lakeFormationAdmins"),
        c.longValue("maxObjectBytes", 512L * 1024 * 1024),
        c.bool("reservedConcurrency", true),
        c.string("powertoolsLogLevel", "INFO"),
        // Deploys refuse placeholder code; only tests synthesize with placeholders (they pass their
        // own artifacts).
        c.bool("strictArtifacts", true),
        // Account-wide: see docs/deploy.md before turning it on.
        c.bool("catalogEncryption", false),
        Compute.of(c.string("compute", "glue")),
        // The EMR Serverless application's ceiling over all its running jobs (emr-serverless only).
        c.string("emrMaximumCpu", "16 vCPU"),
        c.string("emrMaximumMemory", "64 GB"),
        // The batching contract of the ingest queue (docs/batching.md); BatchSettings checks the
        // bounds.
        batchSettings(
            c.integer("batchMaxObjects", BatchSettings.DEFAULT_MAX_OBJECTS),
            c.integer("batchWindowSeconds", BatchSettings.DEFAULT_WINDOW_SECONDS),
            c.integer("batchLeaseSeconds", BatchSettings.DEFAULT_LEASE_SECONDS),
            c.integer("batchMaxPasses", BatchSettings.DEFAULT_MAX_PASSES)),
        c.integer("batchMaxReceives", 5),
        c.integer("batchMaxAgeSeconds", 3_600),
        c.string("batchSchedule", "rate(1 minute)"));
  }

  /**
   * The batch settings, each value checked by {@link BatchSettings} on its own so that a bad one is
   * reported with its context key: {@code lakehouse:batchMaxObjects: batch size must be between 1
   * and 1000, was 0}.
   */
  static BatchSettings batchSettings(
      int maxObjects, int windowSeconds, int leaseSeconds, int maxPasses) {
    BatchSettings d = BatchSettings.defaults();
    checked("batchMaxObjects", () -> d.withMaxObjects(maxObjects));
    checked("batchWindowSeconds", () -> d.withWindowSeconds(windowSeconds));
    checked("batchLeaseSeconds", () -> d.withLeaseSeconds(leaseSeconds));
    checked("batchMaxPasses", () -> d.withMaxPasses(maxPasses));
    return new BatchSettings(maxObjects, windowSeconds, leaseSeconds, maxPasses);
  }

  private static void checked(String key, Supplier<BatchSettings> settings) {
    try {
      settings.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PREFIX + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * A context value that is a JSON array of objects: as cdk.json gives it, or as its text ({@code
   * -c key='[...]'}). Empty when unset; a clear one-line error when it is not such an array.
   */
  public static List<Map<String, Object>> jsonList(Node node, String key) {
    Object raw = node.tryGetContext(key);
    if (raw == null || raw.toString().isBlank()) {
      return List.of();
    }
    try {
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      var type = new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() {};
      return raw instanceof String text ? json.readValue(text, type) : json.convertValue(raw, type);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          key + " must be a JSON array of objects: " + e.getMessage(), e);
    }
  }

  public boolean isProduction() {
    return "prod".equals(environment);
  }

  /** Prefix of every physical name this stack chooses: {@code lakehouse-dev}. */
  public String namePrefix() {
    return "lakehouse-" + environment;
  }

  /**
   * Data and keys survive a stack deletion in prod; dev stacks clean up (a non-empty bucket still
   * blocks it).
   */
  public RemovalPolicy statefulRemovalPolicy() {
    return isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  }

  /** The log retention, one of the periods CloudWatch Logs accepts. */
  public RetentionDays logRetention() {
    RetentionDays r = RETENTION.get(logRetentionDays);
    if (r == null) {
      throw new IllegalArgumentException(
          PREFIX + "logRetentionDays must be one of " + new TreeSet<>(RETENTION.keySet()));
    }
    return r;
  }

  private static final Map<Integer, RetentionDays> RETENTION =
      Map.ofEntries(
          Map.entry(1, RetentionDays.ONE_DAY),
          Map.entry(3, RetentionDays.THREE_DAYS),
          Map.entry(5, RetentionDays.FIVE_DAYS),
          Map.entry(7, RetentionDays.ONE_WEEK),
          Map.entry(14, RetentionDays.TWO_WEEKS),
          Map.entry(30, RetentionDays.ONE_MONTH),
          Map.entry(60, RetentionDays.TWO_MONTHS),
          Map.entry(90, RetentionDays.THREE_MONTHS),
          Map.entry(120, RetentionDays.FOUR_MONTHS),
          Map.entry(150, RetentionDays.FIVE_MONTHS),
          Map.entry(180, RetentionDays.SIX_MONTHS),
          Map.entry(365, RetentionDays.ONE_YEAR),
          Map.entry(400, RetentionDays.THIRTEEN_MONTHS),
          Map.entry(545, RetentionDays.EIGHTEEN_MONTHS),
          Map.entry(731, RetentionDays.TWO_YEARS),
          Map.entry(1827, RetentionDays.FIVE_YEARS),
          Map.entry(3653, RetentionDays.TEN_YEARS));

  private record Context(Node node) {
    Object raw(String key) {
      return node.tryGetContext(PREFIX + key);
    }

    String string(String key, String fallback) {
      Object v = raw(key);
      return v == null ? fallback : v.toString().trim();
    }

    int integer(String key, int fallback) {
      return (int) longValue(key, fallback);
    }

    long longValue(String key, long fallback) {
      Object v = raw(key);
      if (v == null) {
        return fallback;
      }
      if (v instanceof Number n) {
        return n.longValue();
      }
      try {
        return Long.parseLong(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            PREFIX + key + " must be a whole number, got '" + v + "'", e);
      }
    }

    boolean bool(String key, boolean fallback) {
      Object v = raw(key);
      if (v == null) {
        return fallback;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      String s = v.toString().trim().toLowerCase(Locale.ROOT);
      if (!s.equals("true") && !s.equals("false")) {
        throw new IllegalArgumentException(
            PREFIX + key + " must be true or false, got '" + v + "'");
      }
      return Boolean.parseBoolean(s);
    }

    List<String> list(String key) {
      Object v = raw(key);
      List<String> out = new ArrayList<>();
      if (v instanceof List<?> l) {
        l.forEach(o -> out.add(o.toString()));
      } else if (v != null && !v.toString().isBlank()) {
        Arrays.stream(v.toString().split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .forEach(out::add);
      }
      return out;
    }
  }
}
