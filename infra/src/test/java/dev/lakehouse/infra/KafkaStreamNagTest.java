package dev.lakehouse.infra;

/** The same cdk-nag checks as {@link NagTest}, on the stack with the Kafka stream job. */
class KafkaStreamNagTest extends NagTest {
  @Override
  TestStacks.Synthesized synthesized() {
    return KafkaStreamTest.stream();
  }
}
