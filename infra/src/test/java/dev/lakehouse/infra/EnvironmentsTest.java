package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** A prod synth with Lake Formation on and every sizing parameter overridden through context. */
class EnvironmentsTest {
  static final Map<String, Object> PROD =
      Map.ofEntries(
          Map.entry("lakehouse:environment", "prod"),
          Map.entry("lakehouse:glueWorkerType", "G.2X"),
          Map.entry("lakehouse:glueNumberOfWorkers", "10"),
          Map.entry("lakehouse:scheduleTimezone", "Europe/Paris"),
          Map.entry("lakehouse:maintenanceSchedule", "cron(15 2 * * ? *)"),
          Map.entry("lakehouse:reservedConcurrency", "false"),
          Map.entry("lakehouse:lakeFormation", true),
          Map.entry(
              "lakehouse:lakeFormationAdmins",
              List.of("arn:aws:iam::123456789012:role/DataLakeAdmin")),
          Map.entry("lakehouse:logRetentionDays", 365),
          Map.entry("lakehouse:alarmEmail", "oncall@example.com"),
          // The batching keys (IngestQueueTest asserts them), as -c strings and as cdk.json
          // numbers.
          Map.entry("lakehouse:batchMaxObjects", "250"),
          Map.entry("lakehouse:batchWindowSeconds", 10),
          Map.entry("lakehouse:batchLeaseSeconds", "3600"),
          Map.entry("lakehouse:batchMaxPasses", 4),
          Map.entry("lakehouse:batchMaxReceives", 3),
          Map.entry("lakehouse:batchMaxAgeSeconds", "900"),
          Map.entry("lakehouse:batchSchedule", "rate(2 minutes)"));
  static TestStacks.Synthesized s;

  @BeforeAll
  static void synth() {
    s = TestStacks.synth(PROD);
  }

  @Test
  void namesAndProtectionFollowTheEnvironment() {
    assertThat(s.stack().getStackName()).isEqualTo("Lakehouse-prod");
    assertThat(s.stack().getTerminationProtection()).isTrue();
    s.resources("AWS::S3::Bucket")
        .values()
        .forEach(b -> assertThat(b.get("DeletionPolicy")).isEqualTo("Retain"));
    s.resources("AWS::KMS::Key")
        .values()
        .forEach(k -> assertThat(k.get("DeletionPolicy")).isEqualTo("Retain"));
    s.resources("AWS::Glue::Job")
        .values()
        .forEach(
            j -> {
              Map<String, Object> p = map(j.get("Properties"));
              assertThat((String) p.get("Name")).startsWith("lakehouse-prod-");
              assertThat(p.get("WorkerType")).isEqualTo("G.2X");
              assertThat(p.get("NumberOfWorkers")).isEqualTo(10);
            });
  }

  @Test
  void schedulesUseTheConfiguredCronAndTimeZone() {
    Map<String, Object> p =
        map(
            s.only("AWS::Scheduler::Schedule", "OrchestrationMaintenanceSchedule")
                .get("Properties"));
    assertThat(p.get("ScheduleExpression")).isEqualTo("cron(15 2 * * ? *)");
    assertThat(p.get("ScheduleExpressionTimezone")).isEqualTo("Europe/Paris");
  }

  @Test
  void reservedConcurrencyCanBeTurnedOff() {
    s.resources("AWS::Lambda::Function")
        .values()
        .forEach(
            f ->
                assertThat(map(f.get("Properties")))
                    .doesNotContainKey("ReservedConcurrentExecutions"));
  }

  @Test
  void lakeFormationRegistersTheWarehouseAndGrantsEveryRole() {
    assertThat(s.resources("AWS::LakeFormation::DataLakeSettings")).hasSize(1);
    assertThat(s.resources("AWS::LakeFormation::Resource")).hasSize(1);
    // TableAdmin: location, database, tables; 3 other functions + 4 job families: database and
    // tables each.
    assertThat(s.resources("AWS::LakeFormation::Permissions")).hasSize(3 + 2 * 7);
    assertThat(Cfn.statements(s))
        .filteredOn(st -> st.actions().contains("lakeformation:GetDataAccess"))
        .hasSize(8);
  }

  /**
   * The warehouse is encrypted with the stack key: Lake Formation must reach it with a role that
   * key allows, not the service-linked role (which the key policy cannot name).
   */
  @Test
  void lakeFormationUsesADataAccessRoleTheKeyPolicyAllows() {
    Map<String, Object> location =
        map(
            s.only("AWS::LakeFormation::Resource", "GovernanceWarehouseLocation")
                .get("Properties"));
    assertThat(location.get("UseServiceLinkedRole")).isEqualTo(false);
    String role =
        s.resources("AWS::IAM::Role").keySet().stream()
            .filter(id -> id.startsWith("GovernanceWarehouseDataAccessRole"))
            .findFirst()
            .orElseThrow();
    assertThat(Cfn.render(location.get("RoleArn"))).isEqualTo("<" + role + ".Arn>");
    assertThat(
            String.valueOf(
                map(map(s.resources("AWS::IAM::Role").get(role)).get("Properties"))
                    .get("AssumeRolePolicyDocument")))
        .contains("lakeformation.amazonaws.com");

    String key = s.resources("AWS::KMS::Key").keySet().iterator().next();
    List<Object> keyPolicy =
        Cfn.list(
            map(map(map(s.resources("AWS::KMS::Key").get(key)).get("Properties")).get("KeyPolicy"))
                .get("Statement"));
    assertThat(keyPolicy)
        .map(st -> map(st))
        .filteredOn(st -> "LakeFormationDataAccess".equals(st.get("Sid")))
        .singleElement()
        .satisfies(
            st -> {
              assertThat(Cfn.render(map(st.get("Principal")).get("AWS")))
                  .isEqualTo("<" + role + ".Arn>");
              assertThat(Cfn.strings(st.get("Action")))
                  .containsExactlyInAnyOrder("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
            });
    List<Cfn.Statement> access = Cfn.statementsOfRole(s, "GovernanceWarehouseDataAccessRole");
    String warehouse =
        s.resources("AWS::S3::Bucket").keySet().stream()
            .filter(id -> id.startsWith("StorageWarehouseBucket"))
            .findFirst()
            .orElseThrow();
    assertThat(IamTest.resourcesOf(access, "s3:PutObject"))
        .containsExactlyInAnyOrder(
            "<" + warehouse + ".Arn>/raw/*",
            "<" + warehouse + ".Arn>/curated/*",
            "<" + warehouse + ".Arn>/aggregated/*",
            "<" + warehouse + ".Arn>/operations/*");
    assertThat(IamTest.resourcesOf(access, "kms:GenerateDataKey"))
        .containsExactly("<" + key + ".Arn>");
  }

  @Test
  void emailSubscriptionWhenConfigured() {
    s.template()
        .hasResourceProperties(
            "AWS::SNS::Subscription",
            Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
  }

  @Test
  void stillCdkNagClean() {
    assertThat(s.annotations().findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    assertThat(s.annotations().findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
        .isEmpty();
  }
}
