package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * asl-validator (the Amazon States Language schema, paths and intrinsic functions) over the
 * definitions both compute modes deploy, substituted the way CloudFormation substitutes them, with
 * plausible literal ARNs where the template has references. Needs {@code npx} (Node.js); without
 * it, or when npx cannot fetch the validator, the test is skipped and says so.
 */
@Tag("tool")
class AslValidatorTest {
  static final String VALIDATOR = "asl-validator@4.0.0";
  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";
  private static final Pattern REFERENCE = Pattern.compile("<([A-Za-z0-9]+)(\\.[A-Za-z]+)?>");

  @Test
  void theDefinitionsOfBothComputeModesAreValid() throws Exception {
    Assumptions.assumeTrue(
        CfnLintTest.onPath("npx"), "npx is not installed: ASL validation skipped");
    Path dir = TestStacks.infraDir().resolve("target/asl-validator");
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of("npx", "-y", VALIDATOR));
    Map<String, TestStacks.Synthesized> modes = new LinkedHashMap<>();
    modes.put("glue", TestStacks.dev());
    modes.put("emr-serverless", EmrServerlessTest.emr());
    for (var mode : modes.entrySet()) {
      for (var machine :
          Map.of(
                  "OrchestrationIngestPipeline",
                  "ingest-pipeline.asl.json",
                  "OrchestrationMaintenance",
                  "maintenance.asl.json")
              .entrySet()) {
        Path file = dir.resolve(mode.getKey() + "-" + machine.getValue());
        Files.writeString(file, deployed(mode.getValue(), machine.getKey(), machine.getValue()));
        command.add("--json-path");
        command.add(file.toString());
      }
    }
    Process validator = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(validator.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(validator.waitFor(5, TimeUnit.MINUTES)).isTrue();
    Assumptions.assumeFalse(
        validator.exitValue() != 0
            && output.matches(
                "(?s).*(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|" + "ETIMEDOUT|network request).*"),
        "npx could not fetch " + VALIDATOR + " (no network): ASL validation skipped");
    assertThat(output).as("asl-validator").doesNotContain("✕").contains("is valid");
    assertThat(validator.exitValue()).as(output).isZero();
  }

  /**
   * The definition a state machine runs: its text (the file, or the generated form) with its
   * substitutions made.
   */
  static String deployed(TestStacks.Synthesized s, String idPrefix, String file) throws Exception {
    Map<String, Object> p =
        map(
            s.resources("AWS::StepFunctions::StateMachine").entrySet().stream()
                .filter(
                    e ->
                        e.getKey().startsWith(idPrefix)
                            && !e.getKey().substring(idPrefix.length()).startsWith("Role"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .get("Properties"));
    String text =
        p.containsKey("DefinitionString")
            ? p.get("DefinitionString").toString()
            : Files.readString(TestStacks.aslFile(file));
    for (var sub : map(p.get("DefinitionSubstitutions")).entrySet()) {
      text = text.replace("${" + sub.getKey() + "}", literal(sub.getKey(), render(sub.getValue())));
    }
    assertThat(text)
        .as(idPrefix + ": every placeholder substituted")
        .doesNotContainPattern("\\$\\{[A-Za-z]");
    return text;
  }

  /**
   * A rendered template value with pseudo parameters and references replaced by plausible literals.
   */
  static String literal(String placeholder, String rendered) {
    String value =
        rendered
            .replace("<AWS::Partition>", "aws")
            .replace("${AWS::Partition}", "aws")
            .replace("<AWS::Region>", REGION)
            .replace("${AWS::Region}", REGION)
            .replace("<AWS::AccountId>", ACCOUNT)
            .replace("${AWS::AccountId}", ACCOUNT);
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).toLowerCase();
      String replacement;
      if (placeholder.endsWith("FunctionArn")) {
        replacement = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name + ":live";
      } else if (placeholder.endsWith("TopicArn")) {
        replacement = "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
      } else if (placeholder.endsWith("RoleArn")) {
        replacement = "arn:aws:iam::" + ACCOUNT + ":role/" + name;
      } else if (placeholder.endsWith("KeyArn")) {
        replacement =
            "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
      } else {
        replacement = name; // a bucket, job or application name/id
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
