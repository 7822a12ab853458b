package dev.lakehouse.core.runs;

import dev.lakehouse.core.tables.LakehouseTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;

/**
 * Reads and appends {@code pipeline_runs} through the Iceberg API alone (no Spark), so Lambdas and
 * Spark jobs record runs the same way. Each {@link #record} call is one atomic append.
 */
public final class RunLog {
  /** Step name of a bronze ingest. */
  public static final String STEP_BRONZE = "bronze";

  /**
   * Step name of a whole ingest execution (the state machine's RecordRun): a SUCCEEDED row for a
   * source file + ETag means the object went through bronze, silver and gold, i.e. "already
   * ingested".
   */
  public static final String STEP_PIPELINE = "pipeline";

  /** Step name of routing: a FAILED row names a landed object the router rejected, and why. */
  public static final String STEP_ROUTE = "route";

  private final Catalog catalog;

  public RunLog(Catalog catalog) {
    this.catalog = catalog;
  }

  public void record(PipelineRun... runs) {
    record(List.of(runs));
  }

  public void record(List<PipelineRun> runs) {
    if (runs.isEmpty()) {
      return;
    }
    Table table = catalog.loadTable(LakehouseTables.PIPELINE_RUNS.identifier());
    Schema schema = table.schema();
    // pipeline_runs is partitioned by month(started_at): one file per month among the rows.
    var byPartition = new java.util.LinkedHashMap<PartitionKey, List<Record>>();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    for (PipelineRun run : runs) {
      Record record = toRecord(schema, run);
      PartitionKey key = new PartitionKey(table.spec(), schema);
      key.partition(wrapper.wrap(record));
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
    }
    var append = table.newAppend();
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    for (var entry : byPartition.entrySet()) {
      append.appendFile(write(table, factory, entry.getKey(), entry.getValue()));
    }
    append.commit();
  }

  /** Every run row of one execution, in the order the steps started. */
  public List<PipelineRun> forExecution(String executionId) {
    return read(Expressions.equal("execution_id", executionId));
  }

  /** Every run row, oldest first. */
  public List<PipelineRun> all() {
    return read(Expressions.alwaysTrue());
  }

  /**
   * The execution that loaded this exact object (same key and same ETag) all the way to gold, if
   * any. A re-upload with different content has a different ETag and is ingested again; the same
   * bytes are not. A bronze success alone does not count: when the process died after bronze, a
   * re-drop must carry the object's rows on through silver and gold (bronze itself recognises the
   * object and appends nothing twice).
   */
  public Optional<PipelineRun> completedIngest(String sourceFile, String etag) {
    return completedIngests(List.of(sourceFile)).stream()
        .filter(run -> etag == null || etag.equals(run.sourceEtag()))
        .findFirst();
  }

  /** The SUCCEEDED {@code pipeline} rows of any of these source files, in one read. */
  public List<PipelineRun> completedIngests(java.util.Collection<String> sourceFiles) {
    if (sourceFiles.isEmpty()) {
      return List.of();
    }
    Expression filter =
        Expressions.and(
            Expressions.equal("step", STEP_PIPELINE),
            Expressions.in("source_file", sourceFiles.toArray()),
            Expressions.equal("status", RunStatus.SUCCEEDED.name()));
    return read(filter);
  }

  private List<PipelineRun> read(Expression filter) {
    Table table = catalog.loadTable(LakehouseTables.PIPELINE_RUNS.identifier());
    List<PipelineRun> runs = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(filter).build()) {
      for (Record row : rows) {
        runs.add(fromRecord(row));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    runs.sort(Comparator.comparing(PipelineRun::startedAt).thenComparing(PipelineRun::step));
    return runs;
  }

  private static DataFile write(
      Table table, GenericFileWriterFactory factory, PartitionKey partition, List<Record> rows) {
    String path =
        table
            .locationProvider()
            .newDataLocation(table.spec(), partition, "run-" + UUID.randomUUID() + ".parquet");
    OutputFile out = table.io().newOutputFile(path);
    DataWriter<Record> writer =
        factory.newDataWriter(table.encryption().encrypt(out), table.spec(), partition);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + path, e);
    }
    return writer.toDataFile();
  }

  private static Record toRecord(Schema schema, PipelineRun run) {
    GenericRecord r = GenericRecord.create(schema);
    r.setField("execution_id", run.executionId());
    r.setField("step", run.step());
    r.setField("table_name", run.tableName());
    r.setField("source_file", run.sourceFile());
    r.setField("source_etag", run.sourceEtag());
    r.setField("rows_in", run.rowsIn());
    r.setField("rows_written", run.rowsWritten());
    r.setField("rows_rejected", run.rowsRejected());
    r.setField("snapshot_id", run.snapshotId());
    r.setField("status", run.status().name());
    r.setField("message", run.message());
    r.setField("started_at", utc(run.startedAt()));
    r.setField("finished_at", run.finishedAt() == null ? null : utc(run.finishedAt()));
    return r;
  }

  private static PipelineRun fromRecord(Record r) {
    return new PipelineRun(
        (String) r.getField("execution_id"),
        (String) r.getField("step"),
        (String) r.getField("table_name"),
        (String) r.getField("source_file"),
        (String) r.getField("source_etag"),
        (Long) r.getField("rows_in"),
        (Long) r.getField("rows_written"),
        (Long) r.getField("rows_rejected"),
        (Long) r.getField("snapshot_id"),
        RunStatus.valueOf((String) r.getField("status")),
        (String) r.getField("message"),
        ((OffsetDateTime) r.getField("started_at")).toInstant(),
        r.getField("finished_at") == null
            ? null
            : ((OffsetDateTime) r.getField("finished_at")).toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
