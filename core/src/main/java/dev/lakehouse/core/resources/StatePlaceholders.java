package dev.lakehouse.core.resources;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${Name}} placeholders of the state machine files: their syntax, and the names that are
 * neither a function ({@link LakehouseFunction#arnPlaceholder()}) nor a job ({@link
 * dev.lakehouse.core.jobs.SparkJobs.JobSpec#jobNamePlaceholder()}). The CDK app substitutes them
 * with the deployed resources and grants what they name; the local stack with its local resources.
 */
public final class StatePlaceholders {
  /**
   * {@code ${Name}}: a letter, then letters, digits or underscores (what CloudFormation
   * substitutions accept).
   */
  public static final Pattern PATTERN = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");

  public static final String ALERT_TOPIC_ARN = "AlertTopicArn";
  public static final String WAREHOUSE_BUCKET = "WarehouseBucket";
  public static final String LANDING_BUCKET = "LandingBucket";

  private StatePlaceholders() {}

  /** The placeholder names {@code text} uses, sorted. */
  public static Set<String> in(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = PATTERN.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** {@code name} as it appears in a definition: {@code ${name}}. */
  public static String of(String name) {
    return "${" + name + "}";
  }
}
