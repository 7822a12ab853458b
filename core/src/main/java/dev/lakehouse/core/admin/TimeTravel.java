package dev.lakehouse.core.admin;

import dev.lakehouse.core.json.JsonValues;
import dev.lakehouse.core.tables.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads a table as it was at a snapshot id or a point in time (neither: the current snapshot):
 * {@code admin.timeTravel("curated_products").snapshot(id).limit(5).execute()}. Reads at most
 * {@code limit} rows; the row count comes from the snapshot summary, never from a scan, so it costs
 * the same on any table size.
 */
public final class TimeTravel {
  private final AdminTables tables;
  private final TableDefinition def;
  private Long snapshotId;
  private String asOf;
  private Integer limit;

  TimeTravel(AdminTables tables, TableDefinition def) {
    this.tables = tables;
    this.def = def;
  }

  public TimeTravel snapshot(Long id) {
    this.snapshotId = id;
    return this;
  }

  /** A time as {@link Arguments#parseInstant} reads it: the snapshot current then. */
  public TimeTravel asOf(String time) {
    this.asOf = time;
    return this;
  }

  /**
   * How many rows to return, 0 to {@value Arguments#MAX_SAMPLE} (default {@value
   * Arguments#DEFAULT_SAMPLE}).
   */
  public TimeTravel limit(Integer rows) {
    this.limit = rows;
    return this;
  }

  public SnapshotRows execute() {
    Table table = tables.load(def);
    Snapshot snapshot = AdminTables.resolve(def, table, snapshotId, asOf, "timeTravel");
    int max = Arguments.sample(limit);
    List<Map<String, Object>> rows = new ArrayList<>();
    // A past snapshot reads with the schema it was written with; the current one with the current
    // (evolved) schema.
    boolean latest = snapshotId == null && Arguments.blank(asOf);
    var scan =
        latest
            ? IcebergGenerics.read(table)
            : IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId());
    if (max > 0) {
      try (CloseableIterable<Record> records = scan.build()) {
        for (Record r : records) {
          rows.add(JsonValues.row(r));
          if (rows.size() == max) {
            break;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // The count comes from the summary: a scan of a whole table does not belong in a Lambda, so
    // when the summary
    // cannot tell, the count is reported as unknown, with why.
    Long rowCount = SnapshotCounts.liveRecords(snapshot.summary());
    String unknown = null;
    if (rowCount == null && AdminTables.summaryLong(snapshot, "total-records") == null) {
      unknown =
          "the snapshot summary has no total-records (written by a client that does not keep totals)";
    } else if (rowCount == null) {
      unknown =
          "the snapshot has "
              + AdminTables.summaryLong(snapshot, "total-equality-deletes")
              + " equality deletes, "
              + "which can each remove any number of rows; count with a query engine (Athena: SELECT count(*) ... FOR "
              + "VERSION AS OF "
              + snapshot.snapshotId()
              + ")";
    }
    return new SnapshotRows(
        def.name(),
        snapshot.snapshotId(),
        Instant.ofEpochMilli(snapshot.timestampMillis()),
        snapshot.operation(),
        rowCount,
        rows,
        unknown);
  }
}
