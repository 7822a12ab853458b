package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report judges each of the issue's targets against its figures: the limit of the scales it
 * names, how far a miss is, and the cause only while it misses.
 */
class TargetsTest {
  @TempDir Path out;

  @Test
  void eachTargetIsJudgedAtTheScalesItNamesWithTheDistanceOfAMiss() {
    Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    // Sections come in any order: the judged figures follow the scales' order, then the others.
    results.put(Report.DEMO, new LinkedHashMap<>(Map.of("demo_seconds", 78.3)));
    results.put(
        "SF100",
        new LinkedHashMap<>(Map.of("incremental_ratio", 0.25, "execution_fixed_seconds", 17.3)));
    results.put(
        "SF1",
        new LinkedHashMap<>(
            Map.of(
                "incremental_ratio",
                0.63,
                "execution_fixed_seconds",
                9.5,
                "compaction_file_ratio",
                6.83,
                "compaction_after_write_max_partition_files",
                4.0,
                "peak_rss_mb",
                454.0)));

    Map<String, Targets.Verdict> byKey =
        Targets.judge(results).stream()
            .collect(Collectors.toMap(v -> v.target().key(), Function.identity()));

    assertThat(byKey.keySet()).hasSize(Targets.ISSUE.size());
    Targets.Verdict incremental = byKey.get("incremental_ratio");
    assertThat(incremental.figuresText()).isEqualTo("SF1 0.63 · **SF100 0.25** ✗ 2.50× the limit");
    assertThat(incremental.met()).isFalse();
    assertThat(incremental.standing())
        .startsWith("**not met** — silver orders is most of the delta's run");
    Targets.Verdict execution = byKey.get("execution_fixed_seconds");
    assertThat(execution.figuresText()).isEqualTo("SF1 9.50 ✓ · **SF100 17.3** ✗ 1.73× the limit");
    assertThat(byKey.get("compaction_file_ratio").figuresText())
        .isEqualTo("**SF1 6.83** ✗ 68% of the limit");
    Targets.Verdict bounded = byKey.get("compaction_after_write_max_partition_files");
    assertThat(bounded.figuresText()).isEqualTo("SF1 4.00 ✓");
    assertThat(bounded.standing()).isEqualTo("met");
    assertThat(byKey.get("demo_seconds").figuresText())
        .isEqualTo("**Demo 78.3** ✗ 1.31× the limit");
    // SF1's RSS is shown, but the memory target names SF1000 only.
    Targets.Verdict memory = byKey.get("peak_rss_mb");
    assertThat(memory.figuresText()).isEqualTo("SF1 454");
    assertThat(memory.standing()).isEqualTo("not measured: no figure in SF1000");
    assertThat(byKey.get("bronze_floor_ratio").standing()).isEqualTo("not measured");
    // The rows of the report show the same target text.
    assertThat(Targets.of("cli_cold_seconds").target()).isEqualTo("≤ 15 s cold");
    assertThatThrownBy(() -> Targets.of("burst_ratio"))
        .hasMessage("no target is judged by burst_ratio");
  }

  @Test
  void theReportWritesTheVerdictsInItsMarkdownAndItsJson() throws Exception {
    Report report =
        new Report(
            new Report.Machine(2, 23, "17.0.15", Instant.parse("2026-12-02T10:00:00Z"), "1, 1, 1"),
            1,
            false,
            null);
    report.key(Scale.SF1, "prune_day_files_pct", 4.1666);
    report.key(Scale.SF1, "prune_customer_files_pct", 20.8333);
    Path json = out.resolve("bench-results.json");
    report.write(json, out.resolve("docs/benchmarks.md"));

    assertThat(Files.readString(out.resolve("docs/benchmarks.md")))
        .contains(
            "| one-day query on curated_orders (% of files) | `prune_day_files_pct` | ≤ 5% of files"
                + " and bytes | SF1 4.17 ✓ | met |",
            "| customer_id point lookup (% of files) | `prune_customer_files_pct` | ≤ 10% |"
                + " **SF1 20.8** ✗ 2.08× the limit | **not met** — a customer's orders");
    JsonNode targets = new ObjectMapper().readTree(json.toFile()).get("targets");
    Map<String, JsonNode> byKey = new LinkedHashMap<>();
    targets.forEach(t -> byKey.put(t.get("key").asText(), t));
    assertThat(byKey.get("prune_day_files_pct").get("met").asBoolean()).isTrue();
    assertThat(byKey.get("prune_customer_files_pct").get("met").asBoolean()).isFalse();
    assertThat(byKey.get("prune_customer_files_pct").at("/figures/SF1").asDouble())
        .isEqualTo(20.833);
    assertThat(byKey.get("demo_seconds").get("met").isNull()).isTrue();
    assertThat(List.copyOf(byKey.keySet()))
        .isEqualTo(Targets.ISSUE.stream().map(Targets.Target::key).toList());
  }
}
