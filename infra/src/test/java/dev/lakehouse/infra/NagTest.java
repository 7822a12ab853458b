package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.list;
import static dev.lakehouse.infra.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AwsSolutions pack runs on the app: no unsuppressed error or warning, and every
 * suppression is narrow.
 */
class NagTest {
  /**
   * Rules suppressed for a whole resource (no granular findings exist for them); everything else
   * needs appliesTo.
   */
  static final Set<String> WHOLE_RESOURCE_RULES =
      Set.of("AwsSolutions-L1", "AwsSolutions-SQS3", "AwsSolutions-SMG4");

  /**
   * The synthesized configuration under test (subclasses check others, e.g. EMR Serverless
   * compute).
   */
  TestStacks.Synthesized synthesized() {
    return TestStacks.dev();
  }

  @Test
  void noUnsuppressedErrors() {
    List<SynthesisMessage> errors =
        synthesized().annotations().findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    assertThat(errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList())
        .isEmpty();
  }

  @Test
  void noUnsuppressedWarnings() {
    List<SynthesisMessage> warnings =
        synthesized().annotations().findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    assertThat(warnings.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList())
        .isEmpty();
  }

  @Test
  void noOtherErrorsOrUnacknowledgedWarnings() {
    assertThat(
            synthesized().annotations().findError("*", Match.anyValue()).stream()
                .map(m -> m.getId() + " " + m.getEntry().getData())
                .toList())
        .isEmpty();
    assertThat(
            synthesized().annotations().findWarning("*", Match.anyValue()).stream()
                .map(m -> m.getId() + " " + m.getEntry().getData())
                .toList())
        .isEmpty();
  }

  @Test
  void everySuppressionIsNarrowAndExplained() {
    List<String> problems = new ArrayList<>();
    int suppressions = 0;
    Map<String, Object> resources = map(synthesized().json().get("Resources"));
    for (var e : resources.entrySet()) {
      Map<String, Object> metadata = map(map(e.getValue()).getOrDefault("Metadata", Map.of()));
      Object nag = metadata.get("cdk_nag");
      if (nag == null) {
        continue;
      }
      for (Object rule : list(map(nag).get("rules_to_suppress"))) {
        Map<String, Object> r = map(rule);
        suppressions++;
        String id = (String) r.get("id");
        if (r.get("reason") == null || r.get("reason").toString().length() < 40) {
          problems.add(e.getKey() + " " + id + ": reason too thin");
        }
        if (!WHOLE_RESOURCE_RULES.contains(id) && list(r.get("applies_to")).isEmpty()) {
          problems.add(e.getKey() + " " + id + ": no applies_to");
        }
        for (Object applies : list(r.get("applies_to"))) {
          String a = applies.toString();
          if (a.contains("Action::") && a.endsWith(":*")) {
            problems.add(e.getKey() + " " + id + ": suppresses a service-wide action " + a);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(suppressions).isPositive();
  }
}
