package dev.lakehouse.local.stack;

import dev.lakehouse.core.jobs.EmrServerlessDefinition;
import dev.lakehouse.core.jobs.SparkJobs;
import dev.lakehouse.core.resources.LakehouseFunction;
import dev.lakehouse.core.resources.StatePlaceholders;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names the local stack gives the resources CDK creates on AWS, and the substitutions the ASL
 * files get. The ARNs are shaped like AWS's (account 000000000000) so the same definitions bind to
 * local implementations.
 */
public final class LocalResources {
  public static final String ACCOUNT = "000000000000";
  public static final String REGION = "us-east-1";
  public static final String LANDING_BUCKET = "landing";
  public static final String WAREHOUSE_BUCKET = "warehouse";

  public static final String INGEST_ROUTER = functionName(LakehouseFunction.INGEST_ROUTER);
  public static final String TABLE_ADMIN = functionName(LakehouseFunction.TABLE_ADMIN);
  public static final String MAINTENANCE = functionName(LakehouseFunction.MAINTENANCE);
  public static final String RUN_RECORDER = functionName(LakehouseFunction.RUN_RECORDER);

  // Constants, not lookups, because GlueBinding switches on them; LocalResourcesTest checks each is
  // jobName(spec).
  public static final String BRONZE_JOB = "lakehouse-bronze";
  public static final String SILVER_CUSTOMERS_JOB = "lakehouse-silver-customers";
  public static final String SILVER_PRODUCTS_JOB = "lakehouse-silver-products";
  public static final String SILVER_ORDERS_JOB = "lakehouse-silver-orders";
  public static final String GOLD_JOB = "lakehouse-gold";
  public static final String COMPACTION_JOB = "lakehouse-compaction";

  /**
   * Jobs that run one at a time (MaxConcurrentRuns = 1 on Glue): each reads what the previous run
   * left.
   */
  public static final java.util.Set<String> ONE_RUN_AT_A_TIME =
      java.util.Set.of(SILVER_CUSTOMERS_JOB, SILVER_PRODUCTS_JOB, SILVER_ORDERS_JOB, GOLD_JOB);

  /** The EMR Serverless application the EMR Serverless form of the definitions names. */
  public static final String EMR_APPLICATION_ID = "00lakehouselocal";

  public static final String ALERT_TOPIC =
      "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":lakehouse-alerts";

  private LocalResources() {}

  public static String functionArn(String name) {
    return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name + ":live";
  }

  /**
   * The function name inside a FunctionName parameter: a name, a full ARN, or an ARN with a version
   * or alias.
   */
  public static String functionName(String nameOrArn) {
    if (!nameOrArn.startsWith("arn:")) {
      return nameOrArn;
    }
    String[] parts = nameOrArn.split(":");
    return parts.length >= 7 ? parts[6] : nameOrArn;
  }

  /** The local name of a job: {@code lakehouse-} and its name suffix. */
  public static String jobName(SparkJobs.JobSpec spec) {
    return "lakehouse-" + spec.nameSuffix();
  }

  /**
   * The substitutions of the EMR Serverless form: the Glue form's, and the application, roles, jar
   * and logging.
   */
  public static Map<String, String> emrServerlessSubstitutions() {
    Map<String, String> s = substitutions();
    s.put(EmrServerlessDefinition.APPLICATION_ID, EMR_APPLICATION_ID);
    for (SparkJobs.JobSpec spec : SparkJobs.all()) {
      s.put(
          EmrServerlessDefinition.executionRolePlaceholder(spec),
          "arn:aws:iam::"
              + ACCOUNT
              + ":role/lakehouse-"
              + spec.family().name().toLowerCase()
              + "-execution");
    }
    s.put(
        EmrServerlessDefinition.JOB_JAR_URI,
        "s3://" + WAREHOUSE_BUCKET + "/jobs/lakehouse-glue-jobs.jar");
    // The jobs run on the stack's in-process session, which has the catalog configuration already.
    s.put(EmrServerlessDefinition.SPARK_CONF, "--conf spark.master=local[*]");
    s.put(EmrServerlessDefinition.LOG_GROUP_NAME, "/aws/emr-serverless/lakehouse/jobs");
    s.put(
        EmrServerlessDefinition.LOG_KEY_ARN,
        "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/lakehouse");
    return s;
  }

  /**
   * Every placeholder of the state machine files, bound to the local resources: from the two
   * catalogs.
   */
  public static Map<String, String> substitutions() {
    Map<String, String> s = new LinkedHashMap<>();
    for (LakehouseFunction f : LakehouseFunction.values()) {
      s.put(f.arnPlaceholder(), functionArn(functionName(f)));
    }
    for (SparkJobs.JobSpec spec : SparkJobs.all()) {
      s.put(spec.jobNamePlaceholder(), jobName(spec));
    }
    s.put(StatePlaceholders.ALERT_TOPIC_ARN, ALERT_TOPIC);
    s.put(StatePlaceholders.WAREHOUSE_BUCKET, WAREHOUSE_BUCKET);
    s.put(StatePlaceholders.LANDING_BUCKET, LANDING_BUCKET);
    return s;
  }

  /** The local name of a function: {@code lakehouse-} and its name suffix. */
  public static String functionName(LakehouseFunction function) {
    return "lakehouse-" + function.nameSuffix();
  }
}
