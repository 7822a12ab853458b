package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.jobs.EmrServerlessDefinition;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The EMR Serverless form of the state machine files: only the job tasks change, and they change
 * exactly so.
 */
class EmrServerlessDefinitionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, String> COMMON = JobsConstruct.catalogArguments("${WarehouseUri}");

  @Test
  void everythingButTheJobTasksEngineSpecificsIsTheGlueDefinition() throws Exception {
    for (String file : List.of("ingest-pipeline.asl.json", "maintenance.asl.json")) {
      Map<String, Object> glue = read(file);
      Map<String, Object> emr = EmrServerlessDefinition.fromGlue(glue, COMMON);
      List<String> glueTasks = new ArrayList<>();
      List<String> emrTasks = new ArrayList<>();
      assertThat(masked(emr, emrTasks)).as(file).isEqualTo(masked(glue, glueTasks));
      assertThat(emrTasks)
          .as(file)
          .isEqualTo(glueTasks)
          .isNotEmpty()
          .allMatch(r -> r.equals(EmrServerlessDefinition.GLUE_RESOURCE));
      assertThat(JSON.writeValueAsString(emr))
          .doesNotContain("glue:startJobRun")
          .doesNotContain("\"Glue.");
      assertThat(JSON.writeValueAsString(glue))
          .as("the input is left as it was")
          .isEqualTo(JSON.writeValueAsString(read(file)));
    }
  }

  @Test
  void theBronzeTaskStartsTheBronzeClassWithTheGlueArgumentsOnTheApplication() throws Exception {
    Map<String, Object> bronze =
        state(EmrServerlessDefinition.fromGlue(read("ingest-pipeline.asl.json"), COMMON), "Bronze");
    assertThat(bronze.get("Resource"))
        .isEqualTo("arn:aws:states:::emr-serverless:startJobRun.sync");
    assertThat(bronze.get("Parameters"))
        .isEqualTo(
            Map.of(
                "ApplicationId", "${EmrApplicationId}",
                "ExecutionRoleArn", "${BronzeExecutionRoleArn}",
                "Name", "${BronzeJobName}",
                "JobDriver",
                    Map.of(
                        "SparkSubmit",
                        ordered(
                            "EntryPoint", "${JobJarUri}",
                            "EntryPointArguments.$",
                                "States.Array('--catalog', 'glue', '--warehouse', '${WarehouseUri}', "
                                    + "'--execution-id', $$.Execution.Id, '--batch-manifest', $.batch.manifest)",
                            "SparkSubmitParameters",
                                "--class dev.lakehouse.jobs.BronzeIngestJob ${SparkSubmitConf}")),
                "ConfigurationOverrides",
                    Map.of(
                        "MonitoringConfiguration",
                        Map.of(
                            "CloudWatchLoggingConfiguration",
                            ordered(
                                "Enabled", true,
                                "LogGroupName", "${EmrLogGroupName}",
                                "LogStreamNamePrefix", "bronze",
                                "EncryptionKeyArn", "${EmrLogKeyArn}")))));
    assertThat(bronze.get("ResultSelector"))
        .isEqualTo(Map.of("jobRunId.$", "$.JobRunId", "state.$", "$.State"));
    assertThat(map(((List<?>) bronze.get("Retry")).get(0)).get("ErrorEquals"))
        .isEqualTo(
            List.of("EMRServerless.ThrottlingException", "EMRServerless.InternalServerException"));
  }

  @Test
  void aSilverTaskGetsItsEntityFromTheJobListAndTheCompactionTaskItsTable() throws Exception {
    Map<String, Object> orders =
        state(
            EmrServerlessDefinition.fromGlue(read("ingest-pipeline.asl.json"), COMMON),
            "SilverOrders");
    Map<String, Object> submit =
        map(map(map(orders.get("Parameters")).get("JobDriver")).get("SparkSubmit"));
    assertThat(submit.get("EntryPointArguments.$"))
        .isEqualTo(
            "States.Array('--catalog', 'glue', '--warehouse', "
                + "'${WarehouseUri}', '--entity', 'orders', '--execution-id', $$.Execution.Id)");
    assertThat(submit.get("SparkSubmitParameters"))
        .isEqualTo("--class dev.lakehouse.jobs.SilverJob ${SparkSubmitConf}");
    assertThat(map(orders.get("Parameters")).get("ExecutionRoleArn"))
        .isEqualTo("${SilverOrdersExecutionRoleArn}");

    Map<String, Object> maintenance =
        EmrServerlessDefinition.fromGlue(read("maintenance.asl.json"), Map.of());
    Map<String, Object> compact =
        map(
            map(map(map(map(maintenance.get("States")).get("MaintainTables")).get("ItemProcessor"))
                    .get("States"))
                .get("Compact"));
    Map<String, Object> compactSubmit =
        map(map(map(compact.get("Parameters")).get("JobDriver")).get("SparkSubmit"));
    assertThat(compactSubmit.get("EntryPointArguments.$"))
        .isEqualTo("States.Array('--table', $.table, '--execution-id', $.executionId)");
    assertThat(compact.get("ResultSelector")).isEqualTo(Map.of("state.$", "$.State"));
  }

  @Test
  void staticArgumentsStayAListAndLiteralsAreEscapedForTheIntrinsic() {
    Map<String, Object> glue =
        definition(
            Map.of(
                "JobName", "${GoldJobName}", "Arguments", ordered("--execution-id", "it's {x}\\")));
    Map<String, Object> submit =
        sparkSubmit(EmrServerlessDefinition.fromGlue(glue, Map.of("--warehouse", "${W}")));
    assertThat(submit.get("EntryPointArguments"))
        .isEqualTo(List.of("--warehouse", "${W}", "--execution-id", "it's {x}\\"));
    Map<String, Object> dynamic =
        definition(
            Map.of(
                "JobName",
                "${GoldJobName}",
                "Arguments",
                ordered("--note", "it's {x}\\", "--execution-id.$", "$$.Execution.Id")));
    assertThat(
            sparkSubmit(EmrServerlessDefinition.fromGlue(dynamic, Map.of("--warehouse", "${W}")))
                .get("EntryPointArguments.$"))
        .isEqualTo(
            "States.Array('--warehouse', '${W}', '--note', 'it\\'s \\{x\\}\\\\', "
                + "'--execution-id', $$.Execution.Id)");
  }

  @Test
  void aRunArgumentReplacesTheFixedOneOfTheSameNameAsGlueMergesThem() {
    Map<String, Object> glue =
        definition(
            Map.of(
                "JobName",
                "${SilverProductsJobName}",
                "Arguments",
                ordered("--entity", "customers")));
    assertThat(
            sparkSubmit(EmrServerlessDefinition.fromGlue(glue, Map.of()))
                .get("EntryPointArguments"))
        .isEqualTo(List.of("--entity", "customers"));
  }

  @Test
  void whatCannotBeTranslatedFailsWithTheReason() {
    assertThatThrownBy(
            () ->
                EmrServerlessDefinition.fromGlue(
                    definition(Map.of("JobName", "lakehouse-dev-gold")), Map.of()))
        .hasMessageContaining("JobName must be a job's placeholder");
    assertThatThrownBy(
            () ->
                EmrServerlessDefinition.fromGlue(
                    definition(Map.of("JobName", "${NoSuchJobName}")), Map.of()))
        .hasMessageContaining("no job is named by ${NoSuchJobName}");
    assertThatThrownBy(
            () ->
                EmrServerlessDefinition.fromGlue(
                    definition(Map.of("JobName", "${GoldJobName}", "Timeout", 5)), Map.of()))
        .hasMessageContaining("may only set");
    Map<String, Object> unknownError = definition(Map.of("JobName", "${GoldJobName}"));
    state(unknownError, "Job")
        .put("Retry", List.of(Map.of("ErrorEquals", List.of("Glue.AccessDeniedException"))));
    assertThatThrownBy(() -> EmrServerlessDefinition.fromGlue(unknownError, Map.of()))
        .hasMessageContaining("Glue.AccessDeniedException has no known EMR Serverless twin");
    Map<String, Object> unknownField = definition(Map.of("JobName", "${GoldJobName}"));
    state(unknownField, "Job").put("ResultSelector", Map.of("took.$", "$.ExecutionTime"));
    assertThatThrownBy(() -> EmrServerlessDefinition.fromGlue(unknownField, Map.of()))
        .hasMessageContaining("selects $.ExecutionTime");
  }

  // ---- helpers

  /**
   * The definition with every job task's engine-specific parts masked: Resource (recorded in {@code
   * resources}), Parameters, the selected paths (the field names stay) and the error names of Retry
   * and Catch.
   */
  @SuppressWarnings("unchecked")
  static Object masked(Object node, List<String> resources) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, masked(v, resources)));
      Object resource = copy.get("Resource");
      if (resource instanceof String r
          && (r.equals(EmrServerlessDefinition.GLUE_RESOURCE)
              || r.equals(EmrServerlessDefinition.EMR_SERVERLESS_RESOURCE))) {
        resources.add(EmrServerlessDefinition.GLUE_RESOURCE);
        copy.put("Resource", "JOB");
        copy.put("Parameters", "MASKED");
        if (copy.get("ResultSelector") instanceof Map<?, ?> selector) {
          Map<String, Object> fields = new LinkedHashMap<>();
          selector.keySet().forEach(k -> fields.put((String) k, "MASKED"));
          copy.put("ResultSelector", fields);
        }
        for (String list : List.of("Retry", "Catch")) {
          if (copy.get(list) instanceof List<?> entries) {
            copy.put(
                list,
                entries.stream()
                    .map(
                        e -> {
                          Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) e);
                          entry.put("ErrorEquals", "MASKED");
                          return entry;
                        })
                    .toList());
          }
        }
      }
      return copy;
    }
    if (node instanceof List<?> l) {
      return l.stream().map(v -> masked(v, resources)).toList();
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> read(String file) throws Exception {
    return JSON.readValue(Files.readString(TestStacks.aslFile(file)), Map.class);
  }

  static Map<String, Object> state(Map<String, Object> definition, String name) {
    return map(map(definition.get("States")).get(name));
  }

  /** A one-state definition: a Glue job task with these parameters. */
  static Map<String, Object> definition(Map<String, Object> parameters) {
    Map<String, Object> task =
        new LinkedHashMap<>(
            Map.of(
                "Type",
                "Task",
                "Resource",
                EmrServerlessDefinition.GLUE_RESOURCE,
                "Parameters",
                parameters,
                "End",
                true));
    return new LinkedHashMap<>(
        Map.of("StartAt", "Job", "States", new LinkedHashMap<>(Map.of("Job", task))));
  }

  static Map<String, Object> sparkSubmit(Map<String, Object> definition) {
    return map(
        map(map(state(definition, "Job").get("Parameters")).get("JobDriver")).get("SparkSubmit"));
  }

  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
