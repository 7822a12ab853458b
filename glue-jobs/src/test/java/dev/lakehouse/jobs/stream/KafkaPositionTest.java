package dev.lakehouse.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaPositionTest {
  @Test
  void coversOnlyOffsetsBelowEachPartitionsNextOffset() {
    KafkaPosition position = KafkaPosition.none().after("orders", 0, 41).after("orders", 1, 16);
    assertThat(position.toJson()).isEqualTo("{\"orders\":{\"0\":42,\"1\":17}}");
    assertThat(position.covers("orders", 0, 41)).isTrue();
    assertThat(position.covers("orders", 0, 42)).isFalse();
    assertThat(position.covers("orders", 1, 16)).isTrue();
    assertThat(position.covers("orders", 2, 0)).isFalse();
    assertThat(position.covers("returns", 0, 0)).isFalse();
    assertThat(KafkaPosition.none().covers("orders", 0, 0)).isFalse();
  }

  @Test
  void neverMovesBackwardsAndRoundTripsThroughTheSummary() {
    KafkaPosition position = KafkaPosition.none().after("orders", 0, 41).after("orders", 0, 9);
    assertThat(position.toJson()).isEqualTo("{\"orders\":{\"0\":42}}");
    assertThat(KafkaPosition.parse(position.toJson())).isEqualTo(position);
    assertThat(KafkaPosition.none().after("orders", 0, 0)).isNotEqualTo(position);
  }

  @Test
  void namesAPartitionRangeAsLineage() {
    assertThat(KafkaPosition.sourceFile("orders", 1, 17, 41)).isEqualTo("kafka://orders/1/17-41");
  }

  @Test
  void anUnreadableSummaryIsAClearError() {
    assertThatThrownBy(() -> KafkaPosition.parse("{orders"))
        .hasMessage("unreadable lakehouse.kafka-offsets in a snapshot summary: {orders");
  }
}
