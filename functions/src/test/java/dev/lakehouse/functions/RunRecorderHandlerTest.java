package dev.lakehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderHandlerTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  @TempDir Path home;
  RunLog log;
  RunRecorderHandler handler;

  @BeforeEach
  void setUp() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision();
    log = new RunLog(catalog);
    handler =
        new RunRecorderHandler(
            log,
            uri -> {
              throw new AssertionError("no batch here: " + uri);
            },
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void recordsASuccessfulStep() {
    Map<String, Object> out =
        handler.handleRequest(
            Map.of(
                "executionId",
                "exec-1",
                "step",
                "bronze",
                "table",
                "raw_orders",
                "sourceFile",
                "s3://landing/landing/orders/a.jsonl",
                "sourceEtag",
                "e1",
                "rowsIn",
                10,
                "rowsWritten",
                9,
                "rowsRejected",
                1,
                "snapshotId",
                "42",
                "startedAt",
                "2026-11-25T11:59:00Z"),
            new TestContext());

    assertThat(out)
        .isEqualTo(
            Map.of(
                "recorded",
                true,
                "executionId",
                "exec-1",
                "step",
                "bronze",
                "status",
                "SUCCEEDED"));
    assertThat(log.forExecution("exec-1"))
        .containsExactly(
            new PipelineRun(
                "exec-1",
                "bronze",
                "raw_orders",
                "s3://landing/landing/orders/a.jsonl",
                "e1",
                10L,
                9L,
                1L,
                42L,
                RunStatus.SUCCEEDED,
                null,
                Instant.parse("2026-11-25T11:59:00Z"),
                NOW));
    assertThat(log.completedIngest("s3://landing/landing/orders/a.jsonl", "e1"))
        .as("bronze alone is not a load")
        .isEmpty();
  }

  @Test
  void recordsAFailureFromAStepFunctionsCatch() {
    String cause =
        "{\"errorMessage\":\"'landing/x/a.jsonl': no table\",\"errorType\":\"dev.lakehouse.core.ingest.UnknownTable\"}";
    Map<String, Object> out =
        handler.handleRequest(
            Map.of(
                "executionId",
                "exec-2",
                "step",
                "route",
                "error",
                Map.of("Error", "dev.lakehouse.core.ingest.UnknownTable", "Cause", cause)),
            null);

    assertThat(out)
        .containsEntry("status", "FAILED")
        .containsEntry(
            "message", "dev.lakehouse.core.ingest.UnknownTable: 'landing/x/a.jsonl': no table");
    assertThat(log.forExecution("exec-2"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.status()).isEqualTo(RunStatus.FAILED);
              assertThat(run.message())
                  .isEqualTo(
                      "dev.lakehouse.core.ingest.UnknownTable: 'landing/x/a.jsonl': no table");
              assertThat(run.rowsWritten()).isNull();
            });
    assertThat(RunRecorderHandler.describe("States.Timeout", "not json"))
        .isEqualTo("States.Timeout: not json");
  }

  /** What the execution status-change rule sends for an aborted and a timed-out execution. */
  @Test
  void recordsAbortedAndTimedOutExecutionsAsSuch() {
    Map<String, Object> aborted =
        new java.util.HashMap<>(
            Map.of("executionId", "exec-3", "step", "pipeline", "status", "ABORTED"));
    Map<String, Object> noError = new java.util.HashMap<>();
    noError.put("Error", null);
    noError.put("Cause", null);
    aborted.put("error", noError);
    assertThat(handler.handleRequest(aborted, null)).containsEntry("status", "ABORTED");
    assertThat(
            handler.handleRequest(
                Map.of(
                    "executionId",
                    "exec-4",
                    "step",
                    "pipeline",
                    "status",
                    "TIMED_OUT",
                    "error",
                    Map.of("Error", "States.Timeout", "Cause", "Execution timed out after 3600 s")),
                null))
        .containsEntry("status", "TIMED_OUT")
        .containsEntry("message", "States.Timeout: Execution timed out after 3600 s");

    assertThat(log.forExecution("exec-3"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.status()).isEqualTo(RunStatus.ABORTED);
              assertThat(run.message()).isNull();
            });
    assertThat(log.forExecution("exec-4"))
        .extracting(PipelineRun::status)
        .containsExactly(RunStatus.TIMED_OUT);
  }

  @Test
  void rejectsBadPayloads() {
    assertThatThrownBy(() -> handler.handleRequest(Map.of("step", "bronze"), null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("missing argument 'executionId'");
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    Map.of("executionId", "e", "step", "s", "status", "DONE"), null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage(
            "status must be one of [SUCCEEDED, FAILED, SKIPPED, ABORTED, TIMED_OUT], was 'DONE'");
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    Map.of(
                        "executionId",
                        "e",
                        "step",
                        "s",
                        "status",
                        "SUCCEEDED",
                        "error",
                        Map.of("Error", "States.TaskFailed")),
                    null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("status SUCCEEDED contradicts the error in the payload");
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    Map.of("executionId", "e", "step", "s", "rowsIn", "many"), null))
        .isInstanceOf(InvalidArgument.class)
        .hasMessage("'rowsIn' must be a number, was 'many'");
    assertThat(log.all()).isEmpty();
  }

  @Test
  void emitsEmbeddedMetricFormatWithJackson215() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      handler.handleRequest(
          Map.of("executionId", "exec-3", "step", "silver", "rowsWritten", 7), new TestContext());
    } finally {
      System.setOut(original);
    }
    String emf =
        captured
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains("\"_aws\""))
            .findFirst()
            .orElseThrow();
    assertThat(emf)
        .contains("\"Namespace\":\"LakehouseTest\"")
        .contains("\"RowsWritten\":7")
        .contains("\"Operation\":\"record\"")
        .contains("\"StepsRecorded\":1")
        .contains("\"Duration\"");
    assertThat(
            com.fasterxml.jackson.databind.ObjectMapper.class
                .getPackage()
                .getImplementationVersion())
        .startsWith("2.15.");
    assertThat(List.of(emf)).isNotEmpty();
  }
}
