package dev.lakehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlArgsTest {
  @TempDir Path home;

  @Test
  void markersNameTheBoundValues() {
    SqlArgs args = new SqlArgs();

    assertThat(args.bind("stage", "silver")).isEqualTo(":stage");
    assertThat(args.bindEach("file", List.of("a.jsonl", "b.jsonl"))).isEqualTo(":file_0, :file_1");
    assertThat(args.map())
        .containsExactly(
            Map.entry("stage", "silver"),
            Map.entry("file_0", "a.jsonl"),
            Map.entry("file_1", "b.jsonl"));
  }

  @Test
  void aNameBoundTwiceOrAnEmptyListIsAMistake() {
    SqlArgs args = new SqlArgs();
    args.bind("stage", "silver");

    assertThatThrownBy(() -> args.bind("stage", "gold"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameter :stage is bound twice");
    assertThatThrownBy(() -> args.bindEach("file", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("IN list :file is empty");
  }

  @Test
  void quotesAndBackslashesArriveAsTheyWereWithoutEscaping() {
    var spark = JobTestSupport.lakehouse(home);
    SqlArgs args = new SqlArgs();
    String value = "it's a \\' trap";

    String sql =
        "SELECT "
            + args.bind("v", value)
            + " AS v, 'x' IN ("
            + args.bindEach("s", List.of("y", "x"))
            + ")";

    assertThat(spark.sql(sql, args.map()).first().toString()).isEqualTo("[" + value + ",true]");
  }
}
