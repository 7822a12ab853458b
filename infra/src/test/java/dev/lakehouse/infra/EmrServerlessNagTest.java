package dev.lakehouse.infra;

/**
 * The same cdk-nag checks as {@link NagTest}, on the stack with {@code
 * lakehouse:compute=emr-serverless}.
 */
class EmrServerlessNagTest extends NagTest {
  @Override
  TestStacks.Synthesized synthesized() {
    return EmrServerlessTest.emr();
  }
}
