package dev.lakehouse.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The issue's targets, each judged against the figures a report holds: met, or how far from it and
 * what is left. A target names the key it reads and, per section (a scale, or a section such as the
 * demo), its limit; the cause is shown only while a figure misses its limit, so a rerun that meets
 * a target says so without anyone editing the text.
 */
final class Targets {
  private Targets() {}

  /** Which side of its limit a figure must stay. */
  enum Bound {
    AT_MOST("≤"),
    AT_LEAST("≥");

    private final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }

    boolean holds(double value, double limit) {
      return this == AT_MOST ? value <= limit : value >= limit;
    }

    /** How far a figure that misses its limit is from it: 2.5× the limit, or 68% of it. */
    String distance(double value, double limit) {
      return this == AT_MOST
          ? Report.fmt(value / limit) + "× the limit"
          : Math.round(100 * value / limit) + "% of the limit";
    }
  }

  /** Every section that holds the key. */
  static final String ANY = "*";

  /**
   * @param row the issue's row (its "what")
   * @param key the key it is judged by
   * @param limits per section (or {@link #ANY}), the limit a figure must keep to
   * @param target the target as the issue states it
   * @param cause why it is not met yet and what would meet it (shown only while it is not)
   */
  record Target(
      String row,
      String key,
      Bound bound,
      Map<String, Double> limits,
      String target,
      String cause) {
    Double limit(String section) {
      return limits.getOrDefault(section, limits.get(ANY));
    }
  }

  /** One target judged: its figure in each section that has it, and whether the limits hold. */
  record Verdict(Target target, Map<String, Double> figures, boolean measured, boolean met) {
    /**
     * {@code SF1 0.63 · SF100 0.25 ✗ 2.5× the limit}: each figure, judged where a limit applies.
     */
    String figuresText() {
      return figures.entrySet().stream()
          .map(
              e -> {
                Double limit = target.limit(e.getKey());
                String figure = e.getKey() + " " + Report.fmt(e.getValue());
                if (limit == null) {
                  return figure;
                }
                return target.bound.holds(e.getValue(), limit)
                    ? figure + " ✓"
                    : "**" + figure + "** ✗ " + target.bound.distance(e.getValue(), limit);
              })
          .collect(Collectors.joining(" · "));
    }

    String standing() {
      if (!measured) {
        String where =
            target.limits.keySet().stream()
                .filter(s -> !s.equals(ANY))
                .sorted()
                .collect(Collectors.joining(", "));
        return where.isEmpty() ? "not measured" : "not measured: no figure in " + where;
      }
      return met ? "met" : "**not met** — " + target.cause;
    }

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("row", target.row);
      m.put("key", target.key);
      m.put("target", target.target);
      m.put("figures", figures);
      m.put("met", measured ? met : null);
      return m;
    }
  }

  /** The issue's table, row by row. */
  static final List<Target> ISSUE =
      List.of(
          new Target(
              "1.5% incremental run vs full rebuild",
              "incremental_ratio",
              Bound.AT_MOST,
              Map.of(Scale.SF100.name(), 0.10, Scale.SF1000.name(), 0.05),
              "≤ 0.10× at 500k orders (SF100), ≤ 0.05× at 5M (SF1000)",
              "silver orders is most of the delta's run (0.18 of the build at SF100 and at SF1000; gold"
                  + " 0.04): the delta's re-landed orders are MERGEd into curated_orders and"
                  + " curated_order_items, whose key (order_id) is not a partition source, so a MERGE"
                  + " cannot be limited to the partitions it changes; SF1000's 25,000 re-landed orders"
                  + " are past the 20,000 keys a MERGE condition lists (`SilverSql.TARGET_KEYS_MAX`),"
                  + " so its MERGEs join the whole tables. Left: an append-only path for status"
                  + " updates, or a narrowing Spark does not re-parse (docs/jobs.md)."),
          new Target(
              "fixed cost of one execution (200 rows)",
              "execution_fixed_seconds",
              Bound.AT_MOST,
              Map.of(ANY, 10.0),
              "≤ 10 s locally (one warm JVM)",
              "at SF1 silver orders takes 5 to 6 s of it (about 50 Spark jobs of 20–500 ms each on two"
                  + " cores: the staged batch, its lines and orders, its customers' orders, the key"
                  + " lists of its MERGE conditions, two quality gates, three commits), gold about 2 s"
                  + " (the harness's 200 orders fall on about 150 dates in 12 months, each recomputed);"
                  + " at larger scales silver's reads of the batch customers' orders and the"
                  + " customer-stats MERGE grow with the tables, and a fifth batch into the same months"
                  + " compacts them (docs/jobs.md)."),
          new Target(
              "bronze throughput vs plain Spark `read.json → write.parquet`",
              "bronze_floor_ratio",
              Bound.AT_LEAST,
              Map.of(ANY, 0.8),
              "≥ 0.8×",
              "bronze parses each record once and streams it; the distance is the per-record work"
                  + " plain Spark does not do (lineage columns, schema checks, quarantine)."),
          new Target(
              "memory: one orders file",
              "peak_rss_mb",
              Bound.AT_MOST,
              Map.of(Scale.SF1000.name(), 4096.0),
              "a 5M-order file (SF1000) with -Xmx4g, memory flat in file size: its peak RSS (MB)"
                  + " within the 4 GB",
              "the 5M-order file did not stay within the limit: (g)'s note and its log say how it ended."),
          new Target(
              "one-day query on curated_orders (% of files)",
              "prune_day_files_pct",
              Bound.AT_MOST,
              Map.of(ANY, 5.0),
              "≤ 5% of files and bytes",
              "curated_orders is partitioned by month (a day's orders are in their month's files, and"
                  + " a month is 1/12 to 1/13 of the data) and a month stays one file below 128 MiB;"
                  + " each batch's MERGE or append adds a file spanning its days. Day partitions"
                  + " would make 365 partitions of about 14 orders at SF1 (docs/tables.md)."),
          new Target(
              "customer_id point lookup (% of files)",
              "prune_customer_files_pct",
              Bound.AT_MOST,
              Map.of(ANY, 10.0),
              "≤ 10%",
              "a customer's orders (about five) fall in as many months, and every month's files"
                  + " cover every customer (sorted by order date); SF1000's 8.33% is where CUST-000001's"
                  + " few orders fell, not clustering. `bucket(16, customer_id)` brought a lookup to 1.56%"
                  + " at SF100 but made silver orders' MERGE write and delete per bucket (51.8 s"
                  + " instead of 29.4 s), so it is not on main (docs/tables.md)."),
          new Target(
              "compaction after small ingests: files per partition",
              "compaction_after_write_max_partition_files",
              Bound.AT_MOST,
              Map.of(ANY, 5.0),
              "files per partition bounded automatically (each silver run compacts at 5)",
              "a silver run compacts the partitions its commits bring to"
                  + " `lakehouse.compact.min-input-files`."),
          new Target(
              "compaction after small ingests: files before / after the nightly run",
              "compaction_file_ratio",
              Bound.AT_LEAST,
              Map.of(ANY, 10.0),
              "≥ 10× fewer files",
              "the ratio is a function of how many ingests precede the nightly run: (d)'s four small"
                  + " ingests bring curated_orders from 24 data files to about 82 data and delete files,"
                  + " which the nightly run leaves at 12 (seven would pass). With compaction after"
                  + " write on (the tables' default) a partition holds at most 4 data files when the"
                  + " nightly run starts, so there is less for it to do."),
          new Target(
              "`./lakehouse demo` (seed scale)",
              "demo_seconds",
              Bound.AT_MOST,
              Map.of(ANY, 60.0),
              "≤ 60 s, and the README states what the harness measured",
              "each of the demo's executions pays the fixed cost of an execution above (the seed batch"
                  + " and the status update are most of the demo: see the steps in its row below), and"
                  + " the local stack starts in 8–9 s, the S3 server 6–7 s of it; the README states this"
                  + " figure."),
          new Target(
              "cold `lakehouse sql` count",
              "cli_cold_seconds",
              Bound.AT_MOST,
              Map.of(ANY, 15.0),
              "≤ 15 s cold",
              "SF1000's figure was taken once, on a machine shared with test runs and a CI run (load"
                  + " average 6 at the end): an upper bound, not re-measured idle."),
          new Target(
              "`lakehouse sql` on a running stack",
              "query_warm_seconds",
              Bound.AT_MOST,
              Map.of(ANY, 2.0),
              "≤ 2 s on a running stack",
              "SF1000's figure was taken once, on a machine shared with test runs and a CI run (load"
                  + " average 6 at the end): an upper bound, not re-measured idle."));

  /** The target judged by {@code key}: its text is what the report's rows show as their target. */
  static Target of(String key) {
    return ISSUE.stream()
        .filter(t -> t.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no target is judged by " + key));
  }

  /**
   * Each target judged against {@code results} (section → key → figure), sections in the scales'
   * order and then the others as they come.
   */
  static List<Verdict> judge(Map<String, Map<String, Object>> results) {
    List<String> sections = new ArrayList<>();
    Arrays.stream(Scale.values())
        .map(Scale::name)
        .filter(results::containsKey)
        .forEach(sections::add);
    results.keySet().stream().filter(s -> !sections.contains(s)).forEach(sections::add);
    List<Verdict> verdicts = new ArrayList<>();
    for (Target target : ISSUE) {
      Map<String, Double> figures = new LinkedHashMap<>();
      for (String section : sections) {
        Object value = results.get(section).get(target.key());
        if (value instanceof Number n) {
          figures.put(section, n.doubleValue());
        }
      }
      List<Map.Entry<String, Double>> judged =
          figures.entrySet().stream().filter(e -> target.limit(e.getKey()) != null).toList();
      boolean met =
          judged.stream()
              .allMatch(e -> target.bound().holds(e.getValue(), target.limit(e.getKey())));
      verdicts.add(new Verdict(target, figures, !judged.isEmpty(), met));
    }
    return verdicts;
  }

  /** The markdown section: one line per target. */
  static String markdown(List<Verdict> verdicts) {
    StringBuilder md = new StringBuilder("## Targets (issue 14)\n\n");
    md.append(
            "Each row of the issue's table, judged by the harness against the figures below (kept"
                + " sections included): ✓ within the limit, ✗ and how far from it, and while a limit is"
                + " missed, what is left.\n\n")
        .append("| the issue's row | key | target | figures | where it stands |\n")
        .append("|---|---|---|---|---|\n");
    for (Verdict v : verdicts) {
      md.append("| ")
          .append(v.target().row())
          .append(" | `")
          .append(v.target().key())
          .append("` | ")
          .append(v.target().target())
          .append(" | ")
          .append(v.figuresText())
          .append(" | ")
          .append(v.standing())
          .append(" |\n");
    }
    return md.append('\n').toString();
  }
}
