package dev.lakehouse.jobs;

import dev.lakehouse.core.ingest.LandingFormat;
import dev.lakehouse.core.ingest.LandingObjectRules;
import dev.lakehouse.core.ingest.batch.BatchManifest;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.runs.RunStatus;
import dev.lakehouse.core.tables.CommitSummary;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.jobs.bronze.BronzeRecords;
import dev.lakehouse.jobs.bronze.ParquetSource;
import dev.lakehouse.jobs.bronze.RecordTally;
import dev.lakehouse.jobs.bronze.SourceObject;
import dev.lakehouse.jobs.bronze.SourceReader;
import dev.lakehouse.jobs.bronze.SourceRecord;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bronze: appends landed objects to their {@code raw_*} tables with lineage, quarantining what does
 * not fit. It loads one object ({@code --bucket/--key/--etag}) or a whole ingest batch ({@code
 * --batch-manifest}): one Spark read per table over all of the batch's objects for it, one
 * quarantine replacement for the whole run (before any append) and one append per table, each row
 * still carrying its own object and line. Idempotent per object: the append's snapshot summary
 * carries the identity (URI + ETag) of every object it loaded, and an object already in the table's
 * history is reported as already ingested and not appended again — so a redriven batch appends only
 * what its failed run did not commit.
 */
@Command(
    name = BronzeIngestJob.STEP,
    description = "Ingest landed objects (one, or a batch) into their bronze tables.")
public final class BronzeIngestJob extends BaseSparkJob {
  public static final String STEP = RunLog.STEP_BRONZE;
  public static final String SUMMARY_SOURCE_FILE = CommitSummary.SOURCE_FILE;
  public static final String SUMMARY_SOURCE_ETAG = CommitSummary.SOURCE_ETAG;
  public static final String SUMMARY_EXECUTION_ID = CommitSummary.EXECUTION_ID;

  @Option(
      names = "--entity",
      description = "customers | products | orders (default: from the key's landing prefix).")
  private String entity;

  @Option(names = "--bucket", description = "Bucket the object landed in.")
  private String bucket;

  @Option(names = "--key", description = "Object key, e.g. landing/orders/2026/11/25/orders.jsonl.")
  private String key;

  @Option(names = "--etag", description = "Object ETag (identity of the content); default: none.")
  private String etag;

  @Option(
      names = "--batch-manifest",
      description = "s3:// URI of an ingest batch's manifest: load its accepted objects.")
  private String batchManifest;

  @Option(
      names = "--source-path",
      description = "Where Spark reads the object (default: s3://BUCKET/KEY).")
  private String sourcePath;

  /**
   * Local copies of objects (by their s3:// identity) to read instead of S3; see {@link
   * #withSourcePaths}.
   */
  private final Map<String, String> stagedPaths = new LinkedHashMap<>();

  private BatchManifest manifest;

  /** What happened to each object, in the order loaded: the run log's rows. */
  private final List<ObjectOutcome> outcomes = new ArrayList<>();

  public static void main(String[] args) {
    JobMain.run(new BronzeIngestJob(), args);
  }

  /**
   * Reads the object from a copy staged at {@code file} instead of from S3; its identity stays
   * {@link #source()}. A plain path, not a URI: Hadoop takes a string path literally, so "%20" in a
   * URI would be looked for as such.
   */
  public BronzeIngestJob withSourcePath(Path file) {
    this.sourcePath = file.toAbsolutePath().toString();
    return this;
  }

  /**
   * Reads each object of a batch from a staged copy (keyed by its {@code s3://bucket/key}
   * identity).
   */
  public BronzeIngestJob withSourcePaths(Map<String, Path> files) {
    files.forEach((source, file) -> stagedPaths.put(source, file.toAbsolutePath().toString()));
    return this;
  }

  /** The batch's manifest, already read (the local stack reads it through the S3 API). */
  public BronzeIngestJob withManifest(BatchManifest value) {
    this.manifest = value;
    return this;
  }

  /**
   * The object's identity in lineage columns, quarantine and the run log; a batch's manifest URI.
   */
  @Override
  public String source() {
    return batchManifest != null ? batchManifest : "s3://" + bucket + "/" + key;
  }

  @Override
  public String etag() {
    return batchManifest != null ? null : etag;
  }

  public String bucket() {
    return bucket;
  }

  public String key() {
    return key;
  }

  public String batchManifest() {
    return batchManifest;
  }

  /**
   * One {@code bronze} row per object of the batch: its table, counts and the snapshot that
   * appended it.
   */
  @Override
  public List<PipelineRun> runs(JobResult result, String executionId) {
    if (outcomes.isEmpty()) {
      return List.of(result.toRun(executionId, source(), etag()));
    }
    return outcomes.stream()
        .map(o -> o.toRun(executionId, result.startedAt(), result.finishedAt()))
        .toList();
  }

  @Override
  public JobResult execute(SparkSession spark) {
    Instant started = Instant.now();
    String executionId = common.executionIdOrNew();
    Catalog catalog = LakehouseSpark.icebergCatalog(spark);
    outcomes.clear();
    Map<SourceEntity, List<LandedObject>> byEntity = objectsToLoad(catalog);
    List<String> tables = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    Map<String, Object> details = new LinkedHashMap<>();
    Timestamp now = Timestamp.from(Instant.now());
    List<TableLoad> loads = new ArrayList<>();
    for (Map.Entry<SourceEntity, List<LandedObject>> group : byEntity.entrySet()) {
      tables.add(group.getKey().bronze().name());
      prepare(spark, catalog, group.getKey(), group.getValue(), now, executionId)
          .ifPresent(loads::add);
    }
    // The rejects of every table in one quarantine commit, before any append: a run cut between
    // them is rerun for the objects it did not append, and replaces their rejects again.
    if (!loads.isEmpty()) {
      quarantine(spark, loads, now, executionId);
    }
    List<String> added = new ArrayList<>();
    for (TableLoad load : loads) {
      append(load, executionId);
      if (load.message() != null) {
        messages.add(load.message());
      }
      details.put("format", load.format());
      added.addAll(load.addedColumns());
    }
    details.put("addedColumns", added);
    long in = outcomes.stream().mapToLong(ObjectOutcome::rowsIn).sum();
    long rejected = outcomes.stream().mapToLong(ObjectOutcome::rowsRejected).sum();
    boolean nothingNew = outcomes.stream().allMatch(ObjectOutcome::alreadyIngested);
    details.put("alreadyIngested", nothingNew);
    details.put("objects", outcomes.size());
    String table = String.join(",", tables);
    Long snapshotId = outcomes.isEmpty() ? null : outcomes.get(outcomes.size() - 1).snapshotId();
    if (nothingNew) {
      String by =
          outcomes.isEmpty()
              ? "nothing to load"
              : "already ingested by execution " + outcomes.get(0).ingestedBy();
      return JobResult.skipped(STEP, table, by, started)
          .withSnapshotId(snapshotId)
          .withDetails(details);
    }
    return JobResult.succeeded(STEP, table, started)
        .withCounts(in, in - rejected, rejected)
        .withSnapshotId(snapshotId)
        .withMessage(messages.isEmpty() ? null : String.join("; ", messages))
        .withDetails(details);
  }

  /**
   * The objects this run loads, grouped by entity in dependency order (customers, products,
   * orders).
   */
  private Map<SourceEntity, List<LandedObject>> objectsToLoad(Catalog catalog) {
    List<LandedObject> objects = new ArrayList<>();
    if (batchManifest != null) {
      BatchManifest batch = manifest != null ? manifest : readManifest(catalog, batchManifest);
      // A batch draining a backlog has one bronze run per pass: this run loads its pass's objects.
      for (BatchManifest.Entry e : batch.toLoad()) {
        SourceEntity source =
            SourceEntity.find(e.entity())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "manifest "
                                + batchManifest
                                + " names unknown entity '"
                                + e.entity()
                                + "'"));
        objects.add(
            new LandedObject(
                source, e.bucket(), e.key(), e.etag(), e.size() == null ? -1 : e.size()));
      }
    } else {
      if (bucket == null || key == null) {
        throw new IllegalArgumentException("give --batch-manifest, or --bucket and --key");
      }
      objects.add(new LandedObject(resolveEntity(), bucket, key, etag, -1));
    }
    Map<SourceEntity, List<LandedObject>> byEntity = new LinkedHashMap<>();
    for (String label : List.of("customers", "products", "orders")) {
      SourceEntity source = SourceEntity.find(label).orElseThrow();
      List<LandedObject> mine = objects.stream().filter(o -> o.entity() == source).toList();
      if (!mine.isEmpty()) {
        byEntity.put(source, mine);
      }
    }
    return byEntity;
  }

  /**
   * Reads a manifest with the warehouse's FileIO, which reaches the landing bucket with the job's
   * credentials.
   */
  private static BatchManifest readManifest(Catalog catalog, String uri) {
    Table any = catalog.loadTable(LakehouseTables.PIPELINE_RUNS.identifier());
    try (java.io.InputStream in = any.io().newInputFile(uri).newStream()) {
      return BatchManifest.fromJson(
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read batch manifest " + uri, e);
    }
  }

  /** One table's share of the run: its fresh objects, parsed, ready to quarantine and append. */
  private record TableLoad(
      TableDefinition bronze,
      Table table,
      List<LandedObject> fresh,
      BronzeRecords parsed,
      Dataset<Row> rows,
      String format) {
    List<String> addedColumns() {
      return parsed.addedColumns();
    }

    String message() {
      return addedColumns().isEmpty()
          ? null
          : "schema evolved: added " + String.join(", ", addedColumns());
    }
  }

  /**
   * Parses one table's objects (one read over all of them; drift evolves the table in one schema
   * commit), or nothing when every object is already in the table, each recorded as skipped.
   */
  private Optional<TableLoad> prepare(
      SparkSession spark,
      Catalog catalog,
      SourceEntity source,
      List<LandedObject> objects,
      Timestamp now,
      String executionId) {
    TableDefinition bronze = source.bronze();
    Table table = catalog.loadTable(bronze.identifier());
    List<LandedObject> fresh = new ArrayList<>();
    Map<String, Snapshot> ingested = ingests(table);
    for (LandedObject object : objects) {
      Optional<Snapshot> earlier =
          Optional.ofNullable(ingested.get(identity(object.sourceFile(), object.etag())));
      if (earlier.isPresent()) {
        outcomes.add(ObjectOutcome.skipped(object, bronze.name(), earlier.get()));
      } else if (fresh.stream().noneMatch(f -> f.sourceFile().equals(object.sourceFile()))) {
        fresh.add(object);
      }
    }
    if (fresh.isEmpty()) {
      return Optional.empty();
    }

    // The same rules the ingest router applied: .jsonl/.ndjson lines, .json array, .csv, .parquet,
    // text may be .gz.
    List<SourceObject> sources = new ArrayList<>();
    for (LandedObject object : fresh) {
      LandingFormat.Detected detected =
          LandingObjectRules.formatFor(object.bucket(), object.key(), source);
      String path =
          stagedPaths.getOrDefault(
              object.sourceFile(),
              fresh.size() == 1 && sourcePath != null ? sourcePath : object.sourceFile());
      sources.add(
          new SourceObject(
              object.sourceFile(), path, detected.format(), detected.gzip(), object.size()));
    }
    BronzeRecords parsed =
        BronzeRecords.parse(
            spark, table, bronze.qualifiedName(), read(spark, source, sources), source.idColumn());
    Dataset<Row> rows = spark.createDataFrame(parsed.rows(now, executionId), parsed.schema());
    String format =
        sources.stream().map(o -> o.format().label()).distinct().collect(Collectors.joining(","));
    return Optional.of(new TableLoad(bronze, table, fresh, parsed, rows, format));
  }

  /** Replaces the quarantine rows of every loaded object with this run's rejects: one commit. */
  private static void quarantine(
      SparkSession spark, List<TableLoad> loads, Timestamp now, String executionId) {
    List<String> sourceFiles = new ArrayList<>();
    Dataset<Row> rejects = null;
    long rejected = 0;
    for (TableLoad load : loads) {
      load.fresh().forEach(o -> sourceFiles.add(o.sourceFile()));
      Dataset<Row> mine =
          Quarantine.frame(spark, load.parsed().rejects(load.bronze().name(), now, executionId));
      rejects = rejects == null ? mine : rejects.unionAll(mine);
      rejected += load.parsed().tally().rejected();
    }
    Quarantine.replace(spark, STEP, sourceFiles, rejects, rejected);
  }

  /** One table's append, its snapshot carrying the identity of every object it loaded. */
  private void append(TableLoad load, String executionId) {
    LakehouseSpark.write(
        () -> {
          var writer =
              load.rows()
                  .writeTo(load.bronze().qualifiedName())
                  .option("snapshot-property." + SUMMARY_EXECUTION_ID, executionId);
          for (Map.Entry<String, String> p : identityProperties(load.fresh()).entrySet()) {
            writer = writer.option("snapshot-property." + p.getKey(), p.getValue());
          }
          writer.append();
        });
    Table table = load.table();
    table.refresh();
    LandedObject first = load.fresh().get(0);
    Long snapshotId =
        findIngest(table, first.sourceFile(), first.etag()).map(Snapshot::snapshotId).orElse(null);
    RecordTally tally = load.parsed().tally();
    for (LandedObject object : load.fresh()) {
      long ok = tally.parsed(object.sourceFile());
      long rejected = tally.rejected(object.sourceFile());
      outcomes.add(
          new ObjectOutcome(
              object, load.bronze().name(), ok + rejected, ok, rejected, snapshotId, false, null));
    }
  }

  /** Text objects in one read; each Parquet object through its own schema-mapped read. */
  private static JavaRDD<SourceRecord> read(
      SparkSession spark, SourceEntity entity, List<SourceObject> objects) {
    List<SourceObject> text =
        objects.stream().filter(o -> o.format() != LandingFormat.PARQUET).toList();
    List<JavaRDD<SourceRecord>> parts = new ArrayList<>();
    if (!text.isEmpty()) {
      parts.add(SourceReader.read(spark, entity, text));
    }
    for (SourceObject parquet : objects) {
      if (parquet.format() == LandingFormat.PARQUET) {
        parts.add(ParquetSource.read(spark, parquet));
      }
    }
    return parts.size() == 1
        ? parts.get(0)
        : new JavaSparkContext(spark.sparkContext()).union(parts.toArray(JavaRDD[]::new));
  }

  /**
   * The identity of what an append loaded: one object as {@link CommitSummary#SOURCE_FILE} and
   * {@link CommitSummary#SOURCE_ETAG}; several as {@link CommitSummary#SOURCE_OBJECTS}, one "ETAG
   * URI" per line (an ETag has no spaces; the router refuses keys with control characters).
   */
  static Map<String, String> identityProperties(List<LandedObject> objects) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (objects.size() == 1) {
      properties.put(SUMMARY_SOURCE_FILE, objects.get(0).sourceFile());
      properties.put(
          SUMMARY_SOURCE_ETAG, objects.get(0).etag() == null ? "" : objects.get(0).etag());
    } else {
      properties.put(
          CommitSummary.SOURCE_OBJECTS,
          objects.stream()
              .map(o -> identity(o.sourceFile(), o.etag()))
              .collect(Collectors.joining("\n")));
    }
    return properties;
  }

  private SourceEntity resolveEntity() {
    if (entity != null) {
      return SourceEntity.find(entity)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "unknown entity '" + entity + "': expected customers, products or orders"));
    }
    return SourceEntity.forLandingKey(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "key "
                        + key
                        + " is not under landing/customers/, landing/products/ or landing/orders/"));
  }

  /**
   * The snapshot that appended this object (same URI and ETag), searching the table's whole
   * history.
   */
  public static Optional<Snapshot> findIngest(Table table, String sourceFile, String etag) {
    return Optional.ofNullable(ingests(table).get(identity(sourceFile, etag)));
  }

  /**
   * Every object the table's history appended, by {@link #identity}, each with the oldest snapshot
   * that appended it: one pass over the snapshots for a whole batch, not one per object.
   */
  static Map<String, Snapshot> ingests(Table table) {
    Map<String, Snapshot> ingested = new java.util.HashMap<>();
    for (Snapshot snapshot : table.snapshots()) {
      Map<String, String> summary = snapshot.summary();
      String sourceFile = summary.get(SUMMARY_SOURCE_FILE);
      if (sourceFile != null) {
        ingested.putIfAbsent(
            identity(sourceFile, summary.getOrDefault(SUMMARY_SOURCE_ETAG, "")), snapshot);
      }
      String batch = summary.get(CommitSummary.SOURCE_OBJECTS);
      if (batch != null) {
        for (String line : batch.split("\n")) {
          ingested.putIfAbsent(line, snapshot);
        }
      }
    }
    return ingested;
  }

  /**
   * An object's line in a batch commit's {@code SOURCE_OBJECTS} summary: its ETag ({@code -} when
   * unknown), a space, its URI.
   */
  private static String identity(String sourceFile, String etag) {
    return (etag == null || etag.isEmpty() ? "-" : etag) + " " + sourceFile;
  }

  /** A landed object to load: its entity, where it is, and its content's identity. */
  record LandedObject(SourceEntity entity, String bucket, String key, String etag, long size) {
    String sourceFile() {
      return "s3://" + bucket + "/" + key;
    }
  }

  /** What bronze did with one object. */
  record ObjectOutcome(
      LandedObject object,
      String table,
      long rowsIn,
      long rowsWritten,
      long rowsRejected,
      Long snapshotId,
      boolean alreadyIngested,
      String ingestedBy) {

    static ObjectOutcome skipped(LandedObject object, String table, Snapshot earlier) {
      return new ObjectOutcome(
          object,
          table,
          0,
          0,
          0,
          earlier.snapshotId(),
          true,
          earlier.summary().get(SUMMARY_EXECUTION_ID));
    }

    PipelineRun toRun(String executionId, Instant started, Instant finished) {
      return PipelineRun.builder(executionId, STEP)
          .table(table)
          .source(object.sourceFile(), object.etag())
          .counts(rowsIn, rowsWritten, rowsRejected)
          .snapshotId(snapshotId)
          .status(alreadyIngested ? RunStatus.SKIPPED : RunStatus.SUCCEEDED)
          .message(alreadyIngested ? "already ingested by execution " + ingestedBy : null)
          .started(started)
          .finished(finished)
          .build();
    }
  }

  /** Picocli entry used by {@link JobMain} and tests: parse Glue-style args into a job. */
  public static BronzeIngestJob fromArgs(String... args) {
    return JobMain.parse(new BronzeIngestJob(), args);
  }
}
