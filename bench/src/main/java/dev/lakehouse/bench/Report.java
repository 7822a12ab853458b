package dev.lakehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the harness measured: the keys per scale (JSON) and every row behind them
 * (markdown).
 */
final class Report {
  /** The keys of bench-results.json, per scale, in the order. */
  static final List<String> KEYS =
      List.of(
          "incremental_ratio",
          "bronze_floor_ratio",
          "prune_day_files_pct",
          "prune_customer_files_pct",
          "compaction_file_ratio",
          "compaction_scan_speedup",
          "compaction_after_write_max_partition_files",
          "execution_fixed_seconds",
          "cli_cold_seconds",
          "query_warm_seconds",
          "peak_rss_mb");

  /**
   * The keys of the parts that do not depend on the scale, each in its own section: per function
   * (its {@code LakehouseFunction} id → seconds) and the README's demo.
   */
  static final String LAMBDA = "Lambda init";

  static final String DEMO = "Demo";

  /** (f) alone ({@code bench/run --only cli}): the cold CLI, also measured by every scale run. */
  static final String CLI = "Cold CLI";

  static final Map<String, List<String>> SECTION_KEYS =
      Map.of(
          LAMBDA,
          List.of("lambda_init_seconds", "lambda_first_invoke_seconds"),
          DEMO,
          List.of("demo_seconds"),
          CLI,
          List.of("cli_cold_seconds"));

  /**
   * One line of docs/benchmarks.md: a measured thing, its runs and median, and, for a comparison,
   * its baseline run alongside and the ratio.
   */
  record Row(
      String scale,
      String scenario,
      String data,
      List<Double> runs,
      String unit,
      String baseline,
      List<Double> baselineRuns,
      Double ratio,
      String target,
      String note) {}

  private final Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();

  /** The machine (and note) of each section kept from an earlier report ({@link #keepFrom}). */
  private final Map<String, Map<String, Object>> kept = new LinkedHashMap<>();

  private final Machine machine;
  private final int repeats;
  private final boolean quick;
  private final String note;

  Report(Machine machine, int repeats, boolean quick, String note) {
    this.machine = machine;
    this.repeats = repeats;
    this.quick = quick;
    this.note = note;
  }

  void key(Scale scale, String key, double value) {
    if (!KEYS.contains(key)) {
      throw new IllegalArgumentException("not a result key: " + key);
    }
    put(scale.name(), key, round(value));
  }

  /** A key of a section that does not depend on the scale: one number, or one per function. */
  void key(String section, String key, Object value) {
    if (!SECTION_KEYS.getOrDefault(section, List.of()).contains(key)) {
      throw new IllegalArgumentException("not a result key of " + section + ": " + key);
    }
    Object rounded = value;
    if (value instanceof Double d) {
      rounded = round(d);
    } else if (value instanceof Map<?, ?> perName) {
      Map<String, Double> out = new LinkedHashMap<>();
      perName.forEach((k, v) -> out.put(k.toString(), round(((Number) v).doubleValue())));
      rounded = out;
    }
    put(section, key, rounded);
  }

  private void put(String section, String key, Object value) {
    keys.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
  }

  /**
   * A run of some parts only ({@code --only}) keeps what an earlier report measured in the sections
   * it does not measure again: their keys, rows and machine line.
   */
  void keepFrom(Path json, java.util.Set<String> remeasured) {
    if (!Files.isRegularFile(json)) {
      return;
    }
    try {
      ObjectMapper mapper = new ObjectMapper();
      var old = mapper.readTree(json.toFile());
      var oldMachines = old.path("measured_on");
      old.path("results")
          .fields()
          .forEachRemaining(
              section -> {
                String name = section.getKey();
                if (remeasured.contains(name)) {
                  return;
                }
                keys.put(name, mapper.convertValue(section.getValue(), MAP));
                kept.put(
                    name,
                    mapper.convertValue(
                        oldMachines.has(name) ? oldMachines.get(name) : old.path("machine"), MAP));
              });
      for (var row : old.path("rows")) {
        if (!remeasured.contains(row.path("scale").asText())) {
          rows.add(mapper.treeToValue(row, Row.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the earlier report " + json, e);
    }
  }

  /** Per section, the machine and note it was measured with: this run's, or a kept one's. */
  private Map<String, Map<String, Object>> measuredOn() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String section : keys.keySet()) {
      Map<String, Object> now = machine.asMap();
      now.put("note", note);
      out.put(section, kept.getOrDefault(section, now));
    }
    return out;
  }

  private static List<String> keysOf(String section) {
    return SECTION_KEYS.getOrDefault(section, KEYS);
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  void row(Row measured) {
    Row row =
        new Row(
            measured.scale(),
            measured.scenario(),
            measured.data(),
            rounded(measured.runs()),
            measured.unit(),
            measured.baseline(),
            measured.baselineRuns() == null ? null : rounded(measured.baselineRuns()),
            measured.ratio() == null ? null : round(measured.ratio()),
            measured.target(),
            measured.note());
    rows.add(row);
    System.out.println(
        "bench: "
            + row.scale()
            + " "
            + row.scenario()
            + ": "
            + fmt(median(row.runs()))
            + " "
            + row.unit()
            + (row.ratio() == null ? "" : " (ratio " + fmt(row.ratio()) + ")"));
  }

  Map<String, Map<String, Object>> keys() {
    return keys;
  }

  void write(Path json, Path markdown) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("machine", machine.asMap());
    out.put("repeats", repeats);
    out.put("quick", quick);
    // Per section, the keys in the order (missing ones would show as absent, never as 0).
    Map<String, Map<String, Object>> ordered = new LinkedHashMap<>();
    keys.forEach(
        (section, values) -> {
          Map<String, Object> inOrder = new LinkedHashMap<>();
          keysOf(section).stream()
              .filter(values::containsKey)
              .forEach(k -> inOrder.put(k, values.get(k)));
          ordered.put(section, inOrder);
        });
    out.put("results", ordered);
    out.put("measured_on", measuredOn());
    out.put("rows", rows);
    out.put("targets", Targets.judge(ordered).stream().map(Targets.Verdict::asMap).toList());
    try {
      Files.createDirectories(json.toAbsolutePath().getParent());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
      Files.createDirectories(markdown.toAbsolutePath().getParent());
      Files.writeString(markdown, markdown());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark report", e);
    }
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n")
        .append(
            "Written by the benchmark harness (`bench/`, issue 14); rerun it rather than editing the figures.\n\n")
        .append(
            "```bash\nbench/run --scale SF1 --repeats 3   # writes docs/benchmarks.md and bench-results.json;"
                + " bench/run --help\n```\n\n")
        .append(
            "Every comparison runs side by side in one invocation, A and B back to back (alternating which goes"
                + " first where neither needs the other), and its ratio is the median of the per-pair ratios, so a ratio"
                + " holds on a noisy machine even when absolute seconds do not. `bench-results.json` holds the issue's"
                + " keys per scale;"
                + " `BenchSmokeTest` runs the harness at SF1 with one repetition in `mvn verify`.\n\n");
    md.append("## Machine\n\n")
        .append(
            "| section | nproc | RAM | Java | date (UTC) | load average at start → end | note |\n")
        .append("|---|---|---|---|---|---|---|\n");
    measuredOn()
        .forEach(
            (section, m) ->
                md.append(
                    String.format(
                        "| %s | %s | %s GB | %s | %s | %s → %s | %s |\n",
                        section,
                        m.get("nproc"),
                        m.get("ram_gb"),
                        m.get("java"),
                        m.get("date"),
                        m.get("load_average_start"),
                        m.get("load_average_end"),
                        m.get("note") == null ? "" : m.get("note"))));
    md.append('\n');
    if (note != null && !note.isBlank()) {
      md.append("**Note:** ").append(note).append("\n\n");
    }
    md.append("Runs per measurement: ")
        .append(repeats)
        .append(quick ? " (--quick: the smoke form)" : "")
        .append(". The whole run took ")
        .append(java.time.Duration.between(machine.started(), Instant.now()).toMinutes())
        .append(" min.\n\n");
    md.append(Targets.markdown(Targets.judge(keys)));
    for (String scale : keys.keySet()) {
      md.append("## ").append(scale).append("\n\n| key | value |\n|---|---|\n");
      keysOf(scale).stream()
          .filter(keys.get(scale)::containsKey)
          .forEach(
              k ->
                  md.append("| `")
                      .append(k)
                      .append("` | ")
                      .append(fmt(keys.get(scale).get(k)))
                      .append(" |\n"));
      md.append(
              "\n| scenario | data | runs | median | baseline: runs (median) | ratio | target | note |\n")
          .append("|---|---|---|---|---|---|---|---|\n");
      for (Row row : rows.stream().filter(r -> r.scale().equals(scale)).toList()) {
        md.append("| ")
            .append(row.scenario())
            .append(" | ")
            .append(row.data())
            .append(" | ")
            .append(list(row.runs()))
            .append(" | ")
            .append(fmt(median(row.runs())))
            .append(' ')
            .append(row.unit())
            .append(" | ")
            .append(
                row.baseline() == null
                    ? ""
                    : row.baseline()
                        + ": "
                        + list(row.baselineRuns())
                        + " (median "
                        + fmt(median(row.baselineRuns()))
                        + ")")
            .append(" | ")
            .append(row.ratio() == null ? "" : fmt(row.ratio()) + "×")
            .append(" | ")
            .append(nullToEmpty(row.target()))
            .append(" | ")
            .append(nullToEmpty(row.note()))
            .append(" |\n");
      }
      md.append('\n');
    }
    md.append(SCENARIOS).append('\n').append(EXPECTATIONS);
    return md.toString();
  }

  static final String SCENARIOS =
      """
      ## What each scenario runs

      Data: the project's generator (`lakehouse generate`, seed 42, as of 2026-11-01): orders/5 customers, 500
      products, the scale's orders, and after them the orders the scenarios add. Jobs run directly on a
      `--storage file` home (as `MedallionJobsTest` does) unless the row says local stack.

      - **(a)** a fresh home is built (customers, products, orders, gold: the baseline), then the delta (1% new
        orders and 0.5% updated ones, each update moving an order's status on) goes through bronze, silver orders
        and gold: `incremental_ratio` = incremental / build.
      - **(b)** `BronzeIngestJob` on the scale's orders file vs `spark.read.json(file).write.parquet(dir)` on the
        same session, alternating: `bronze_floor_ratio` = floor seconds / bronze seconds (bronze's share of the
        floor's throughput).
      - **(c)** on curated_orders after (a), Iceberg's scan planning (`table.newScan().filter(…).planFiles()`)
        counts the data files and bytes a one-day query, `order_status = 'shipped'` and a `customer_id` lookup
        touch: `prune_day_files_pct`, `prune_customer_files_pct`.
      - **(d)** `--small-ingests` small ingests (25 new + 25 updated orders each) through bronze and silver with the
        order tables' compaction after write turned off, then `CompactionJob --min-input-files 2` on curated_orders:
        `compaction_file_ratio` = (data + delete files) before / after; `compaction_scan_speedup` = the same full
        scan of the snapshot before compaction / after it, alternating. Then as many small ingests again as the tables
        are declared (each silver run compacts the partitions it brought to 5 data files):
        `compaction_after_write_max_partition_files` = the most data files a partition held after any of them.
      - **(e)** one execution of 200 new orders through `LocalStack` (upload to the S3 server, the ingest state
        machine: Route, Bronze, Silver, Gold, RecordRun) in the harness's warm JVM: `execution_fixed_seconds`.
      - **(f)** `lakehouse sql "select count(*) from ecommerce_lakehouse.curated_orders"` in a child JVM (the
        CLI's main class on the project's class path, `config/jvm.options` and `config/sql-jvm.options` as
        ./lakehouse passes them, `-Xmx4g`) on the stack's home with its S3 server stopped (its start included, from
        the class-data archive the harness's own servers wrote): `cli_cold_seconds`; the same command in a child JVM
        while a query endpoint
        (what `lakehouse serve` opens) runs on the open stack's warm session: `query_warm_seconds`.
      - **(g)** bronze of the scale's orders file alone in a child JVM with `-Xmx4g`; its `VmHWM` from
        `/proc/self/status`: `peak_rss_mb`. The collector grows the heap while it may, so RSS follows the cap;
        the note says whether the same file also loads with `-Xmx1g`, which is what "memory flat in file size"
        needs.
      - **burst (issue 13)** — 200 files of 25 orders dropped at once (uploaded ten at a time) and ingested as
        batches (the local default of 100 files a batch, drained by one execution: a bronze run per batch, silver
        and gold once), upload to the last execution's end, next to the same 5,000 orders as one file. Both start from the same lakehouse: after the burst the bronze, silver and gold tables
        are set back to their snapshots from before it, and gold after the one file must equal gold after the
        burst, row for row (the run fails otherwise). The note counts executions, batches and job runs per batch
        (`Harness.burst`; skipped with `--skip-burst`).
      - **Lambda init** (`bench/run --only lambda`) — every function of core `LakehouseFunction`, each run in a
        fresh JVM whose class path is `functions/target/lakehouse-functions.zip` unpacked as Lambda's Java runtime
        lays it out (task root and `lib/*`), `-XX:+UseSerialGC` (the runtime's collector): JVM start → the
        handler's no-argument constructor done (`lambda_init_seconds`, Lambda's init phase) and → the first
        invocation of a cheap request answered (`lambda_first_invoke_seconds`), against moto_server (S3 and the
        Glue catalog, tables created first, untimed) and, for RestSource, a one-page API served by the harness.
        Each with `JAVA_TOOL_OPTIONS=-XX:+TieredCompilation -XX:TieredStopAtLevel=1` (what FunctionsConstruct
        sets; Lambda's Java 17 and 21 runtimes already stop at C1 by default, so the variable changes nothing
        there) against the JVM's default tiers, interleaved. Not measured: SnapStart (a deployed function with
        SnapStart restores a snapshot taken after init and `Priming`, so its init phase is the restore, which
        only Lambda can time; the constructors do nothing but register with CRaC, so what SnapStart saves is
        mostly the first invocation's class loading, which `Priming` moves into the snapshot).
      - **Demo** (`bench/run --only demo`) — `./lakehouse --home <fresh home> demo` as a child process from the
        repository root once the CLI is built (the README's figure, `demo_seconds`), with the time of each
        `==>` step from the command's output and the load average before and after each run.
      """;

  static final String EXPECTATIONS =
      """
      ## Larger scales

      `BENCH_JAVA_OPTS=-Xmx8g bench/run --scale SF100 --repeats 1 --only scales` (500k orders, a 320 MB orders file)
      takes 7 min on an idle 2-core machine (session 13; 13 to 18 min before bronze's faster parse): generating the
      data, (a)'s full build and the stack's preload of the 500k orders through bronze, silver and gold (71 s) are
      most of it; `--repeats 3` took 14 min. The harness's own JVM runs two lakehouses' jobs (and until session 12
      held the generated orders), so give it 8 GB at SF100: in a 4 GB run that did SF1 first it sat at 4.9 GB RSS
      and used 1.5 cores beside (g)'s child, and (b) and (d) came out lower than in SF100 alone. The scenarios'
      child JVMs keep their own caps.

      `BENCH_JAVA_OPTS=-Xmx12g bench/run --scale SF1000 --repeats 1 --only scales` (5M orders, a 3.2 GB orders
      file, 1M customers) took 62 min (session 14, on a machine shared with test runs): generating the data 2.5 min,
      (a) 19 min (the full build 15.5 min, the delta 3.4 min), the stack's preload of the 5M orders through bronze,
      silver and gold 15 min, (b) 4 min, (g) 6 min, the rest (c), (d), (e), (f) and the burst; about 10 GB under
      `--work`. The generator writes its orders as it draws them and the harness cuts its files in one pass, holding
      only the orders after the base and the base orders it re-lands; `lakehouse generate --orders 5000000
      --customers 1000000` alone takes about a minute with `-Xmx2g` (2.2 GB peak RSS: the million customers are what
      it holds). Before the harness ran SF1000, (g) was measured alone on an idle machine: ten `lakehouse
      generate --seed N --orders 500000 --customers 100000` files concatenated (5,000,000 lines, 3.2 GB; order ids
      repeat across seeds, which bronze does not look at), loaded by `BronzeRssChild HOME FILE` in a child JVM as
      (g) starts it. With `-Xmx4g`: 203 s, VmHWM 1,444 MB; with `-Xmx1g`: 219 s, VmHWM
      884 MB; every run wrote all 5,000,000 rows (`lakehouse --storage file sql` counted them). Bronze's memory is
      flat in file size: its records stream through the parser once per pass and nothing holds the file. While
      bronze still cached its parsed records (until session 11) the same file took 342 s and 4,574 MB with
      `-Xmx4g`, 303 s and 1,368 MB with `-Xmx1g`.
      """;

  static double median(List<Double> values) {
    Runs runs = new Runs();
    values.forEach(runs::add);
    return runs.median();
  }

  private static String list(List<Double> values) {
    return values.stream().map(Report::fmt).collect(Collectors.joining(", "));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** A key's value: a number, or one per name ({@code IngestRouter 2.31 s, …}). */
  static String fmt(Object value) {
    if (value instanceof Map<?, ?> perName) {
      return perName.entrySet().stream()
          .map(e -> e.getKey() + " " + fmt(((Number) e.getValue()).doubleValue()))
          .collect(Collectors.joining(", "));
    }
    return fmt(((Number) value).doubleValue());
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
  }

  private static List<Double> rounded(List<Double> values) {
    return values.stream().map(Report::round).toList();
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  /** The machine the figures were taken on. */
  record Machine(int nproc, long ramGb, String java, Instant started, String loadAtStart) {
    static Machine current() {
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          totalRamGb(),
          System.getProperty("java.version"),
          Instant.now(),
          loadAverage());
    }

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("nproc", nproc);
      m.put("ram_gb", ramGb);
      m.put("java", java);
      m.put("date", started.truncatedTo(ChronoUnit.SECONDS).toString());
      m.put("load_average_start", loadAtStart);
      m.put("load_average_end", loadAverage());
      return m;
    }

    private static long totalRamGb() {
      return meminfoKb("MemTotal") / 1024 / 1024;
    }

    private static long meminfoKb(String field) {
      try {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith(field + ":"))
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
            .findFirst()
            .orElse(0L);
      } catch (IOException e) {
        return 0;
      }
    }

    /** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
    static String loadAverage() {
      try {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return parts[0] + ", " + parts[1] + ", " + parts[2];
      } catch (IOException e) {
        return "unknown";
      }
    }
  }
}
