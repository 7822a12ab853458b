package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * REST sources from {@code lakehouse:restSources}: none by default; per source a function, a
 * schedule, a secret.
 */
class RestSourcesTest {
  static final String SHOP_SECRET =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-token-AbCdEf";
  static final String SOURCES =
      "[{\"source\":\"crm\",\"url\":\"https://api.example.com/v1/customers\","
          + "\"table\":\"customers\",\"schedule\":\"rate(30 minutes)\",\"maxPages\":50},"
          + "{\"source\":\"shop\",\"url\":\"https://shop.example.com/orders\",\"table\":\"orders\","
          + "\"pagination\":\"page\",\"itemsPath\":\"\",\"pageSize\":100,\"enabled\":false,"
          + "\"tokenSecretArn\":\""
          + SHOP_SECRET
          + "\"}]";

  static TestStacks.Synthesized rest() {
    return TestStacks.synth(Map.of(RestSourcesConstruct.CONTEXT_KEY, SOURCES));
  }

  @Test
  void noSourceIsDeployedByDefault() {
    TestStacks.Synthesized dev = TestStacks.dev();
    assertThat(dev.resources("AWS::Lambda::Function").values())
        .noneMatch(
            f ->
                String.valueOf(map(f.get("Properties")).get("Handler"))
                    .contains("RestSourceHandler"));
    assertThat(dev.resources("AWS::SecretsManager::Secret")).isEmpty();
    assertThat(dev.stack().getNode().tryFindChild("RestSources")).isNull();
  }

  @Test
  void eachSourceGetsAFunctionInvokedByItsScheduleWithItsSettings() throws Exception {
    TestStacks.Synthesized s = rest();
    Map<String, Object> crm =
        map(s.only("AWS::Lambda::Function", "RestSourcesCrmFunction").get("Properties"));
    assertThat(crm.get("Handler"))
        .isEqualTo("dev.lakehouse.functions.RestSourceHandler::handleRequest");
    assertThat(crm.get("Runtime")).isEqualTo("java21");
    assertThat(crm.get("FunctionName")).isEqualTo("lakehouse-dev-rest-source-crm");
    assertThat(crm.get("Timeout")).isEqualTo(900);
    assertThat(crm.get("ReservedConcurrentExecutions")).isEqualTo(1);
    assertThat(crm.get("TracingConfig")).isEqualTo(Map.of("Mode", "Active"));
    Map<String, Object> env = map(map(crm.get("Environment")).get("Variables"));
    assertThat(render(env.get("LANDING_BUCKET"))).startsWith("<StorageLandingBucket");
    assertThat(render(env.get("API_TOKEN_SECRET_ARN"))).startsWith("<RestSourcesCrmToken");
    assertThat(env).containsEntry("POWERTOOLS_SERVICE_NAME", "rest-source");
    Map<String, Object> shop =
        map(s.only("AWS::Lambda::Function", "RestSourcesShopFunction").get("Properties"));
    assertThat(map(map(shop.get("Environment")).get("Variables")))
        .containsEntry("API_TOKEN_SECRET_ARN", SHOP_SECRET);

    Map<String, Object> crmSchedule =
        map(s.only("AWS::Scheduler::Schedule", "RestSourcesCrmSchedule").get("Properties"));
    assertThat(crmSchedule.get("Name")).isEqualTo("lakehouse-dev-rest-crm");
    assertThat(crmSchedule.get("ScheduleExpression")).isEqualTo("rate(30 minutes)");
    assertThat(crmSchedule.get("State")).isEqualTo("ENABLED");
    Map<String, Object> target = map(crmSchedule.get("Target"));
    assertThat(render(target.get("Arn")))
        .isEqualTo("<" + logicalId(s, "RestSourcesCrmFunction") + ".Arn>");
    assertThat(new ObjectMapper().readValue((String) target.get("Input"), Map.class))
        .isEqualTo(
            Map.of(
                "source",
                "crm",
                "url",
                "https://api.example.com/v1/customers",
                "table",
                "customers",
                "maxPages",
                50));
    assertThat(map(target.get("RetryPolicy")).get("MaximumRetryAttempts")).isEqualTo(0);
    Map<String, Object> shopSchedule =
        map(s.only("AWS::Scheduler::Schedule", "RestSourcesShopSchedule").get("Properties"));
    assertThat(shopSchedule.get("ScheduleExpression")).isEqualTo("rate(1 hour)");
    assertThat(shopSchedule.get("State")).isEqualTo("DISABLED");
    assertThat(
            new ObjectMapper()
                .readValue((String) map(shopSchedule.get("Target")).get("Input"), Map.class))
        .isEqualTo(
            Map.of(
                "source",
                "shop",
                "url",
                "https://shop.example.com/orders",
                "table",
                "orders",
                "pagination",
                "page",
                "itemsPath",
                "",
                "pageSize",
                100));

    // A secret is created (stack key) only for the source that names none.
    Map<String, Object> secret =
        map(s.only("AWS::SecretsManager::Secret", "RestSourcesCrmToken").get("Properties"));
    assertThat(secret.get("Name")).isEqualTo("lakehouse-dev/rest/crm/token");
    assertThat(render(secret.get("KmsKeyId"))).isEqualTo("<" + StorageTest.keyId() + ".Arn>");
    assertThat(s.resources("AWS::SecretsManager::Secret")).hasSize(1);
  }

  @Test
  void eachRoleReachesItsOwnLandingPrefixCursorAndSecretOnly() {
    TestStacks.Synthesized s = rest();
    List<Cfn.Statement> crm = Cfn.statementsOfRole(s, "RestSourcesCrmRole");
    String landing =
        "<"
            + s.resources("AWS::S3::Bucket").keySet().stream()
                .filter(id -> id.startsWith("StorageLandingBucket"))
                .findFirst()
                .orElseThrow()
            + ".Arn>";
    assertThat(crm)
        .anySatisfy(
            st -> {
              assertThat(st.actions()).containsExactly("s3:PutObject");
              assertThat(st.resources()).containsExactly(landing + "/landing/customers/rest/crm/*");
            });
    assertThat(crm)
        .anySatisfy(
            st -> {
              assertThat(st.actions()).containsExactly("s3:GetObject", "s3:PutObject");
              assertThat(st.resources()).containsExactly(landing + "/state/rest/crm.json");
            });
    assertThat(crm)
        .anySatisfy(
            st -> {
              assertThat(st.actions()).containsExactly("s3:ListBucket");
              assertThat(st.resources()).containsExactly(landing);
              assertThat(st.condition())
                  .isEqualTo(Map.of("StringEquals", Map.of("s3:prefix", "state/rest/crm.json")));
            });
    assertThat(crm)
        .anySatisfy(
            st -> {
              assertThat(st.actions()).containsExactly("secretsmanager:GetSecretValue");
              assertThat(st.resources())
                  .containsExactly("<" + logicalId(s, "RestSourcesCrmToken") + ">");
            });
    List<String> s3Resources =
        crm.stream()
            .filter(st -> st.actions().stream().anyMatch(a -> a.startsWith("s3:")))
            .flatMap(st -> st.resources().stream())
            .toList();
    assertThat(s3Resources)
        .containsExactlyInAnyOrder(
            landing + "/landing/customers/rest/crm/*", landing + "/state/rest/crm.json", landing);
    assertThat(Cfn.statementsOfRole(s, "RestSourcesShopRole"))
        .anySatisfy(
            st -> {
              assertThat(st.actions()).containsExactly("secretsmanager:GetSecretValue");
              assertThat(st.resources()).containsExactly(SHOP_SECRET);
            });
  }

  @Test
  void aBadSourceIsRefusedInOneLine() {
    assertThatThrownBy(
            () ->
                LakehouseApp.build(
                    App.Builder.create()
                        .context(
                            Map.of(
                                RestSourcesConstruct.CONTEXT_KEY,
                                "[{\"source\":\"crm\",\"url\":\"https://x.example\",\"table\":\"invoices\"}]"))
                        .build(),
                    TestStacks.artifacts()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lakehouse:restSources: unknown table 'invoices'; expected one of [customers, products, orders]");
    assertThatThrownBy(
            () ->
                LakehouseApp.build(
                    App.Builder.create()
                        .context(
                            Map.of(
                                RestSourcesConstruct.CONTEXT_KEY,
                                "[{\"source\":\"a\",\"url\":\"https://x.example\",\"table\":\"orders\"},"
                                    + "{\"source\":\"a\",\"url\":\"https://y.example\",\"table\":\"orders\"}]"))
                        .build(),
                    TestStacks.artifacts()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lakehouse:restSources: source 'a' is configured twice");
  }

  static String logicalId(TestStacks.Synthesized s, String prefix) {
    Map<String, Object> resources = map(s.json().get("Resources"));
    List<String> ids = resources.keySet().stream().filter(id -> id.startsWith(prefix)).toList();
    assertThat(ids).as(prefix).hasSize(1);
    return ids.get(0);
  }
}
