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
 * The Firehose option: off by default; on, a stream writing JSON Lines under landing/orders/ with
 * the stack key.
 */
class FirehoseTest {
  static TestStacks.Synthesized firehose() {
    return TestStacks.synth(
        Map.of(
            FirehoseConstruct.ENABLED_KEY,
            "true",
            FirehoseConstruct.BUFFER_SECONDS_KEY,
            120,
            FirehoseConstruct.BUFFER_MB_KEY,
            "16"));
  }

  @Test
  void offByDefault() {
    assertThat(TestStacks.dev().resources("AWS::KinesisFirehose::DeliveryStream")).isEmpty();
  }

  @Test
  void writesJsonLinesUnderTheOrdersLandingPrefixBufferedAsConfiguredAndEncryptedWithTheStackKey() {
    TestStacks.Synthesized s = firehose();
    Map<String, Object> p =
        map(
            s.only("AWS::KinesisFirehose::DeliveryStream", "FirehoseOrdersStream")
                .get("Properties"));
    String key = "<" + StorageTest.keyId() + ".Arn>";
    assertThat(p.get("DeliveryStreamName")).isEqualTo("lakehouse-dev-orders");
    assertThat(p.get("DeliveryStreamType")).isEqualTo("DirectPut");
    Map<String, Object> sse = map(p.get("DeliveryStreamEncryptionConfigurationInput"));
    assertThat(sse.get("KeyType")).isEqualTo("CUSTOMER_MANAGED_CMK");
    assertThat(render(sse.get("KeyARN"))).isEqualTo(key);
    Map<String, Object> s3 = map(p.get("ExtendedS3DestinationConfiguration"));
    assertThat(render(s3.get("BucketARN"))).startsWith("<StorageLandingBucket");
    assertThat(s3.get("Prefix")).isEqualTo("landing/orders/firehose/!{timestamp:yyyy/MM/dd}/");
    assertThat(s3.get("ErrorOutputPrefix"))
        .isEqualTo("firehose-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/");
    assertThat(s3.get("FileExtension")).isEqualTo(".jsonl");
    assertThat(s3.get("CompressionFormat")).isEqualTo("UNCOMPRESSED");
    assertThat(s3.get("BufferingHints"))
        .isEqualTo(Map.of("IntervalInSeconds", 120, "SizeInMBs", 16));
    assertThat(
            render(
                map(map(s3.get("EncryptionConfiguration")).get("KMSEncryptionConfig"))
                    .get("AWSKMSKeyARN")))
        .isEqualTo(key);
    assertThat(map(s3.get("ProcessingConfiguration")).get("Processors"))
        .isEqualTo(List.of(Map.of("Type", "AppendDelimiterToRecord")));
  }

  @Test
  void theDeliveryRoleWritesOnlyTheOrdersPrefixAndTheErrorPrefix() {
    TestStacks.Synthesized s = firehose();
    List<Cfn.Statement> role = Cfn.statementsOfRole(s, "FirehoseDeliveryRole");
    List<String> objects =
        role.stream()
            .filter(st -> st.actions().contains("s3:PutObject"))
            .flatMap(st -> st.resources().stream())
            .map(r -> r.substring(r.indexOf(">/") + 2))
            .toList();
    assertThat(objects).containsExactlyInAnyOrder("landing/orders/*", "firehose-errors/*");
    assertThat(role.stream().flatMap(st -> st.actions().stream()))
        .noneMatch(a -> a.equals("s3:GetObject") || a.equals("s3:DeleteObject"));
  }

  @Test
  void bufferingOutsideFirehoseLimitsIsRefused() {
    assertThatThrownBy(
            () ->
                LakehouseApp.build(
                    App.Builder.create()
                        .context(
                            Map.of(
                                FirehoseConstruct.ENABLED_KEY,
                                true,
                                FirehoseConstruct.BUFFER_MB_KEY,
                                500))
                        .build(),
                    TestStacks.artifacts()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lakehouse:firehoseBufferMb must be between 1 and 128, got 500");
  }
}
