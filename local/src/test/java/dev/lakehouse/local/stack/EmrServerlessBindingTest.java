package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.AslLoader;
import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.Runner;
import dev.lakehouse.asl.StateMachine;
import dev.lakehouse.asl.TaskFailedException;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.TaskHandlers;
import dev.lakehouse.core.jobs.SparkJobs;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The EMR Serverless form of the ingest pipeline, run by the ASL runner: its job tasks reach the
 * same jobs, with the same arguments, as the Glue form's. The jobs are stood in for by a recorder
 * at the Glue binding's place (the Spark runs themselves are the Glue binding's, exercised by the
 * stack tests); the claim and the recording are Lambda-shaped answers.
 */
class EmrServerlessBindingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String EXECUTION =
      "arn:aws:states:local:000000000000:execution:ingest-pipeline:landed-1";
  static final String MANIFEST = "s3://landing/batches/landed-1.json";

  /** One job run as the Glue binding receives it. */
  record JobCall(String jobName, Map<String, String> arguments) {}

  final List<JobCall> calls = Collections.synchronizedList(new ArrayList<>());
  volatile String failingJob;

  /**
   * Stands in for the Glue binding: records the run, answers with Glue's JobRun, fails the chosen
   * job.
   */
  final TaskHandler glueJobs =
      inv -> {
        String job = inv.parameters().path("JobName").asText();
        calls.add(
            new JobCall(job, JSON.convertValue(inv.parameters().path("Arguments"), Map.class)));
        ObjectNode run =
            JSON.createObjectNode().put("Id", "jr_" + calls.size()).put("JobName", job);
        if (job.equals(failingJob)) {
          run.put("JobRunState", "FAILED").put("ErrorMessage", "IllegalStateException: boom");
          throw new TaskFailedException("States.TaskFailed", run.toString());
        }
        return run.put("JobRunState", "SUCCEEDED");
      };

  /**
   * The router's and the recorder's answers, wrapped as the lambda:invoke integration wraps them.
   */
  final TaskHandler functions =
      inv -> {
        ObjectNode payload = JSON.createObjectNode();
        boolean claim =
            inv.parameters().path("FunctionName").asText().contains(LocalResources.INGEST_ROUTER)
                && inv.parameters().path("Payload").path("operation").asText().equals("claim");
        if (claim) {
          payload
              .put("status", "ready")
              .put("waitSeconds", 0)
              .put("batchId", "landed-1")
              .put("manifest", MANIFEST)
              .put("pass", 1)
              .put("accepted", 1)
              .put("skipped", 0)
              .put("rejected", 0)
              .put("acceptedTotal", 1)
              .put("more", false)
              .put("customers", false)
              .put("products", false)
              .put("orders", true);
        }
        ObjectNode answer = JSON.createObjectNode().put("StatusCode", 200);
        answer.set("Payload", payload);
        return answer;
      };

  TaskHandlers handlers() {
    return TaskHandlers.of(
        Map.of(
            LambdaBinding.RESOURCE,
            functions,
            GlueBinding.RESOURCE,
            glueJobs,
            EmrServerlessBinding.RESOURCE,
            new EmrServerlessBinding(glueJobs),
            SnsOutbox.RESOURCE,
            inv -> JSON.createObjectNode()));
  }

  StateMachine glueForm() {
    return AslLoader.load(
        ProjectFiles.locate().stateMachine(LocalStack.INGEST_PIPELINE),
        LocalResources.substitutions(),
        handlers());
  }

  StateMachine emrForm() throws Exception {
    String glue = Files.readString(ProjectFiles.locate().stateMachine(LocalStack.INGEST_PIPELINE));
    return AslLoader.load(
        LocalStack.INGEST_PIPELINE,
        EmrServerlessBinding.definition(glue),
        LocalResources.emrServerlessSubstitutions(),
        handlers());
  }

  Execution run(StateMachine machine) {
    try (Runner runner = Runner.builder().handlers(handlers()).build()) {
      return runner.start(
          machine,
          "landed-1",
          S3Events.objectCreated("landing", "landing/orders/o-1.jsonl", 10, "e1"));
    }
  }

  @Test
  void theEmrServerlessFormRunsTheGlueFormsJobsWithTheSameArguments() throws Exception {
    Execution glue = run(glueForm());
    List<JobCall> glueCalls = List.copyOf(calls);
    calls.clear();
    Execution emr = run(emrForm());

    assertThat(emr.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(glue.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls)
        .isEqualTo(glueCalls)
        .containsExactly(
            new JobCall(
                "lakehouse-bronze",
                ordered("--execution-id", EXECUTION, "--batch-manifest", MANIFEST)),
            new JobCall("lakehouse-silver-orders", ordered("--execution-id", EXECUTION)),
            new JobCall("lakehouse-gold", ordered("--execution-id", EXECUTION)));
    // The selected fields keep their names; the state is each engine's word for success.
    assertThat(emr.output().path("bronze"))
        .isEqualTo(JSON.readTree("{\"jobRunId\":\"jr_1\",\"state\":\"SUCCESS\"}"));
    assertThat(glue.output().path("bronze"))
        .isEqualTo(JSON.readTree("{\"jobRunId\":\"jr_1\",\"state\":\"SUCCEEDED\"}"));
    assertThat(emr.output().path("gold").path("jobRunId").asText()).isEqualTo("jr_3");
  }

  @Test
  void aFailedJobRunFailsItsTaskWithTheJobRunAsCause() throws Exception {
    failingJob = "lakehouse-gold";
    Execution emr = run(emrForm());
    assertThat(emr.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(emr.error()).isEqualTo("States.TaskFailed");
    JsonNode cause = JSON.readTree(emr.cause());
    assertThat(cause.path("State").asText()).isEqualTo("FAILED");
    assertThat(cause.path("StateDetails").asText()).isEqualTo("IllegalStateException: boom");
    assertThat(cause.path("JobRunId").asText()).isEqualTo("jr_3");
    assertThat(cause.path("ApplicationId").asText()).isEqualTo(LocalResources.EMR_APPLICATION_ID);
    assertThat(cause.path("Name").asText()).isEqualTo("lakehouse-gold");
  }

  @Test
  void aJobRunResolvesToTheJobOfItsClassAndFixedArguments() throws Exception {
    JsonNode silver =
        JSON.readTree(
            "{\"JobDriver\":{\"SparkSubmit\":{\"SparkSubmitParameters\":"
                + "\"--class dev.lakehouse.jobs.SilverJob --conf spark.master=local[*]\",\"EntryPointArguments\":"
                + "[\"--entity\",\"products\",\"--execution-id\",\"x\"]}}}");
    assertThat(EmrServerlessBinding.resolve(silver))
        .isEqualTo(
            new EmrServerlessBinding.GlueRun(
                "lakehouse-silver-products", Map.of("--execution-id", "x")));
    JsonNode unknown =
        JSON.readTree(
            "{\"JobDriver\":{\"SparkSubmit\":{\"SparkSubmitParameters\":"
                + "\"--class dev.lakehouse.jobs.NoSuchJob\",\"EntryPointArguments\":[]}}}");
    assertThatThrownBy(() -> EmrServerlessBinding.resolve(unknown))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("EMRServerless.ValidationException");
  }

  @Test
  void everyJobsLocalNameIsWhatItsPlaceholderIsSubstitutedWith() {
    for (SparkJobs.JobSpec spec : SparkJobs.all()) {
      assertThat(LocalResources.substitutions().get(spec.jobNamePlaceholder()))
          .as(spec.id())
          .isEqualTo(LocalResources.jobName(spec));
    }
  }

  static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
