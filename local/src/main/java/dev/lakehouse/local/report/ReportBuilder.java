package dev.lakehouse.local.report;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.core.admin.SnapshotList;
import dev.lakehouse.core.admin.TableInspector;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.CommitSummary;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.local.report.Report.ExecutionSection;
import dev.lakehouse.local.report.Report.QuarantineCount;
import dev.lakehouse.local.report.Report.SnapshotRow;
import dev.lakehouse.local.report.Report.StateBar;
import dev.lakehouse.local.report.Report.StepRow;
import dev.lakehouse.local.report.Report.TableSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Gathers a report's facts through the Iceberg API alone (no Spark): each execution's history, its
 * {@code pipeline_runs} rows, its quarantined rows counted by reason, and the snapshots of every
 * table it committed to or recorded a step for.
 */
public final class ReportBuilder {
  private final Catalog catalog;
  private final TableInspector tables;
  private final Map<String, SnapshotList> snapshots = new HashMap<>();

  public ReportBuilder(Catalog catalog, TableInspector tables) {
    this.catalog = catalog;
    this.tables = tables;
  }

  /** The report of these executions, in the order given. */
  public Report build(String home, Instant generatedAt, List<Execution> executions) {
    List<ExecutionSection> sections = new ArrayList<>();
    for (Execution execution : executions) {
      sections.add(section(execution));
    }
    return new Report(home, generatedAt, sections);
  }

  private ExecutionSection section(Execution execution) {
    List<StateBar> bars = StateTimeline.of(execution);
    List<PipelineRun> runs = new RunLog(catalog).forExecution(execution.id());
    Map<String, SnapshotList> touched = new LinkedHashMap<>();
    Set<String> named = new LinkedHashSet<>();
    runs.forEach(r -> named.add(r.tableName()));
    for (TableDefinition table : LakehouseTables.all()) {
      SnapshotList list = snapshots.computeIfAbsent(table.name(), tables::snapshots);
      boolean committed =
          list.snapshots().stream()
              .anyMatch(s -> execution.id().equals(s.summary().get(CommitSummary.EXECUTION_ID)));
      if (committed || named.contains(table.name())) {
        touched.put(table.name(), list);
      }
    }
    List<StateBar> linked = new ArrayList<>();
    for (StateBar bar : bars) {
      linked.add(withTables(bar, execution.id(), runs, touched));
    }
    List<StepRow> steps = new ArrayList<>();
    for (PipelineRun run : runs) {
      StateBar ranIn = wholeExecution(run) ? null : containing(bars, run.startedAt());
      steps.add(
          new StepRow(
              run.step(),
              run.tableName(),
              run.sourceFile(),
              run.status().name(),
              run.rowsIn(),
              run.rowsWritten(),
              run.rowsRejected(),
              run.snapshotId(),
              run.message() == null ? null : Failures.oneLine(null, run.message()),
              ranIn == null ? null : ranIn.label()));
    }
    List<TableSnapshots> tableSections = new ArrayList<>();
    touched.forEach(
        (name, list) ->
            tableSections.add(
                new TableSnapshots(
                    name,
                    list.snapshots().stream().map(s -> snapshotRow(s, execution.id())).toList())));
    return section(execution, linked, steps, quarantine(execution.id()), tableSections);
  }

  /** The section of {@code execution} made of these parts. */
  public static ExecutionSection section(
      Execution execution,
      List<StateBar> states,
      List<StepRow> steps,
      List<QuarantineCount> quarantine,
      List<TableSnapshots> tables) {
    return new ExecutionSection(
        execution.id(),
        execution.name(),
        execution.stateMachineName(),
        execution.status().name(),
        execution.startTime(),
        execution.stopTime(),
        execution.redriveCount(),
        execution.error() == null ? null : Failures.oneLine(execution.error(), execution.cause()),
        states,
        steps,
        quarantine,
        tables);
  }

  /**
   * The tables a state worked on: those with a snapshot of this execution committed while it ran,
   * then those its run-log rows name.
   */
  private static StateBar withTables(
      StateBar bar, String executionId, List<PipelineRun> runs, Map<String, SnapshotList> touched) {
    Set<String> names = new LinkedHashSet<>();
    touched.forEach(
        (name, list) -> {
          for (SnapshotList.Entry s : list.snapshots()) {
            if (executionId.equals(s.summary().get(CommitSummary.EXECUTION_ID))
                && within(bar, s.committedAt())) {
              names.add(name);
            }
          }
        });
    for (PipelineRun run : runs) {
      if (run.tableName() != null
          && !wholeExecution(run)
          && touched.containsKey(run.tableName())
          && within(bar, run.startedAt())) {
        names.add(run.tableName());
      }
    }
    return new StateBar(
        bar.state(),
        bar.scope(),
        bar.entered(),
        bar.exited(),
        bar.outcome(),
        bar.failure(),
        bar.attempts(),
        List.copyOf(names));
  }

  /**
   * Rows the batch's recorder writes for each object (loaded, skipped, rejected): they start with
   * the execution, so their start time says nothing about which state worked on the table.
   */
  private static boolean wholeExecution(PipelineRun run) {
    return run.step().equals(RunLog.STEP_PIPELINE) || run.step().equals(RunLog.STEP_ROUTE);
  }

  /** The innermost (last entered) bar whose time span holds {@code at}. */
  private static StateBar containing(List<StateBar> bars, Instant at) {
    StateBar found = null;
    for (StateBar bar : bars) {
      if (within(bar, at)) {
        found = bar;
      }
    }
    return found;
  }

  private static boolean within(StateBar bar, Instant at) {
    return !at.isBefore(bar.entered()) && (bar.exited() == null || !at.isAfter(bar.exited()));
  }

  private static SnapshotRow snapshotRow(SnapshotList.Entry s, String executionId) {
    Map<String, String> summary = s.summary();
    Long removed = number(summary.get("deleted-records"));
    Long positionDeletes = number(summary.get("added-position-deletes"));
    String by = summary.get(CommitSummary.EXECUTION_ID);
    return new SnapshotRow(
        s.snapshotId(),
        s.committedAt(),
        s.operation(),
        number(summary.get("added-records")),
        removed == null && positionDeletes == null
            ? null
            : (removed == null ? 0 : removed) + (positionDeletes == null ? 0 : positionDeletes),
        by,
        summary.get(CommitSummary.SOURCE_FILE),
        s.isCurrent(),
        executionId.equals(by));
  }

  private static Long number(String value) {
    return value == null ? null : Long.valueOf(value);
  }

  /** This execution's quarantined rows counted by table, stage and reason, most first. */
  private List<QuarantineCount> quarantine(String executionId) {
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    var table = catalog.loadTable(LakehouseTables.QUARANTINE.identifier());
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table)
            .select("table_name", "stage", "reason", "execution_id")
            .where(Expressions.equal("execution_id", executionId))
            .build()) {
      for (Record row : rows) {
        List<String> key =
            List.of(
                (String) row.getField("table_name"),
                (String) row.getField("stage"),
                (String) row.getField("reason"));
        counts.merge(key, 1L, Long::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts.entrySet().stream()
        .map(
            e ->
                new QuarantineCount(
                    e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), e.getValue()))
        .sorted(
            Comparator.comparing(QuarantineCount::table)
                .thenComparing(QuarantineCount::stage)
                .thenComparing(Comparator.comparingLong(QuarantineCount::rows).reversed())
                .thenComparing(QuarantineCount::reason))
        .toList();
  }
}
