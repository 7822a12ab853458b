package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FunctionsTest {
  static TestStacks.Synthesized s;

  @BeforeAll
  static void synth() {
    s = TestStacks.dev();
  }

  @Test
  void fourJavaFunctionsWithTheirHandlers() {
    for (FunctionsConstruct.Spec spec : FunctionsConstruct.Spec.values()) {
      Map<String, Object> p = props(spec);
      assertThat(p.get("Runtime")).isEqualTo("java21");
      assertThat(p.get("Handler"))
          .isEqualTo("dev.lakehouse.functions." + spec.handlerClass + "::handleRequest");
      assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
      assertThat(p.get("TracingConfig")).isEqualTo(Map.of("Mode", "Active"));
      assertThat(render(p.get("KmsKeyArn")))
          .as("environment encrypted")
          .isEqualTo("<" + StorageTest.keyId() + ".Arn>");
      assertThat(render(map(p.get("LoggingConfig")).get("LogGroup")))
          .startsWith("<Functions" + spec.id + "Logs");
    }
    assertThat(props(FunctionsConstruct.Spec.TABLE_ADMIN).get("Handler"))
        .isEqualTo("dev.lakehouse.functions.TableAdminHandler::handleRequest");
  }

  @Test
  void environmentCarriesTheGlueCatalogAndPowertoolsSettings() {
    for (FunctionsConstruct.Spec spec : FunctionsConstruct.Spec.values()) {
      Map<String, Object> env = map(map(props(spec).get("Environment")).get("Variables"));
      assertThat(env)
          .containsEntry("LAKEHOUSE_CATALOG", "glue")
          .containsEntry("POWERTOOLS_SERVICE_NAME", spec.serviceName)
          .containsEntry("POWERTOOLS_METRICS_NAMESPACE", "Lakehouse")
          .containsEntry("POWERTOOLS_LOG_LEVEL", "INFO")
          .containsEntry("MAX_OBJECT_BYTES", "536870912")
          .doesNotContainKey("AWS_REGION");
      assertThat(render(env.get("LAKEHOUSE_WAREHOUSE")))
          .isEqualTo("s3://<" + CatalogAndJobsTest.warehouseId() + ">/");
      assertThat(render(env.get("LANDING_BUCKET"))).startsWith("<StorageLandingBucket");
    }
  }

  @Test
  void reservedConcurrencyOnlyWhereItProtectsTheCatalog() {
    assertThat(props(FunctionsConstruct.Spec.TABLE_ADMIN).get("ReservedConcurrentExecutions"))
        .isEqualTo(1);
    assertThat(props(FunctionsConstruct.Spec.MAINTENANCE).get("ReservedConcurrentExecutions"))
        .isEqualTo(2);
    assertThat(props(FunctionsConstruct.Spec.RUN_RECORDER).get("ReservedConcurrentExecutions"))
        .isEqualTo(5);
    assertThat(props(FunctionsConstruct.Spec.INGEST_ROUTER))
        .doesNotContainKey("ReservedConcurrentExecutions");
  }

  @Test
  void everyFunctionHasALiveAliasOnAPublishedVersion() {
    var aliases = s.resources("AWS::Lambda::Alias");
    assertThat(aliases).hasSize(4);
    aliases
        .values()
        .forEach(
            a -> {
              Map<String, Object> p = map(a.get("Properties"));
              assertThat(p.get("Name")).isEqualTo("live");
              assertThat(render(p.get("FunctionVersion")))
                  .contains("CurrentVersion")
                  .endsWith(".Version>");
            });
    assertThat(s.resources("AWS::Lambda::Version")).hasSize(4);
  }

  @Test
  void logGroupsAreEncryptedWithRetention() {
    for (FunctionsConstruct.Spec spec : FunctionsConstruct.Spec.values()) {
      Map<String, Object> p =
          map(s.only("AWS::Logs::LogGroup", "Functions" + spec.id + "Logs").get("Properties"));
      assertThat(p.get("RetentionInDays")).isEqualTo(30);
      assertThat(render(p.get("KmsKeyId"))).isEqualTo("<" + StorageTest.keyId() + ".Arn>");
    }
    for (var lg : s.resources("AWS::Logs::LogGroup").values()) {
      assertThat(map(lg.get("Properties"))).containsKeys("KmsKeyId", "RetentionInDays");
    }
  }

  @Test
  void noFunctionUsesTheLegacyLogRetentionCustomResource() {
    assertThat(s.resources("Custom::LogRetention")).isEmpty();
    assertThat(s.resources("AWS::Lambda::Function"))
        .as("4 handlers + the custom resource provider")
        .hasSize(5);
    List<String> runtimes =
        s.resources("AWS::Lambda::Function").values().stream()
            .map(f -> (String) map(f.get("Properties")).get("Runtime"))
            .toList();
    assertThat(runtimes).filteredOn(r -> r.startsWith("java")).hasSize(4);
  }

  static Map<String, Object> props(FunctionsConstruct.Spec spec) {
    return map(
        s.resources("AWS::Lambda::Function").entrySet().stream()
            .filter(
                e -> e.getKey().startsWith("Functions" + spec.id) && !e.getKey().contains("Alias"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .get("Properties"));
  }
}
