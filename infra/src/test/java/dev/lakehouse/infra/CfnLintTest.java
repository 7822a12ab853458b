package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * cfn-lint (AWS's CloudFormation linter: resource schemas, property values, ARN formats, IAM action
 * names) over the synthesized templates of the test configurations (dev, prod, dev with EMR
 * Serverless compute): no errors, no warnings. A finding may be ignored only by rule id, with its
 * reason in {@link #IGNORED}. Needs the {@code cfn-lint} command (pip install cfn-lint); without it
 * the test is skipped and says so.
 */
@Tag("tool")
class CfnLintTest {
  /**
   * Rule id → why it does not apply (a resource-scoped ignore lives in that resource's metadata,
   * with its reason).
   */
  static final Map<String, String> IGNORED =
      Map.of(
          "W3005",
          "CDK writes a DependsOn next to the Ref/GetAtt its L2 constructs already create (a role's policy, a "
              + "state machine's role): redundant, harmless, and not ours to remove");

  @Test
  void synthesizedTemplatesHaveNoErrorsOrWarnings() throws Exception {
    Assumptions.assumeTrue(
        onPath("cfn-lint"), "cfn-lint is not installed: template linting skipped");
    Path dir = TestStacks.infraDir().resolve("target/cfn-lint");
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of("cfn-lint", "--format", "parseable"));
    if (!IGNORED.isEmpty()) {
      command.add("--ignore-checks");
      command.addAll(IGNORED.keySet());
    }
    command.add("--");
    for (var entry :
        Map.of(
                "dev",
                TestStacks.dev(),
                "prod",
                TestStacks.synth(EnvironmentsTest.PROD),
                "dev-emr-serverless",
                EmrServerlessTest.emr())
            .entrySet()) {
      Path template = dir.resolve("Lakehouse-" + entry.getKey() + ".template.json");
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(template.toFile(), entry.getValue().json());
      command.add(template.toString());
    }
    Process lint = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(output).as("cfn-lint findings").isEmpty();
    assertThat(lint.exitValue()).isZero();
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
