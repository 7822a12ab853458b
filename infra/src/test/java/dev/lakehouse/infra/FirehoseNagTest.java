package dev.lakehouse.infra;

/** The same cdk-nag checks as {@link NagTest}, on the stack with the Firehose option on. */
class FirehoseNagTest extends NagTest {
  @Override
  TestStacks.Synthesized synthesized() {
    return FirehoseTest.firehose();
  }
}
