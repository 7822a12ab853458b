package dev.lakehouse.infra;

/** The same cdk-nag checks as {@link NagTest}, on the stack with a JDBC source. */
class JdbcSourcesNagTest extends NagTest {
  @Override
  TestStacks.Synthesized synthesized() {
    return JdbcSourcesTest.jdbc();
  }
}
