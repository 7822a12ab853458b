package dev.lakehouse.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.TaskFailedException;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.TaskInvocation;
import dev.lakehouse.core.jobs.EmrServerlessDefinition;
import dev.lakehouse.core.jobs.SparkJobs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code arn:aws:states:::emr-serverless:startJobRun.sync} → the same local Spark job the Glue task
 * runs. The job is found as EMR Serverless finds it, from the task's {@code --class} and its entry
 * point arguments (a silver job by its {@code --entity}), and runs through the Glue binding with
 * the remaining arguments, as the Glue job named by the Glue form of the same task would: same job
 * class, same arguments, same locks and faults. The answer has the shape of EMR Serverless's job
 * run ({@code JobRunId}, {@code State}); a failed run fails the task with {@code States.TaskFailed}
 * and the job run as the cause.
 */
final class EmrServerlessBinding implements TaskHandler {
  static final String RESOURCE = EmrServerlessDefinition.EMR_SERVERLESS_RESOURCE;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Glue job a job run resolves to: its name and the arguments of the Glue form's task. */
  record GlueRun(String jobName, Map<String, String> arguments) {}

  private final TaskHandler glue;

  EmrServerlessBinding(TaskHandler glue) {
    this.glue = glue;
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation) throws TaskFailedException {
    JsonNode parameters = invocation.parameters();
    GlueRun run = resolve(parameters);
    ObjectNode glueParameters = JSON.createObjectNode();
    glueParameters.put("JobName", run.jobName());
    glueParameters.set("Arguments", JSON.valueToTree(run.arguments()));
    String applicationId = parameters.path("ApplicationId").asText();
    try {
      JsonNode jobRun =
          glue.invoke(
              new TaskInvocation(
                  GlueBinding.RESOURCE,
                  glueParameters,
                  invocation.stateName(),
                  invocation.context(),
                  invocation.executionId()));
      return jobRun(applicationId, parameters, jobRun, "SUCCESS");
    } catch (TaskFailedException e) {
      if (!"States.TaskFailed".equals(e.error())) {
        throw e;
      }
      throw new TaskFailedException(
          "States.TaskFailed",
          jobRun(applicationId, parameters, glueJobRun(e.cause()), "FAILED").toString());
    }
  }

  /** The Glue binding's failed JobRun, which it gives as the cause of a failed task. */
  private static JsonNode glueJobRun(String cause) {
    try {
      return JSON.readTree(cause);
    } catch (com.fasterxml.jackson.core.JsonProcessingException notAJobRun) {
      throw new IllegalStateException(
          "the Glue binding's failure cause is not a JobRun: " + cause, notAJobRun);
    }
  }

  /**
   * The EMR Serverless form of a Glue-form definition, as the deployment derives it. No common
   * arguments: locally the jobs run on the stack's session and catalog, as the Glue binding runs
   * them.
   */
  static String definition(String glueDefinition) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> glue = JSON.readValue(glueDefinition, Map.class);
      return JSON.writeValueAsString(EmrServerlessDefinition.fromGlue(glue, Map.of()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "a state machine definition is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The job a task's parameters start: the job whose main class is the {@code --class} of
   * SparkSubmitParameters and whose fixed arguments are among the entry point arguments; its local
   * Glue job name and the other arguments.
   */
  static GlueRun resolve(JsonNode parameters) throws TaskFailedException {
    JsonNode submit = parameters.path("JobDriver").path("SparkSubmit");
    List<String> words =
        List.of(submit.path("SparkSubmitParameters").asText().trim().split("\\s+"));
    int classAt = words.indexOf("--class");
    if (classAt < 0 || classAt + 1 >= words.size()) {
      throw new TaskFailedException(
          "EMRServerless.ValidationException",
          "SparkSubmitParameters name no --class: "
              + submit.path("SparkSubmitParameters").asText());
    }
    String mainClass = words.get(classAt + 1);
    Map<String, String> arguments = new LinkedHashMap<>();
    List<String> args = new ArrayList<>();
    submit.path("EntryPointArguments").forEach(a -> args.add(a.asText()));
    if (args.size() % 2 != 0) {
      throw new TaskFailedException(
          "EMRServerless.ValidationException",
          "entry point arguments are not --name value " + "pairs: " + args);
    }
    for (int i = 0; i < args.size(); i += 2) {
      arguments.put(args.get(i), args.get(i + 1));
    }
    for (SparkJobs.JobSpec spec : SparkJobs.all()) {
      if (spec.mainClass().equals(mainClass)
          && arguments.entrySet().containsAll(spec.arguments().entrySet())) {
        Map<String, String> rest = new LinkedHashMap<>(arguments);
        spec.arguments().keySet().forEach(rest::remove);
        return new GlueRun(LocalResources.jobName(spec), rest);
      }
    }
    throw new TaskFailedException(
        "EMRServerless.ValidationException", "no job runs " + mainClass + " with " + arguments);
  }

  /** EMR Serverless's job run, made of the Glue binding's JobRun. */
  private static ObjectNode jobRun(
      String applicationId, JsonNode parameters, JsonNode glueRun, String state) {
    ObjectNode run = JSON.createObjectNode();
    run.put("ApplicationId", applicationId);
    run.put("JobRunId", glueRun.path("Id").asText());
    run.put("Name", parameters.path("Name").asText());
    run.put("ExecutionRole", parameters.path("ExecutionRoleArn").asText());
    run.put("State", state);
    run.put("StateDetails", glueRun.path("ErrorMessage").asText(""));
    run.put("CreatedAt", glueRun.path("StartedOn").asText());
    run.put("UpdatedAt", glueRun.path("CompletedOn").asText());
    run.set("JobDriver", parameters.path("JobDriver"));
    if (glueRun.has("LakehouseResult")) {
      run.set("LakehouseResult", glueRun.get("LakehouseResult"));
    }
    return run;
  }
}
