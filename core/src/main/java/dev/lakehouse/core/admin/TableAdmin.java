package dev.lakehouse.core.admin;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.json.JsonValues;
import dev.lakehouse.core.runs.PipelineRun;
import dev.lakehouse.core.runs.RunLog;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortField;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Table administration over the Iceberg API: inspect (describe, snapshots, history), time travel, diff two
 * snapshots by business key, roll back, and evolve schema and partitioning in place (metadata only, no rewrite).
 * Every answer is a JSON-friendly map; every bad argument is an {@link InvalidArgument} (or
 * {@link SnapshotNotFound}, or {@link dev.lakehouse.core.tables.UnknownTableException}) with an actionable message.
 *
 * <p>Rollback audit: an Iceberg rollback only moves the current-snapshot pointer and writes no snapshot, so there is
 * no snapshot summary to annotate. Who and why go into the table properties ({@code lakehouse.rollback.*}, the last
 * rollback, committed atomically with it) and into a {@code pipeline_runs} row (step {@code rollback}, every one).
 */
public final class TableAdmin {
  public static final int DEFAULT_SAMPLE = 10;
  public static final int MAX_SAMPLE = 100;
  public static final String STEP_ROLLBACK = "rollback";
  public static final String PROP_ROLLBACK_PREFIX = "lakehouse.rollback.";

  private static final Pattern COLUMN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern TRANSFORM = Pattern.compile("\\s*([a-zA-Z]+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([a-zA-Z0-9_.]+)\\s*\\)\\s*");

  private final Catalog catalog;
  private final CatalogSettings settings;
  private final RunLog runLog;
  private final Clock clock;

  public TableAdmin(Catalog catalog, CatalogSettings settings, Clock clock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.settings = settings;
    this.runLog = new RunLog(catalog);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ------------------------------------------------------------------------------------------ provisioning

  /** Creates the namespace and every declared table that does not exist yet (idempotent). */
  /** Every declared table with its zone: what the maintenance state machine maps over. */
  public Map<String, Object> listTables() {
    List<Map<String, Object>> tables = new ArrayList<>();
    for (TableDefinition t : LakehouseTables.all()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("table", t.name());
      entry.put("zone", t.zone().label());
      tables.add(entry);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("namespace", LakehouseTables.NAMESPACE);
    out.put("tables", tables);
    return out;
  }

  public Map<String, Object> createTables() {
    if (settings == null) {
      throw new IllegalStateException("createTables needs catalog settings (table locations)");
    }
    TableProvisioner.Result r = new TableProvisioner(catalog, settings).provision();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("namespace", LakehouseTables.NAMESPACE);
    out.put("namespaceCreated", r.namespaceCreated());
    out.put("created", r.created());
    out.put("existing", r.existing());
    out.put("migrated", r.migrated());
    return out;
  }

  // ------------------------------------------------------------------------------------------ inspection

  public Map<String, Object> describe(String tableName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = load(def);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("qualifiedName", def.qualifiedName());
    out.put("zone", def.zone().label());
    out.put("location", table.location());
    out.put("formatVersion", ((HasTableOperations) table).operations().current().formatVersion());
    out.put("schemaId", table.schema().schemaId());
    out.put("columns", columns(table.schema().asStruct()));
    out.put("partitionSpecId", table.spec().specId());
    out.put("partitionFields", partitionFields(table));
    List<String> sort = new ArrayList<>();
    for (SortField f : table.sortOrder().fields()) {
      sort.add(table.schema().findColumnName(f.sourceId()) + " " + f.direction().name().toLowerCase(Locale.ROOT)
          + (f.transform().isIdentity() ? "" : " (" + f.transform() + ")"));
    }
    out.put("sortOrder", sort);
    out.put("businessKey", def.businessKey());
    out.put("properties", new java.util.TreeMap<>(table.properties()));
    Snapshot current = table.currentSnapshot();
    out.put("currentSnapshotId", current == null ? null : current.snapshotId());
    out.put("snapshotCount", sizeOf(table.snapshots()));
    out.put("totalRecords", current == null ? 0L : summaryLong(current, "total-records"));
    out.put("totalDataFiles", current == null ? 0L : summaryLong(current, "total-data-files"));
    return out;
  }

  /** Every snapshot still in the metadata, oldest first. */
  public Map<String, Object> snapshots(String tableName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = load(def);
    Long current = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
    List<Map<String, Object>> list = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      Map<String, Object> m = snapshotInfo(s);
      m.put("isCurrent", Objects.equals(current, s.snapshotId()));
      list.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("currentSnapshotId", current);
    out.put("snapshots", list);
    return out;
  }

  /** When each snapshot became current (rollbacks included), oldest first. */
  public Map<String, Object> history(String tableName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = load(def);
    List<Long> ancestors = table.currentSnapshot() == null ? List.of()
        : SnapshotUtil.currentAncestorIds(table);
    List<Map<String, Object>> list = new ArrayList<>();
    for (HistoryEntry e : table.history()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("snapshotId", e.snapshotId());
      m.put("madeCurrentAt", Instant.ofEpochMilli(e.timestampMillis()).toString());
      m.put("isCurrentAncestor", ancestors.contains(e.snapshotId()));
      list.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("history", list);
    return out;
  }

  // ------------------------------------------------------------------------------------------ time travel & diff

  /** Row count and the first {@code limit} rows as the table was at a snapshot id or a point in time. */
  public Map<String, Object> timeTravel(String tableName, Long snapshotId, String asOf, Integer limit) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = load(def);
    Snapshot snapshot = resolve(def, table, snapshotId, asOf, "timeTravel");
    int max = sample(limit);
    List<Map<String, Object>> rows = new ArrayList<>();
    long count = 0;
    // A past snapshot reads with the schema it was written with; the current one with the current (evolved) schema.
    boolean latest = snapshotId == null && (asOf == null || asOf.isBlank());
    var scan = latest ? IcebergGenerics.read(table) : IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId());
    try (CloseableIterable<Record> records = scan.build()) {
      for (Record r : records) {
        if (rows.size() < max) {
          rows.add(JsonValues.row(r));
        }
        count++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("snapshotId", snapshot.snapshotId());
    out.put("committedAt", Instant.ofEpochMilli(snapshot.timestampMillis()).toString());
    out.put("operation", snapshot.operation());
    out.put("rowCount", count);
    out.put("rows", rows);
    return out;
  }

  /**
   * Rows added, removed and changed between two snapshots, matched by the table's business key (tables without
   * one, e.g. bronze, match whole rows: a change shows as one removed and one added row). {@code to} defaults to the
   * current snapshot. Reads both snapshots in memory: meant for admin use on curated and aggregate tables.
   */
  public Map<String, Object> diff(String tableName, Long fromSnapshotId, String fromAsOf, Long toSnapshotId,
      String toAsOf, Integer sampleSize) {
    TableDefinition def = LakehouseTables.byName(tableName);
    Table table = load(def);
    if (fromSnapshotId == null && fromAsOf == null) {
      throw new InvalidArgument("diff needs fromSnapshotId or fromAsOf");
    }
    Snapshot from = resolve(def, table, fromSnapshotId, fromAsOf, "diff");
    Snapshot to = toSnapshotId == null && toAsOf == null ? current(def, table) : resolve(def, table, toSnapshotId, toAsOf, "diff");
    int max = sample(sampleSize);
    List<String> keyColumns = def.businessKey();
    Map<List<Object>, Map<String, Object>> before = keyed(table, from, keyColumns);
    Map<List<Object>, Map<String, Object>> after = keyed(table, to, keyColumns);

    List<Object> addedSample = new ArrayList<>();
    List<Object> removedSample = new ArrayList<>();
    List<Object> changedSample = new ArrayList<>();
    long added = 0;
    long removed = 0;
    long changed = 0;
    long unchanged = 0;
    for (var e : after.entrySet()) {
      Map<String, Object> old = before.get(e.getKey());
      if (old == null) {
        added++;
        if (addedSample.size() < max) {
          addedSample.add(keyMap(keyColumns, e.getKey(), e.getValue()));
        }
      } else if (!old.equals(e.getValue())) {
        changed++;
        if (changedSample.size() < max) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("key", keyMap(keyColumns, e.getKey(), e.getValue()));
          List<String> columns = new ArrayList<>();
          Map<String, Object> was = new LinkedHashMap<>();
          Map<String, Object> now = new LinkedHashMap<>();
          for (String column : e.getValue().keySet()) {
            if (!Objects.equals(old.get(column), e.getValue().get(column))) {
              columns.add(column);
              was.put(column, old.get(column));
              now.put(column, e.getValue().get(column));
            }
          }
          c.put("changedColumns", columns);
          c.put("before", was);
          c.put("after", now);
          changedSample.add(c);
        }
      } else {
        unchanged++;
      }
    }
    for (var e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        removed++;
        if (removedSample.size() < max) {
          removedSample.add(keyMap(keyColumns, e.getKey(), e.getValue()));
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("keyColumns", keyColumns.isEmpty() ? List.of("<whole row>") : keyColumns);
    out.put("fromSnapshotId", from.snapshotId());
    out.put("toSnapshotId", to.snapshotId());
    out.put("fromRows", (long) before.size());
    out.put("toRows", (long) after.size());
    out.put("added", added);
    out.put("removed", removed);
    out.put("changed", changed);
    out.put("unchanged", unchanged);
    Map<String, Object> samples = new LinkedHashMap<>();
    samples.put("added", addedSample);
    samples.put("removed", removedSample);
    samples.put("changed", changedSample);
    out.put("samples", samples);
    return out;
  }

  // ------------------------------------------------------------------------------------------ rollback

  /**
   * Makes an earlier snapshot of the current history current again. Refuses a snapshot that is not an ancestor of
   * the current one, and a request without who and why.
   */
  public Map<String, Object> rollback(String tableName, Long snapshotId, String asOf, String actor, String reason,
      String executionId) {
    TableDefinition def = LakehouseTables.byName(tableName);
    if (blank(actor)) {
      throw new InvalidArgument("rollback needs 'actor': who asks for it (recorded in the table and pipeline_runs)");
    }
    if (blank(reason)) {
      throw new InvalidArgument("rollback needs 'reason': why (recorded in the table and pipeline_runs)");
    }
    if (snapshotId == null && blank(asOf)) {
      throw new InvalidArgument("rollback needs snapshotId or asOf");
    }
    Table table = load(def);
    Snapshot current = current(def, table);
    Snapshot target = resolve(def, table, snapshotId, asOf, "rollback");
    if (!SnapshotUtil.isAncestorOf(table, current.snapshotId(), target.snapshotId())) {
      throw new SnapshotNotFound("snapshot " + target.snapshotId() + " of " + def.name() + " is not in the current "
          + "history (not an ancestor of current snapshot " + current.snapshotId() + "); rollback only goes back "
          + "along the current history; see the 'history' operation for candidates");
    }
    Instant at = clock.instant();
    boolean changed = target.snapshotId() != current.snapshotId();
    if (changed) {
      Transaction tx = table.newTransaction();
      tx.manageSnapshots().rollbackTo(target.snapshotId()).commit();
      tx.updateProperties()
          .set(PROP_ROLLBACK_PREFIX + "by", actor)
          .set(PROP_ROLLBACK_PREFIX + "reason", reason)
          .set(PROP_ROLLBACK_PREFIX + "at", at.toString())
          .set(PROP_ROLLBACK_PREFIX + "from-snapshot-id", Long.toString(current.snapshotId()))
          .set(PROP_ROLLBACK_PREFIX + "to-snapshot-id", Long.toString(target.snapshotId()))
          .commit();
      tx.commitTransaction();
    }
    String execution = blank(executionId) ? "admin-" + UUID.randomUUID() : executionId;
    String message = (changed ? "rolled back from " + current.snapshotId() + " to " + target.snapshotId()
        : "already at " + target.snapshotId()) + " by " + actor + ": " + reason;
    runLog.record(PipelineRun.builder(execution, STEP_ROLLBACK).table(def.name()).snapshotId(target.snapshotId())
        .message(message).started(at).finished(clock.instant()).build());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("fromSnapshotId", current.snapshotId());
    out.put("toSnapshotId", target.snapshotId());
    out.put("changed", changed);
    out.put("actor", actor);
    out.put("reason", reason);
    out.put("executionId", execution);
    out.put("at", at.toString());
    return out;
  }

  // ------------------------------------------------------------------------------------------ schema evolution

  /** Adds an optional column (metadata only; existing files read it as null). Nested: {@code parent.child}. */
  public Map<String, Object> addColumn(String tableName, String column, String type, String doc) {
    TableDefinition def = LakehouseTables.byName(tableName);
    requireText(column, "column");
    requireText(type, "type");
    Table table = load(def);
    String parent = null;
    String name = column;
    int dot = column.lastIndexOf('.');
    if (dot > 0) {
      parent = column.substring(0, dot);
      name = column.substring(dot + 1);
      Types.NestedField p = table.schema().findField(parent);
      if (p == null || !p.type().isStructType()) {
        throw new InvalidArgument("cannot add " + column + " to " + def.name() + ": " + parent + " is not a struct column");
      }
    }
    requireColumnName(name);
    if (table.schema().findField(column) != null) {
      throw new InvalidArgument(def.name() + " already has a column named " + column);
    }
    Type.PrimitiveType parsed = primitive(type);
    int before = table.schema().schemaId();
    var update = table.updateSchema();
    if (parent == null) {
      update.addColumn(name, parsed, doc);
    } else {
      update.addColumn(parent, name, parsed, doc);
    }
    update.commit();
    return evolved(def, table, "addColumn", before, column + " " + parsed + " (optional)");
  }

  /** Renames a column in place; data files are untouched (columns are resolved by id). */
  public Map<String, Object> renameColumn(String tableName, String column, String newName) {
    TableDefinition def = LakehouseTables.byName(tableName);
    requireText(column, "column");
    requireText(newName, "newName");
    requireColumnName(newName);
    Table table = load(def);
    if (table.schema().findField(column) == null) {
      throw new InvalidArgument(def.name() + " has no column " + column + "; columns: " + topLevelNames(table));
    }
    if (def.businessKey().contains(column)) {
      throw new InvalidArgument(column + " is part of " + def.name() + "'s business key " + def.businessKey()
          + ", which the jobs merge on; renaming it would break them");
    }
    String parent = column.contains(".") ? column.substring(0, column.lastIndexOf('.') + 1) : "";
    if (table.schema().findField(parent + newName) != null) {
      throw new InvalidArgument(def.name() + " already has a column named " + parent + newName);
    }
    int before = table.schema().schemaId();
    table.updateSchema().renameColumn(column, newName).commit();
    return evolved(def, table, "renameColumn", before, column + " -> " + parent + newName);
  }

  /** Widens a column's type where Iceberg allows it without rewriting: int→long, float→double, decimal precision. */
  public Map<String, Object> widenColumn(String tableName, String column, String type) {
    TableDefinition def = LakehouseTables.byName(tableName);
    requireText(column, "column");
    requireText(type, "type");
    Table table = load(def);
    Types.NestedField field = table.schema().findField(column);
    if (field == null) {
      throw new InvalidArgument(def.name() + " has no column " + column + "; columns: " + topLevelNames(table));
    }
    if (!field.type().isPrimitiveType()) {
      throw new InvalidArgument(column + " is a " + field.type() + "; only primitive columns can be widened");
    }
    Type.PrimitiveType target = primitive(type);
    if (field.type().equals(target)) {
      throw new InvalidArgument(column + " is already " + target);
    }
    if (!TypeUtil.isPromotionAllowed(field.type(), target)) {
      throw new InvalidArgument("cannot widen " + column + " from " + field.type() + " to " + target + " without a "
          + "rewrite; allowed: int -> long, float -> double, decimal(P,S) -> decimal(P2,S) with P2 > P");
    }
    int before = table.schema().schemaId();
    table.updateSchema().updateColumn(column, target).commit();
    return evolved(def, table, "widenColumn", before, column + " " + field.type() + " -> " + target);
  }

  // ------------------------------------------------------------------------------------------ partition evolution

  /**
   * Adds a partition field, e.g. {@code day(order_date)}, {@code bucket(16, customer_id)}, {@code truncate(4, sku)}
   * or a bare column for identity. New data is written with the new spec; old files keep theirs.
   */
  public Map<String, Object> addPartitionField(String tableName, String transform, String name) {
    TableDefinition def = LakehouseTables.byName(tableName);
    requireText(transform, "transform");
    Table table = load(def);
    Term term = term(def, table, transform);
    int before = table.spec().specId();
    try {
      var update = table.updateSpec();
      if (blank(name)) {
        update.addField(term);
      } else {
        requireColumnName(name);
        update.addField(name, term);
      }
      update.commit();
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument("cannot add partition field " + transform + " to " + def.name() + ": " + e.getMessage(), e);
    }
    table.refresh();
    return partitionEvolved(def, table, "addPartitionField", before, transform);
  }

  /** Removes a partition field by its name (see describe) or by its transform, e.g. {@code month(order_date)}. */
  public Map<String, Object> removePartitionField(String tableName, String field) {
    TableDefinition def = LakehouseTables.byName(tableName);
    requireText(field, "field");
    Table table = load(def);
    int before = table.spec().specId();
    boolean byName = table.spec().fields().stream().anyMatch(f -> f.name().equals(field.trim()));
    try {
      if (byName) {
        table.updateSpec().removeField(field.trim()).commit();
      } else if (TRANSFORM.matcher(field).matches()) {
        table.updateSpec().removeField(term(def, table, field)).commit();
      } else {
        throw new InvalidArgument(def.name() + " has no partition field " + field + "; partition fields: "
            + partitionFields(table));
      }
    } catch (InvalidArgument e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument("cannot remove partition field " + field + " from " + def.name() + ": "
          + e.getMessage() + "; partition fields: " + partitionFields(table), e);
    }
    table.refresh();
    return partitionEvolved(def, table, "removePartitionField", before, field);
  }

  // ------------------------------------------------------------------------------------------ helpers

  private Table load(TableDefinition def) {
    try {
      return catalog.loadTable(def.identifier());
    } catch (NoSuchTableException e) {
      throw new InvalidArgument(def.qualifiedName() + " is declared but does not exist in the catalog yet; run "
          + "createTables first", e);
    }
  }

  private static Snapshot current(TableDefinition def, Table table) {
    Snapshot s = table.currentSnapshot();
    if (s == null) {
      throw new SnapshotNotFound(def.name() + " has no snapshots yet (no data was ever written)");
    }
    return s;
  }

  private Snapshot resolve(TableDefinition def, Table table, Long snapshotId, String asOf, String operation) {
    if (snapshotId != null && !blank(asOf)) {
      throw new InvalidArgument(operation + ": give either snapshotId or asOf, not both");
    }
    if (snapshotId != null) {
      Snapshot s = table.snapshot(snapshotId);
      if (s == null) {
        List<Long> known = new ArrayList<>();
        table.snapshots().forEach(x -> known.add(x.snapshotId()));
        throw new SnapshotNotFound("snapshot " + snapshotId + " is not in the history of " + def.name()
            + "; known snapshots (oldest first): " + (known.size() > 20 ? known.subList(known.size() - 20, known.size()) : known));
      }
      return s;
    }
    if (blank(asOf)) {
      return current(def, table);
    }
    Instant at = parseInstant(asOf, "asOf");
    current(def, table);
    try {
      return table.snapshot(SnapshotUtil.snapshotIdAsOfTime(table, at.toEpochMilli()));
    } catch (IllegalArgumentException e) {
      throw new SnapshotNotFound(def.name() + " had no snapshot at or before " + at + "; its oldest snapshot is from "
          + Instant.ofEpochMilli(SnapshotUtil.oldestAncestor(table).timestampMillis()));
    }
  }

  /** ISO-8601 instant ({@code 2026-11-25T10:00:00Z}), offset date-time, date (midnight UTC) or epoch millis. */
  public static Instant parseInstant(String value, String what) {
    String v = value.trim();
    try {
      if (v.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(v));
      }
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidArgument(what + " '" + value + "' is not a time; use ISO-8601 like 2026-11-25T10:00:00Z, a "
          + "date like 2026-11-25, or epoch milliseconds");
    }
  }

  private Map<List<Object>, Map<String, Object>> keyed(Table table, Snapshot snapshot, List<String> keyColumns) {
    Map<List<Object>, Map<String, Object>> rows = new HashMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).build()) {
      for (Record r : records) {
        Map<String, Object> row = JsonValues.row(r);
        List<Object> key;
        if (keyColumns.isEmpty()) {
          key = new ArrayList<>(row.values());
        } else {
          key = new ArrayList<>(keyColumns.size());
          for (String c : keyColumns) {
            key.add(row.get(c));
          }
        }
        rows.put(key, row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static Map<String, Object> keyMap(List<String> keyColumns, List<Object> key, Map<String, Object> row) {
    if (keyColumns.isEmpty()) {
      return row;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyColumns.size(); i++) {
      m.put(keyColumns.get(i), key.get(i));
    }
    return m;
  }

  private static Map<String, Object> snapshotInfo(Snapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshotId", s.snapshotId());
    m.put("parentId", s.parentId());
    m.put("sequenceNumber", s.sequenceNumber());
    m.put("committedAt", Instant.ofEpochMilli(s.timestampMillis()).toString());
    m.put("operation", s.operation());
    m.put("summary", new java.util.TreeMap<>(s.summary()));
    return m;
  }

  private Map<String, Object> evolved(TableDefinition def, Table table, String operation, int schemaBefore, String change) {
    table.refresh();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("operation", operation);
    out.put("change", change);
    out.put("previousSchemaId", schemaBefore);
    out.put("schemaId", table.schema().schemaId());
    out.put("columns", columns(table.schema().asStruct()));
    return out;
  }

  private Map<String, Object> partitionEvolved(TableDefinition def, Table table, String operation, int specBefore,
      String change) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("table", def.name());
    out.put("operation", operation);
    out.put("change", change);
    out.put("previousSpecId", specBefore);
    out.put("specId", table.spec().specId());
    out.put("partitionFields", partitionFields(table));
    return out;
  }

  private static List<Map<String, Object>> columns(Types.StructType struct) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Types.NestedField f : struct.fields()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", f.fieldId());
      m.put("name", f.name());
      m.put("type", f.type().toString());
      m.put("required", f.isRequired());
      if (f.doc() != null) {
        m.put("doc", f.doc());
      }
      list.add(m);
    }
    return list;
  }

  private static List<Map<String, Object>> partitionFields(Table table) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (PartitionField f : table.spec().fields()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.name());
      m.put("transform", f.transform().toString());
      m.put("sourceColumn", table.schema().findColumnName(f.sourceId()));
      list.add(m);
    }
    return list;
  }

  private static Term term(TableDefinition def, Table table, String spec) {
    Matcher m = TRANSFORM.matcher(spec);
    String transform;
    String column;
    Integer arg = null;
    if (m.matches()) {
      transform = m.group(1).toLowerCase(Locale.ROOT);
      arg = m.group(2) == null ? null : Integer.valueOf(m.group(2));
      column = m.group(3);
    } else if (spec.trim().matches("[a-zA-Z0-9_.]+")) {
      transform = "identity";
      column = spec.trim();
    } else {
      throw new InvalidArgument("'" + spec + "' is not a partition transform; use identity(col), year(col), "
          + "month(col), day(col), hour(col), bucket(N, col) or truncate(W, col)");
    }
    if (table.schema().findField(column) == null) {
      throw new InvalidArgument(def.name() + " has no column " + column + "; columns: " + topLevelNames(table));
    }
    boolean needsArg = transform.equals("bucket") || transform.equals("truncate");
    if (needsArg != (arg != null)) {
      throw new InvalidArgument(needsArg ? transform + " needs a width: " + transform + "(N, " + column + ")"
          : transform + " takes no number: " + transform + "(" + column + ")");
    }
    return switch (transform) {
      case "identity" -> Expressions.ref(column);
      case "year", "years" -> Expressions.year(column);
      case "month", "months" -> Expressions.month(column);
      case "day", "days" -> Expressions.day(column);
      case "hour", "hours" -> Expressions.hour(column);
      case "bucket" -> Expressions.bucket(column, positive(arg, "bucket count"));
      case "truncate" -> Expressions.truncate(column, positive(arg, "truncate width"));
      default -> throw new InvalidArgument("unknown partition transform '" + transform + "'; use identity, year, "
          + "month, day, hour, bucket or truncate");
    };
  }

  private static int positive(int value, String what) {
    if (value <= 0) {
      throw new InvalidArgument(what + " must be positive, was " + value);
    }
    return value;
  }

  private static Type.PrimitiveType primitive(String type) {
    try {
      return Types.fromPrimitiveString(type.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgument("unknown type '" + type + "'; use boolean, int, long, float, double, "
          + "decimal(P,S), date, time, timestamp, timestamptz, string, uuid or binary");
    }
  }

  private static void requireColumnName(String name) {
    if (!COLUMN_NAME.matcher(name).matches()) {
      throw new InvalidArgument("column name '" + name + "' is not allowed; use lower-case letters, digits and _ "
          + "(Glue and Athena fold names to lower case)");
    }
  }

  private static String topLevelNames(Table table) {
    return String.join(", ", table.schema().columns().stream().map(Types.NestedField::name).toList());
  }

  private static void requireText(String value, String what) {
    if (blank(value)) {
      throw new InvalidArgument("missing argument '" + what + "'");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static int sample(Integer requested) {
    if (requested == null) {
      return DEFAULT_SAMPLE;
    }
    if (requested < 0 || requested > MAX_SAMPLE) {
      throw new InvalidArgument("limit must be between 0 and " + MAX_SAMPLE + ", was " + requested);
    }
    return requested;
  }

  private static long summaryLong(Snapshot s, String key) {
    String v = s.summary().get(key);
    return v == null ? 0L : Long.parseLong(v);
  }

  private static long sizeOf(Iterable<?> it) {
    long n = 0;
    for (Object ignored : it) {
      n++;
    }
    return n;
  }
}
