package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.jobs.SparkJobs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code lakehouse:kafkaStream}: off by default; on, a Glue streaming job reading Kafka from the
 * cluster's VPC.
 */
class KafkaStreamTest {
  static final Map<String, Object> CONTEXT =
      Map.of(
          "lakehouse:kafkaStream", "true",
          "lakehouse:kafkaBootstrapServers", "b-1.msk.example:9094,b-2.msk.example:9094",
          "lakehouse:kafkaSubnetId", "subnet-0abc",
          "lakehouse:kafkaSecurityGroupId", "sg-0def",
          "lakehouse:kafkaAvailabilityZone", "eu-west-1a");

  static TestStacks.Synthesized stream() {
    return TestStacks.synth(CONTEXT);
  }

  @Test
  void offByDefault() {
    TestStacks.Synthesized dev = TestStacks.dev();
    assertThat(dev.resources("AWS::Glue::Connection")).isEmpty();
    assertThat(
            dev.resources("AWS::Glue::Job").values().stream()
                .map(j -> map(map(j.get("Properties")).get("Command")).get("Name"))
                .distinct()
                .toList())
        .containsExactly("glueetl");
    assertThat(dev.stack().kafkaStream()).isEmpty();
  }

  @Test
  void aGlueStreamingJobOfTheCatalogsStreamJobReadsTheTopicOverTls() {
    TestStacks.Synthesized s = stream();
    Map<String, Object> p = map(s.only("AWS::Glue::Job", "KafkaStreamJob").get("Properties"));
    assertThat(p.get("Name")).isEqualTo("lakehouse-dev-" + SparkJobs.STREAM_ORDERS.nameSuffix());
    assertThat(map(p.get("Command")).get("Name")).isEqualTo("gluestreaming");
    assertThat(p.get("GlueVersion")).isEqualTo("5.0");
    assertThat(p).doesNotContainKey("Timeout");
    assertThat(p.get("MaxRetries")).isEqualTo(3);
    assertThat(map(p.get("Connections")).get("Connections"))
        .isEqualTo(List.of("lakehouse-dev-stream-orders-network"));
    String securityConfig =
        s.resources("AWS::Glue::SecurityConfiguration").keySet().iterator().next();
    assertThat(render(p.get("SecurityConfiguration"))).isEqualTo("<" + securityConfig + ">");
    Map<String, String> args =
        map(p.get("DefaultArguments")).entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, e -> render(e.getValue()), (a, b) -> a, HashMap::new));
    String warehouse = CatalogAndJobsTest.warehouseId();
    assertThat(args)
        .containsEntry("--class", "dev.lakehouse.jobs.KafkaStreamJob")
        .containsEntry("--bootstrap-servers", "b-1.msk.example:9094,b-2.msk.example:9094")
        .containsEntry("--topic", "orders")
        .containsEntry("--entity", "orders")
        .containsEntry(
            "--checkpoint", "s3://<" + warehouse + ">/_streams/stream-orders/checkpoint/")
        .containsEntry("--trigger-seconds", "60")
        .containsEntry("--kafka-option", "security.protocol=SSL")
        .containsEntry("--catalog", "glue")
        .containsEntry("--user-jars-first", "true")
        .containsEntry("--custom-logGroup-prefix", "/aws-glue/lakehouse-dev/jobs");
  }

  @Test
  void theNetworkConnectionPlacesTheWorkersInTheClustersSubnet() {
    Map<String, Object> input =
        map(
            map(stream().only("AWS::Glue::Connection", "KafkaStreamNetwork").get("Properties"))
                .get("ConnectionInput"));
    assertThat(input.get("ConnectionType")).isEqualTo("NETWORK");
    assertThat(input.get("Name")).isEqualTo("lakehouse-dev-stream-orders-network");
    assertThat(map(input.get("PhysicalConnectionRequirements")))
        .containsEntry("SubnetId", "subnet-0abc")
        .containsEntry("SecurityGroupIdList", List.of("sg-0def"))
        .containsEntry("AvailabilityZone", "eu-west-1a");
  }

  @Test
  void theRoleWritesBronzeOperationsAndTheCheckpointButNotLanding() {
    TestStacks.Synthesized s = stream();
    List<Cfn.Statement> statements = Cfn.statementsOfRole(s, "KafkaStreamRole");
    List<String> objectResources =
        statements.stream()
            .filter(st -> st.actions().contains("s3:PutObject"))
            .flatMap(st -> st.resources().stream())
            .toList();
    String warehouse = "<" + CatalogAndJobsTest.warehouseId() + ".Arn>/";
    assertThat(objectResources)
        .containsExactlyInAnyOrder(
            warehouse + "raw/*",
            warehouse + "operations/*",
            warehouse + "_streams/*",
            warehouse + "_temporary/glue/*");
    assertThat(statements.stream().flatMap(st -> st.resources().stream()))
        .noneMatch(r -> r.contains("LandingBucket"));
    assertThat(
            statements.stream()
                .filter(st -> st.actions().contains("ec2:CreateNetworkInterface"))
                .flatMap(st -> st.resources().stream())
                .toList())
        .containsExactlyInAnyOrder(
            "arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*",
            "arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:subnet/subnet-0abc",
            "arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:security-group/sg-0def");
  }

  @Test
  void missingNetworkSettingsOrAnotherEngineAreClearErrors() {
    Map<String, Object> noSubnet = new HashMap<>(CONTEXT);
    noSubnet.remove("lakehouse:kafkaSubnetId");
    assertThatThrownBy(() -> TestStacks.synth(noSubnet))
        .hasMessage(
            "lakehouse:kafkaSubnetId is required with lakehouse:kafkaStream=true (see docs/sources-kafka.md)");
    Map<String, Object> emr = new HashMap<>(CONTEXT);
    emr.put("lakehouse:compute", "emr-serverless");
    assertThatThrownBy(() -> TestStacks.synth(emr))
        .hasMessage(
            "lakehouse:kafkaStream runs as a Glue streaming job: it needs lakehouse:compute=glue, got emr-serverless");
    assertThatThrownBy(() -> TestStacks.synth(Map.of("lakehouse:kafkaStream", "yes")))
        .hasMessage("lakehouse:kafkaStream must be true or false, got 'yes'");
  }
}
