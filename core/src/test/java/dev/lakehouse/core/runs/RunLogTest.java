package dev.lakehouse.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {
  @TempDir Path home;

  @Test
  void aLookupReadsOnlyTheFilesOfItsExecutionAndItsSourceFiles() throws Exception {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision();
    RunLog log = new RunLog(catalog);
    Instant at = Instant.parse("2026-11-02T10:00:00Z");
    // Step Functions execution ARNs and object URIs: alike in their first 16 characters.
    String arn = "arn:aws:states:eu-west-1:123456789012:execution:ingest-pipeline:";
    for (int i = 1; i <= 5; i++) {
      log.record(
          PipelineRun.builder(arn + "run-" + i, RunLog.STEP_PIPELINE)
              .table("raw_orders")
              .source("s3://landing/landing/orders/file-" + i + ".jsonl", "etag-" + i)
              .started(at)
              .finished(at)
              .build());
    }
    Table runs = catalog.loadTable(LakehouseTables.PIPELINE_RUNS.identifier());

    assertThat(filesFor(runs, Expressions.alwaysTrue())).isEqualTo(5);
    assertThat(filesFor(runs, Expressions.equal("execution_id", arn + "run-3"))).isEqualTo(1);
    assertThat(
            filesFor(
                runs,
                Expressions.in(
                    "source_file",
                    "s3://landing/landing/orders/file-2.jsonl",
                    "s3://landing/landing/orders/file-4.jsonl")))
        .isEqualTo(2);
    assertThat(log.forExecution(arn + "run-3"))
        .extracting(PipelineRun::sourceEtag)
        .containsExactly("etag-3");
  }

  private static int filesFor(Table table, Expression filter) throws java.io.IOException {
    try (var tasks = table.newScan().filter(filter).planFiles()) {
      int files = 0;
      for (var ignored : tasks) {
        files++;
      }
      return files;
    }
  }

  @Test
  void recordsRunsAndFindsASuccessfulIngestByFileAndEtag() {
    CatalogSettings settings = CatalogSettings.embedded(home);
    Catalog catalog = CatalogFactory.create(settings);
    new TableProvisioner(catalog, settings).provision();
    RunLog log = new RunLog(catalog);
    Instant t0 = Instant.parse("2026-10-31T23:59:00Z");
    Instant t1 = Instant.parse("2026-11-01T00:01:00Z");

    log.record(
        PipelineRun.builder("exec-1", "bronze")
            .table("raw_orders")
            .source("landing/landing/orders/a.jsonl", "etag-a")
            .counts(10, 8, 2)
            .snapshotId(42L)
            .started(t0)
            .finished(t1)
            .build(),
        PipelineRun.builder("exec-1", "silver")
            .table("curated_orders")
            .status(RunStatus.FAILED)
            .message("boom")
            .started(t1)
            .finished(t1)
            .build());
    log.record(
        PipelineRun.builder("exec-1", "pipeline")
            .table("raw_orders")
            .source("landing/landing/orders/a.jsonl", "etag-a")
            .started(t1)
            .finished(t1)
            .build());
    log.record(
        PipelineRun.builder("exec-2", "bronze")
            .table("raw_orders")
            .source("landing/landing/orders/b.jsonl", "etag-b")
            .status(RunStatus.FAILED)
            .started(t1)
            .finished(t1)
            .build());

    assertThat(log.forExecution("exec-1"))
        .extracting(PipelineRun::step, PipelineRun::status, PipelineRun::rowsWritten)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bronze", RunStatus.SUCCEEDED, 8L),
            org.assertj.core.groups.Tuple.tuple("pipeline", RunStatus.SUCCEEDED, null),
            org.assertj.core.groups.Tuple.tuple("silver", RunStatus.FAILED, null));
    assertThat(log.forExecution("exec-1").get(0).startedAt()).isEqualTo(t0);
    assertThat(log.completedIngest("landing/landing/orders/a.jsonl", "etag-a"))
        .map(PipelineRun::executionId)
        .contains("exec-1");
    assertThat(log.completedIngest("landing/landing/orders/a.jsonl", "etag-changed")).isEmpty();
    assertThat(log.completedIngest("landing/landing/orders/b.jsonl", "etag-b"))
        .as("failed ingest")
        .isEmpty();
    // A bronze success without the pipeline's: the object has not reached silver yet.
    log.record(
        PipelineRun.builder("exec-3", "bronze")
            .table("raw_orders")
            .source("landing/landing/orders/c.jsonl", "etag-c")
            .started(t1)
            .finished(t1)
            .build());
    assertThat(log.completedIngest("landing/landing/orders/c.jsonl", "etag-c")).isEmpty();
    assertThat(log.all()).hasSize(5);
    // Two months among the first batch's rows: one data file each, all in one commit.
    var table = catalog.loadTable(LakehouseTables.PIPELINE_RUNS.identifier());
    assertThat(table.snapshots()).hasSize(4);
    assertThat(table.currentSnapshot().summary())
        .containsEntry("total-data-files", "5")
        .containsEntry("total-records", "5");
  }
}
