package dev.lakehouse.core.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A table as it was at one snapshot: its live row count and its first rows (JSON-friendly, see
 * {@link dev.lakehouse.core.json.JsonValues}). {@code rowCount} is null when the snapshot summary
 * cannot give it; {@code rowCountUnknown} then says why (and is left out of the JSON otherwise).
 */
public record SnapshotRows(
    String table,
    long snapshotId,
    Instant committedAt,
    String operation,
    Long rowCount,
    List<Map<String, Object>> rows,
    @JsonInclude(JsonInclude.Include.NON_NULL) String rowCountUnknown) {}
