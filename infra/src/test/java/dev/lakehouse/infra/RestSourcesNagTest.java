package dev.lakehouse.infra;

/** The same cdk-nag checks as {@link NagTest}, on the stack with two REST sources. */
class RestSourcesNagTest extends NagTest {
  @Override
  TestStacks.Synthesized synthesized() {
    return RestSourcesTest.rest();
  }
}
