package dev.lakehouse.jobs.bronze;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.types.Type;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * What one pass over a table's parsed records finds: the kinds of the fields no column takes yet
 * (schema drift) and, per source object, how many records parsed and how many were rejected. One
 * Spark job gathers both, so bronze reads its records once for them instead of once per question
 * (drift, the run log's counts, the quarantine's size).
 */
public final class RecordTally implements Serializable {
  private final Set<Tuple2<String, String>> extraKinds = new HashSet<>();

  /** Source object → {parsed, rejected}. */
  private final Map<String, long[]> perObject = new HashMap<>();

  /** One pass over {@code records}: each partition tallies its own, the driver adds them up. */
  public static RecordTally of(JavaRDD<ParsedRecord> records) {
    return records.aggregate(new RecordTally(), RecordTally::add, RecordTally::merge);
  }

  RecordTally add(ParsedRecord record) {
    extraKinds.addAll(SchemaDrift.kinds(record.extra()));
    perObject.computeIfAbsent(record.sourceFile(), f -> new long[2])[record.ok() ? 0 : 1]++;
    return this;
  }

  RecordTally merge(RecordTally other) {
    extraKinds.addAll(other.extraKinds);
    other.perObject.forEach(
        (file, counts) -> {
          long[] mine = perObject.computeIfAbsent(file, f -> new long[2]);
          mine[0] += counts[0];
          mine[1] += counts[1];
        });
    return this;
  }

  /** The fields to add to the table, with their types (see {@link SchemaDrift#types}). */
  public Map<String, Type> drift() {
    return SchemaDrift.types(extraKinds);
  }

  /** Records of {@code sourceFile} that parsed. */
  public long parsed(String sourceFile) {
    return counts(sourceFile)[0];
  }

  /** Records of {@code sourceFile} that were rejected. */
  public long rejected(String sourceFile) {
    return counts(sourceFile)[1];
  }

  /** Records of every object, parsed or rejected. */
  public long records() {
    return perObject.values().stream().mapToLong(c -> c[0] + c[1]).sum();
  }

  /** Rejected records of every object: the rows quarantine receives. */
  public long rejected() {
    return perObject.values().stream().mapToLong(c -> c[1]).sum();
  }

  private long[] counts(String sourceFile) {
    return perObject.getOrDefault(sourceFile, new long[2]);
  }
}
