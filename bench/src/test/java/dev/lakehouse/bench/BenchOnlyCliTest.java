package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench/run --only cli} measures the cold CLI row alone, in its own section; a run without
 * {@code --only} leaves it out, since every scale measures that row already.
 */
class BenchOnlyCliTest {
  @TempDir Path out;

  @Test
  void cliIsAPartOfItsOwnMeasuredOnlyWhenAsked() throws Exception {
    Bench bench = new Bench();
    new CommandLine(bench).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--only", "cli");
    assertThat(bench.only).containsExactly(Bench.Part.CLI);
    assertThat(Bench.DEFAULT_PARTS)
        .containsExactly(Bench.Part.SCALES, Bench.Part.LAMBDA, Bench.Part.DEMO);

    Report report =
        new Report(
            new Report.Machine(2, 23, "17.0.15", Instant.parse("2026-12-01T16:00:00Z"), "1, 2, 3"),
            3,
            false,
            "cli only");
    report.keepFrom(out.resolve("bench-results.json"), Set.of(Report.CLI));
    report.key(Report.CLI, "cli_cold_seconds", 10.4567);
    report.write(out.resolve("bench-results.json"), out.resolve("docs/benchmarks.md"));
    var written = new ObjectMapper().readTree(out.resolve("bench-results.json").toFile());
    assertThat(written.at("/results/Cold CLI/cli_cold_seconds").asDouble()).isEqualTo(10.457);
  }
}
