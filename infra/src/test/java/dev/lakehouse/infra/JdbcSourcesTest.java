package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * Database sources from {@code lakehouse:jdbcSources}: none by default; per source a connection, a
 * job, a role.
 */
class JdbcSourcesTest {
  static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:erp-db-AbCdEf";
  static final String SOURCES =
      "[{\"source\":\"erp\",\"table\":\"customers\",\"sourceTable\":\"public.customers\","
          + "\"url\":\"jdbc:postgresql://erp.internal:5432/erp\",\"secretArn\":\""
          + SECRET
          + "\","
          + "\"subnetId\":\"subnet-0abc\",\"securityGroupIds\":[\"sg-0def\"],\"availabilityZone\":\"us-east-1a\","
          + "\"schedule\":\"rate(1 hour)\"}]";

  static TestStacks.Synthesized jdbc() {
    return TestStacks.synth(Map.of(JdbcSourcesConstruct.CONTEXT_KEY, SOURCES));
  }

  @Test
  void noSourceIsDeployedByDefault() {
    TestStacks.Synthesized dev = TestStacks.dev();
    assertThat(dev.resources("AWS::Glue::Connection")).isEmpty();
    assertThat(dev.resources("AWS::Glue::Job").values())
        .noneMatch(j -> String.valueOf(map(j.get("Properties")).get("Name")).contains("jdbc"));
  }

  @Test
  void aSourceGetsAConnectionInItsSubnetAJobThroughItAndASchedule() {
    TestStacks.Synthesized s = jdbc();
    Map<String, Object> input =
        map(
            map(s.only("AWS::Glue::Connection", "JdbcSourcesErpConnection").get("Properties"))
                .get("ConnectionInput"));
    assertThat(input.get("Name")).isEqualTo("lakehouse-dev-jdbc-erp");
    assertThat(input.get("ConnectionType")).isEqualTo("JDBC");
    assertThat(input.get("ConnectionProperties"))
        .isEqualTo(
            Map.of(
                "JDBC_CONNECTION_URL",
                "jdbc:postgresql://erp.internal:5432/erp",
                "SECRET_ID",
                SECRET));
    assertThat(input.get("PhysicalConnectionRequirements"))
        .isEqualTo(
            Map.of(
                "SubnetId",
                "subnet-0abc",
                "SecurityGroupIdList",
                List.of("sg-0def"),
                "AvailabilityZone",
                "us-east-1a"));

    Map<String, Object> job = map(s.only("AWS::Glue::Job", "JdbcSourcesErpJob").get("Properties"));
    assertThat(job.get("Name")).isEqualTo("lakehouse-dev-jdbc-erp");
    assertThat(job.get("Connections"))
        .isEqualTo(Map.of("Connections", List.of("lakehouse-dev-jdbc-erp")));
    assertThat(map(job.get("ExecutionProperty")).get("MaxConcurrentRuns")).isEqualTo(1);
    assertThat(render(job.get("SecurityConfiguration")))
        .startsWith("<JdbcSourcesSecurityConfiguration");
    assertThat(map(job.get("DefaultArguments")))
        .containsEntry("--class", "dev.lakehouse.jobs.JdbcExtractJob")
        .containsEntry("--url", "jdbc:postgresql://erp.internal:5432/erp")
        .containsEntry("--table", "customers")
        .containsEntry("--source", "erp")
        .containsEntry("--source-table", "public.customers")
        .containsEntry("--password-secret", SECRET)
        .containsEntry("--catalog", "glue");

    Map<String, Object> schedule =
        map(s.only("AWS::Scheduler::Schedule", "JdbcSourcesErpSchedule").get("Properties"));
    assertThat(schedule.get("ScheduleExpression")).isEqualTo("rate(1 hour)");
    assertThat(render(map(schedule.get("Target")).get("Arn")))
        .isEqualTo("arn:<AWS::Partition>:scheduler:::aws-sdk:glue:startJobRun");
  }

  @Test
  void theJobRoleWritesItsBronzeTableAndReadsItsSecretOnly() {
    TestStacks.Synthesized s = jdbc();
    List<Cfn.Statement> role = Cfn.statementsOfRole(s, "JdbcSourcesErpJobRole");
    assertThat(role)
        .anySatisfy(
            st -> {
              assertThat(st.actions()).containsExactly("secretsmanager:GetSecretValue");
              assertThat(st.resources()).containsExactly(SECRET);
            });
    assertThat(role)
        .anySatisfy(
            st -> {
              assertThat(st.actions()).contains("s3:PutObject");
              assertThat(st.resources())
                  .allMatch(r -> r.startsWith("<StorageWarehouseBucket"))
                  .extracting(r -> r.substring(r.indexOf(">/") + 2))
                  .containsExactlyInAnyOrder(
                      "raw/raw_customers/*", "operations/*", "_temporary/glue/jdbc-erp/*");
            });
    assertThat(role)
        .anySatisfy(
            st -> {
              assertThat(st.actions()).contains("glue:UpdateTable");
              assertThat(st.resources())
                  .filteredOn(r -> r.contains(":table/"))
                  .extracting(r -> r.substring(r.lastIndexOf('/') + 1))
                  .containsExactlyInAnyOrder("raw_customers", "quarantine", "pipeline_runs");
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
                                JdbcSourcesConstruct.CONTEXT_KEY,
                                SOURCES.replace(
                                    "\"customers\",\"sourceTable\"", "\"orders\",\"sourceTable\"")))
                        .build(),
                    TestStacks.artifacts()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lakehouse:jdbcSources: table 'orders' of source 'erp' must be customers or products");
  }
}
