package dev.lakehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The streaming job's arguments as the CLI (flags) and Glue (every argument a --key value pair)
 * pass them.
 */
class KafkaStreamJobArgumentsTest {
  static final String[] REQUIRED = {
    "--bootstrap-servers", "b-1:9094", "--checkpoint", "s3://w/_streams/c/"
  };

  @Test
  void availableNowIsAFlagOrAGluePair() {
    assertThat(KafkaStreamJob.fromArgs(REQUIRED).availableNow()).isFalse();
    assertThat(KafkaStreamJob.fromArgs(with("--available-now")).availableNow()).isTrue();
    assertThat(KafkaStreamJob.fromArgs(with("--available-now", "true")).availableNow()).isTrue();
    assertThat(KafkaStreamJob.fromArgs(with("--available-now", "false")).availableNow()).isFalse();
  }

  @Test
  void kafkaOptionsAndTheDefaultTopic() {
    KafkaStreamJob job =
        KafkaStreamJob.fromArgs(with("--kafka-option", "security.protocol=SSL", "--JOB_ID", "j1"));
    assertThat(job.kafkaOptions()).isEqualTo(Map.of("security.protocol", "SSL"));
    assertThat(job.source()).isEqualTo("kafka://orders");
    assertThat(job.step()).isEqualTo("stream");
  }

  @Test
  void theBrokersAndTheCheckpointAreRequired() {
    assertThatThrownBy(() -> KafkaStreamJob.fromArgs("--bootstrap-servers", "b-1:9094"))
        .isInstanceOf(CommandLine.MissingParameterException.class)
        .hasMessage("Missing required option: '--checkpoint=<checkpoint>'");
  }

  private static String[] with(String... more) {
    String[] all = new String[REQUIRED.length + more.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(more, 0, all, REQUIRED.length, more.length);
    return all;
  }
}
