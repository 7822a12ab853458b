package dev.lakehouse.core.jobs;

import dev.lakehouse.core.jobs.SparkJobs.JobSpec;
import dev.lakehouse.core.resources.StatePlaceholders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The EMR Serverless form of a state machine definition, derived from its Glue form (the files in
 * {@code statemachines/}, which stay the one source of the pipeline). Only the job tasks change:
 * their Resource, Parameters, ResultSelector paths and the engine-specific error names of their
 * Retry and Catch lists. States, transitions, Choice rules, retry timing, timeouts and result paths
 * are copied as they are.
 *
 * <p>The definition is a parsed JSON tree of maps, lists and scalars, so each module parses and
 * writes it with the JSON library it already has (infra: jsii's; the local runner: Spark's). The
 * generated tasks name what differs per deployment through placeholders ({@link #APPLICATION_ID},
 * {@link #executionRolePlaceholder}...), substituted like the file's own {@code ${...}}
 * placeholders, so the deployment grants exactly what the definition names.
 */
public final class EmrServerlessDefinition {
  public static final String GLUE_RESOURCE = "arn:aws:states:::glue:startJobRun.sync";
  public static final String EMR_SERVERLESS_RESOURCE =
      "arn:aws:states:::emr-serverless:startJobRun.sync";

  /** The EMR Serverless application the job runs start on. */
  public static final String APPLICATION_ID = "EmrApplicationId";

  /** The S3 URL of the jobs jar (the same shaded jar the Glue jobs run). */
  public static final String JOB_JAR_URI = "JobJarUri";

  /**
   * The {@code --conf k=v ...} part of SparkSubmitParameters: the catalog's Spark configuration.
   */
  public static final String SPARK_CONF = "SparkSubmitConf";

  /** The CloudWatch log group the job runs log to, and the key encrypting their logs. */
  public static final String LOG_GROUP_NAME = "EmrLogGroupName";

  public static final String LOG_KEY_ARN = "EmrLogKeyArn";

  /**
   * Glue error names the definitions retry, and their EMR Serverless twins (the service integration
   * raises the EMR Serverless API's exceptions prefixed with the service name).
   */
  public static final Map<String, String> ERROR_TWINS =
      Map.of(
          "Glue.ThrottlingException", "EMRServerless.ThrottlingException",
          "Glue.InternalServiceException", "EMRServerless.InternalServerException");

  /**
   * Glue errors with no EMR Serverless twin, dropped from the lists. Glue refuses a run beyond the
   * job's MaxConcurrentRuns with ConcurrentRunsExceededException; EMR Serverless has no per-job
   * concurrency limit and queues runs beyond the application's maximum capacity instead of refusing
   * them, so there is nothing to retry. One-at-a-time silver and gold runs then rest on Iceberg's
   * optimistic commits (a conflicting commit is retried by the job, see CommitConflicts), not on
   * the engine.
   */
  public static final Set<String> ERRORS_WITHOUT_TWIN =
      Set.of("Glue.ConcurrentRunsExceededException");

  /**
   * The Glue JobRun fields the definitions select, and where the EMR Serverless job run has them.
   */
  public static final Map<String, String> RESULT_PATHS =
      Map.of("$.Id", "$.JobRunId", "$.JobRunState", "$.State");

  private EmrServerlessDefinition() {}

  /**
   * The placeholder naming the execution role a job's runs assume: {@code BronzeExecutionRoleArn}.
   */
  public static String executionRolePlaceholder(JobSpec spec) {
    return spec.placeholderStem() + "ExecutionRoleArn";
  }

  /** The value of a placeholder, as it appears in a definition. */
  public static String placeholder(String name) {
    return StatePlaceholders.of(name);
  }

  /**
   * The EMR Serverless form of {@code glue}, a parsed Glue-form definition (left unchanged).
   *
   * @param commonArguments arguments every job gets before its own (the catalog options the Glue
   *     jobs have among their default arguments); empty where the caller provides them otherwise
   */
  public static Map<String, Object> fromGlue(
      Map<String, Object> glue, Map<String, String> commonArguments) {
    return asMap(rewrite(glue, commonArguments));
  }

  private static Object rewrite(Object node, Map<String, String> common) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, rewrite(v, common)));
      return isGlueJobTask(copy) ? jobTask(copy, common) : copy;
    }
    if (node instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(rewrite(v, common)));
      return copy;
    }
    return node;
  }

  private static boolean isGlueJobTask(Map<String, Object> state) {
    return "Task".equals(state.get("Type")) && GLUE_RESOURCE.equals(state.get("Resource"));
  }

  private static Map<String, Object> jobTask(
      Map<String, Object> glueTask, Map<String, String> common) {
    Map<String, Object> task = new LinkedHashMap<>();
    glueTask.forEach(
        (key, value) ->
            task.put(
                key,
                switch (key) {
                  case "Resource" -> EMR_SERVERLESS_RESOURCE;
                  case "Parameters" -> parameters(asMap(value), common);
                  case "ResultSelector" -> resultSelector(asMap(value));
                  case "Retry", "Catch" -> errorLists(value);
                  default -> value;
                }));
    return task;
  }

  private static Map<String, Object> parameters(
      Map<String, Object> glue, Map<String, String> common) {
    Set<String> known = Set.of("JobName", "Arguments");
    if (!known.containsAll(glue.keySet())) {
      throw new IllegalArgumentException(
          "a Glue job task may only set "
              + known
              + " to be run on EMR Serverless, got "
              + glue.keySet());
    }
    String jobName = String.valueOf(glue.get("JobName"));
    Matcher m = StatePlaceholders.PATTERN.matcher(jobName);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a job task's JobName must be a job's placeholder such as ${BronzeJobName}, "
              + "got "
              + jobName);
    }
    JobSpec spec = SparkJobs.byJobNamePlaceholder(m.group(1));

    // Glue merges a run's Arguments over the job's default arguments; a picocli option given twice
    // is an error, so a
    // run argument replaces the fixed one of the same name here.
    Map<String, String> fixed = new LinkedHashMap<>(common);
    fixed.putAll(spec.arguments());
    List<String> terms = new ArrayList<>();
    List<String> stateTerms = new ArrayList<>();
    boolean dynamic = false;
    for (Map.Entry<String, Object> arg :
        asMap(glue.getOrDefault("Arguments", Map.of())).entrySet()) {
      boolean path = arg.getKey().endsWith(".$");
      String name = path ? arg.getKey().substring(0, arg.getKey().length() - 2) : arg.getKey();
      fixed.remove(name);
      stateTerms.add(literal(name));
      stateTerms.add(
          path ? String.valueOf(arg.getValue()) : literal(String.valueOf(arg.getValue())));
      dynamic |= path;
    }
    fixed.forEach(
        (name, value) -> {
          terms.add(literal(name));
          terms.add(literal(value));
        });
    terms.addAll(stateTerms);

    Map<String, Object> sparkSubmit = new LinkedHashMap<>();
    sparkSubmit.put("EntryPoint", placeholder(JOB_JAR_URI));
    if (dynamic) {
      // A JSONPath value needs the States.Array intrinsic; its literals are quoted.
      sparkSubmit.put("EntryPointArguments.$", "States.Array(" + String.join(", ", terms) + ")");
    } else {
      sparkSubmit.put(
          "EntryPointArguments", terms.stream().map(EmrServerlessDefinition::unquote).toList());
    }
    sparkSubmit.put(
        "SparkSubmitParameters", "--class " + spec.mainClass() + " " + placeholder(SPARK_CONF));

    Map<String, Object> logging = new LinkedHashMap<>();
    logging.put("Enabled", true);
    logging.put("LogGroupName", placeholder(LOG_GROUP_NAME));
    logging.put("LogStreamNamePrefix", spec.nameSuffix());
    logging.put("EncryptionKeyArn", placeholder(LOG_KEY_ARN));

    Map<String, Object> p = new LinkedHashMap<>();
    p.put("ApplicationId", placeholder(APPLICATION_ID));
    p.put("ExecutionRoleArn", placeholder(executionRolePlaceholder(spec)));
    p.put("Name", jobName);
    p.put("JobDriver", Map.of("SparkSubmit", sparkSubmit));
    p.put(
        "ConfigurationOverrides",
        Map.of("MonitoringConfiguration", Map.of("CloudWatchLoggingConfiguration", logging)));
    return p;
  }

  private static Map<String, Object> resultSelector(Map<String, Object> glue) {
    Map<String, Object> selector = new LinkedHashMap<>();
    glue.forEach(
        (field, path) -> {
          String emr = RESULT_PATHS.get(String.valueOf(path));
          if (emr == null) {
            throw new IllegalArgumentException(
                "a job task selects "
                    + path
                    + " from Glue's JobRun; its EMR Serverless "
                    + "place is not known (known: "
                    + RESULT_PATHS.keySet()
                    + ")");
          }
          selector.put(field, emr);
        });
    return selector;
  }

  private static List<Object> errorLists(Object retriersOrCatchers) {
    List<Object> out = new ArrayList<>();
    for (Object entry : (List<?>) retriersOrCatchers) {
      Map<String, Object> copy = new LinkedHashMap<>(asMap(entry));
      List<String> names = new ArrayList<>();
      for (Object error : (List<?>) copy.get("ErrorEquals")) {
        String name = String.valueOf(error);
        if (ERROR_TWINS.containsKey(name)) {
          names.add(ERROR_TWINS.get(name));
        } else if (name.startsWith("Glue.") && !ERRORS_WITHOUT_TWIN.contains(name)) {
          throw new IllegalArgumentException(
              name
                  + " has no known EMR Serverless twin: add it to ERROR_TWINS or to "
                  + "ERRORS_WITHOUT_TWIN with the reason");
        } else if (!name.startsWith("Glue.")) {
          names.add(name);
        }
      }
      if (names.isEmpty()) {
        throw new IllegalArgumentException(
            "every error of " + copy.get("ErrorEquals") + " is Glue-only");
      }
      copy.put("ErrorEquals", names);
      out.add(copy);
    }
    return out;
  }

  /**
   * A string literal of an intrinsic function: quoted, with {@code ' { } \} escaped. A {@code
   * ${...}} sequence is kept as it is: it is a placeholder or a CDK token, replaced before Step
   * Functions reads the definition.
   */
  static String literal(String value) {
    StringBuilder out = new StringBuilder("'");
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      int close = value.indexOf('}', i);
      if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{' && close > 0) {
        out.append(value, i, close + 1);
        i = close + 1;
        continue;
      }
      if (c == '\'' || c == '{' || c == '}' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
      i++;
    }
    return out.append('\'').toString();
  }

  private static String unquote(String literal) {
    StringBuilder out = new StringBuilder();
    String body = literal.substring(1, literal.length() - 1);
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        c = body.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }
}
