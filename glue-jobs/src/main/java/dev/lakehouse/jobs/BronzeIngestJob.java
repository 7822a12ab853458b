package dev.lakehouse.jobs;

import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.ingest.LandingObjectRules;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.CommitSummary;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.bronze.RecordParser;
import dev.lakehouse.jobs.bronze.SchemaDrift;
import dev.lakehouse.jobs.bronze.SourceReader;
import dev.lakehouse.jobs.bronze.SourceRecord;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Type;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bronze: appends one landed object to its {@code raw_*} table with lineage, quarantining what does not fit.
 * Idempotent per object: the append's snapshot carries the object's identity (URI + ETag) in its summary, and an
 * object already in the table's history is reported as already ingested and not appended again.
 */
@Command(name = BronzeIngestJob.STEP, description = "Ingest one landed object into its bronze table.")
public final class BronzeIngestJob extends BaseSparkJob {
  public static final String STEP = RunLog.STEP_BRONZE;
  public static final String SUMMARY_SOURCE_FILE = CommitSummary.SOURCE_FILE;
  public static final String SUMMARY_SOURCE_ETAG = CommitSummary.SOURCE_ETAG;
  public static final String SUMMARY_EXECUTION_ID = CommitSummary.EXECUTION_ID;

  @Option(names = "--entity", description = "customers | products | orders (default: from the key's landing prefix).")
  private String entity;

  @Option(names = "--bucket", required = true, description = "Bucket the object landed in.")
  private String bucket;

  @Option(names = "--key", required = true, description = "Object key, e.g. landing/orders/2026/11/25/orders.jsonl.")
  private String key;

  @Option(names = "--etag", description = "Object ETag (identity of the content); default: none.")
  private String etag;

  @Option(names = "--source-path", description = "Where Spark reads the object (default: s3://BUCKET/KEY).")
  private String sourcePath;

  public static void main(String[] args) {
    JobMain.run(new BronzeIngestJob(), args);
  }

  /**
   * Reads the object from a copy staged at {@code file} instead of from S3; its identity stays {@link #source()}. A
   * plain path, not a URI: Hadoop takes a string path literally, so "%20" in a URI would be looked for as such.
   */
  public BronzeIngestJob withSourcePath(Path file) {
    this.sourcePath = file.toAbsolutePath().toString();
    return this;
  }

  /** The object's identity in lineage columns, quarantine and the run log. */
  @Override
  public String source() {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public String etag() {
    return etag;
  }

  public String bucket() {
    return bucket;
  }

  public String key() {
    return key;
  }

  @Override
  public JobResult execute(SparkSession spark) {
    Instant started = Instant.now();
    String executionId = common.executionIdOrNew();
    SourceEntity source = resolveEntity();
    TableDefinition bronze = source.bronze();
    Catalog catalog = LakehouseSpark.icebergCatalog(spark);
    Table table = catalog.loadTable(bronze.identifier());

    Optional<Snapshot> earlier = findIngest(table, source(), etag);
    if (earlier.isPresent()) {
      return JobResult.skipped(STEP, bronze.name(),
          "already ingested by execution " + earlier.get().summary().get(SUMMARY_EXECUTION_ID), started)
          .withSnapshotId(earlier.get().snapshotId()).withDetails(Map.of("alreadyIngested", true));
    }

    // The same rules the ingest router applied: .jsonl/.ndjson lines, .json array, .csv, .parquet, text may be .gz.
    LandingFormat resolved = LandingObjectRules.formatFor(bucket, key, source).format();
    String path = sourcePath != null ? sourcePath : source();
    JavaRDD<SourceRecord> records = SourceReader.read(spark, path, resolved, source).cache();
    try {
      // Additive drift first, so the parser sees (and keeps) the new fields.
      Set<String> known = new HashSet<>(Arrays.asList(spark.table(bronze.qualifiedName()).schema().fieldNames()));
      Map<String, Type> drift = SchemaDrift.detect(records, known);
      List<String> added = SchemaDrift.evolve(table, drift);
      if (!added.isEmpty()) {
        spark.sql("REFRESH TABLE " + bronze.qualifiedName());
      }

      StructType schema = spark.table(bronze.qualifiedName()).schema();
      RecordParser parser = new RecordParser(schema, resolved == LandingFormat.CSV);
      String sourceFile = source();
      Timestamp now = Timestamp.from(Instant.now());
      String idColumn = source.idColumn();
      String tableName = bronze.name();

      JavaRDD<ParsedRecord> parsed = records.map(r -> ParsedRecord.of(r, parser, idColumn)).cache();
      JavaRDD<Row> good = parsed.filter(ParsedRecord::ok)
          .map(p -> p.toBronzeRow(schema.fieldNames(), sourceFile, now, executionId));
      JavaRDD<Row> bad = parsed.filter(p -> !p.ok())
          .map(p -> Quarantine.row(tableName, STEP, sourceFile, p.line(), p.key(), p.raw(), p.error(), executionId, now));

      long rowsIn = parsed.count();
      Dataset<Row> rejected = Quarantine.frame(spark, bad);
      long rowsRejected = Quarantine.replace(spark, STEP, List.of(sourceFile), rejected);
      Dataset<Row> rows = spark.createDataFrame(good, schema);
      long rowsWritten = rowsIn - rowsRejected;

      LakehouseSpark.write(() -> rows.writeTo(bronze.qualifiedName())
          .option("snapshot-property." + SUMMARY_SOURCE_FILE, sourceFile)
          .option("snapshot-property." + SUMMARY_SOURCE_ETAG, etag == null ? "" : etag)
          .option("snapshot-property." + SUMMARY_EXECUTION_ID, executionId)
          .append());
      table.refresh();
      Long snapshotId = findIngest(table, sourceFile, etag).map(Snapshot::snapshotId).orElse(null);

      Map<String, Object> details = new LinkedHashMap<>();
      details.put("alreadyIngested", false);
      details.put("format", resolved.label());
      details.put("addedColumns", added);
      String message = added.isEmpty() ? null : "schema evolved: added " + String.join(", ", added);
      return JobResult.succeeded(STEP, bronze.name(), started).withCounts(rowsIn, rowsWritten, rowsRejected)
          .withSnapshotId(snapshotId).withMessage(message).withDetails(details);
    } finally {
      records.unpersist();
    }
  }

  private SourceEntity resolveEntity() {
    if (entity != null) {
      return SourceEntity.find(entity).orElseThrow(() ->
          new IllegalArgumentException("unknown entity '" + entity + "': expected customers, products or orders"));
    }
    return SourceEntity.forLandingKey(key).orElseThrow(() ->
        new IllegalArgumentException("key " + key + " is not under landing/customers/, landing/products/ or landing/orders/"));
  }

  /** The snapshot that appended this object (same URI and ETag), searching the table's whole history. */
  public static Optional<Snapshot> findIngest(Table table, String sourceFile, String etag) {
    String wantedEtag = etag == null ? "" : etag;
    for (Snapshot snapshot : table.snapshots()) {
      Map<String, String> summary = snapshot.summary();
      if (sourceFile.equals(summary.get(SUMMARY_SOURCE_FILE))
          && wantedEtag.equals(summary.getOrDefault(SUMMARY_SOURCE_ETAG, ""))) {
        return Optional.of(snapshot);
      }
    }
    return Optional.empty();
  }

  /** One record after parsing: the values, or why not. Serializable for Spark. */
  public record ParsedRecord(long line, String raw, String key, Object[] values, String error)
      implements java.io.Serializable {

    static ParsedRecord of(SourceRecord record, RecordParser parser, String idColumn) {
      if (SourceReader.truncated(record)) {
        return new ParsedRecord(record.line(), record.raw(), null, null, SourceReader.markerError(record));
      }
      if (record.json().startsWith("#cells:")) {
        return new ParsedRecord(record.line(), record.raw(), null, null,
            "CSV line does not have the header's " + record.json().substring(7) + " cells");
      }
      RecordParser.Parsed parsed = parser.parse(record.json());
      String key = null;
      if (parsed.ok()) {
        int index = Arrays.asList(parser.sourceSchema().fieldNames()).indexOf(idColumn);
        key = index < 0 || parsed.values()[index] == null ? null : parsed.values()[index].toString();
      }
      return new ParsedRecord(record.line(), record.raw(), key, parsed.values(), parsed.error());
    }

    boolean ok() {
      return error == null;
    }

    /** Values in table column order; columns added by drift come after the lineage columns. */
    Row toBronzeRow(String[] columns, String sourceFile, Timestamp ingestedAt, String executionId) {
      Object[] row = new Object[columns.length];
      int next = 0;
      for (int i = 0; i < columns.length; i++) {
        row[i] = switch (columns[i]) {
          case "_ingestion_timestamp" -> ingestedAt;
          case "_source_file" -> sourceFile;
          case "_source_line" -> line;
          case "_execution_id" -> executionId;
          default -> values[next++];
        };
      }
      return RowFactory.create(row);
    }
  }

  /** Picocli entry used by {@link JobMain} and tests: parse Glue-style args into a job. */
  public static BronzeIngestJob fromArgs(String... args) {
    return JobMain.parse(new BronzeIngestJob(), args);
  }
}
