package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's smoke run, as CI runs it: SF1, one repetition, the quick form, into a temporary
 * directory. Every scenario runs for real (jobs, Iceberg scan planning, the local stack, the cold
 * CLI and the bronze child JVM); the figures are only checked to be plausible, since they depend on
 * the machine.
 */
class BenchSmokeTest {
  @TempDir Path out;

  @Test
  void anSf1RunWritesEveryKeyWithAPlausibleValueAndTheMarkdownReport() throws Exception {
    Bench.run(
        Set.of(Bench.Part.SCALES),
        List.of(Scale.SF1),
        1,
        2,
        false,
        true,
        "smoke test",
        out,
        out.resolve("work"));

    JsonNode json = new ObjectMapper().readTree(out.resolve("bench-results.json").toFile());
    JsonNode sf1 = json.get("results").get("SF1");
    List<String> keys = new ArrayList<>();
    sf1.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyElementsOf(Report.KEYS);
    for (String key : Report.KEYS) {
      assertThat(sf1.get(key).isNumber()).as(key).isTrue();
      assertThat(sf1.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(json.get("results").size()).isEqualTo(1);
    assertThat(sf1.get("prune_day_files_pct").asDouble()).isLessThanOrEqualTo(100);
    assertThat(sf1.get("prune_customer_files_pct").asDouble()).isLessThanOrEqualTo(100);
    assertThat(sf1.get("compaction_file_ratio").asDouble())
        .as("compaction leaves fewer files")
        .isGreaterThan(1);
    assertThat(sf1.get("compaction_after_write_max_partition_files").asInt())
        .as("after a silver run no partition holds the threshold's 5 data files")
        .isLessThan(5);
    assertThat(sf1.get("peak_rss_mb").asDouble())
        .as("a JVM running Spark")
        .isBetween(100.0, 8192.0);
    assertThat(json.get("machine").get("nproc").asInt())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(json.get("repeats").asInt()).isEqualTo(1);

    String markdown = Files.readString(out.resolve("docs/benchmarks.md"));
    assertThat(markdown)
        .startsWith("# Benchmarks\n")
        .contains(
            "## SF1",
            "**Note:** smoke test",
            "`incremental_ratio`",
            "`peak_rss_mb`",
            "(a) incremental run",
            "(g) peak RSS");
  }
}
