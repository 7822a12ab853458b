package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of some parts only ({@code bench/run --only lambda}) replaces those sections of the report
 * and keeps every other section as the earlier run measured it, with that run's machine line.
 */
class ReportTest {
  @TempDir Path out;

  private static final Report.Machine EARLIER =
      new Report.Machine(
          2, 23, "17.0.15", Instant.parse("2026-12-01T09:49:51Z"), "5.88, 8.14, 12.38");

  @Test
  void aPartialRunReplacesItsSectionsAndKeepsTheOthersWithTheirMachine() throws Exception {
    Path json = out.resolve("bench-results.json");
    Path md = out.resolve("docs/benchmarks.md");
    Report first = new Report(EARLIER, 1, false, "the full run");
    first.key(Scale.SF1, "cli_cold_seconds", 26.3841);
    first.row(row("SF1", "(f) cold sql", 26.3841));
    first.key(Report.LAMBDA, "lambda_init_seconds", perFunction(9.0));
    first.row(row(Report.LAMBDA, "IngestRouter init", 9.0));
    first.write(json, md);

    Report second =
        new Report(
            new Report.Machine(
                2, 23, "17.0.15", Instant.parse("2026-12-01T12:05:06Z"), "1.00, 2.00, 3.00"),
            2,
            false,
            "lambda only");
    second.keepFrom(json, Set.of(Report.LAMBDA));
    second.key(Report.LAMBDA, "lambda_init_seconds", perFunction(1.3254));
    second.row(row(Report.LAMBDA, "IngestRouter init", 1.3254));
    second.write(json, md);

    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertThat(written.at("/results/SF1/cli_cold_seconds").asDouble()).isEqualTo(26.384);
    assertThat(written.at("/results/Lambda init/lambda_init_seconds/IngestRouter").asDouble())
        .isEqualTo(1.325);
    assertThat(written.get("rows")).hasSize(2);
    assertThat(written.at("/rows/0/scenario").asText()).isEqualTo("(f) cold sql");
    assertThat(written.at("/rows/1/runs/0").asDouble()).isEqualTo(1.325);
    assertThat(written.at("/measured_on/SF1/date").asText()).isEqualTo("2026-12-01T09:49:51Z");
    assertThat(written.at("/measured_on/SF1/note").asText()).isEqualTo("the full run");
    assertThat(written.at("/measured_on/Lambda init/date").asText())
        .isEqualTo("2026-12-01T12:05:06Z");
    String markdown = Files.readString(md);
    assertThat(markdown)
        .contains(
            "| SF1 | 2 | 23 GB | 17.0.15 | 2026-12-01T09:49:51Z | 5.88, 8.14, 12.38 → ",
            "| `cli_cold_seconds` | 26.4 |",
            "| `lambda_init_seconds` | IngestRouter 1.33 |",
            "| IngestRouter init |  | 1.33 | 1.33 s |")
        .doesNotContain("IngestRouter 9.00");
  }

  private static Map<String, Double> perFunction(double seconds) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("IngestRouter", seconds);
    return m;
  }

  private static Report.Row row(String section, String scenario, double value) {
    return new Report.Row(section, scenario, "", List.of(value), "s", null, null, null, null, null);
  }
}
