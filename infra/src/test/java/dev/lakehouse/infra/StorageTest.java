package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.list;
import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StorageTest {
  static TestStacks.Synthesized s;

  @BeforeAll
  static void synth() {
    s = TestStacks.dev();
  }

  @Test
  void keyRotatesAndHasAnAlias() {
    assertThat(s.resources("AWS::KMS::Key")).hasSize(1);
    Map<String, Object> key = s.only("AWS::KMS::Key", "StorageKey");
    assertThat(map(key.get("Properties"))).containsEntry("EnableKeyRotation", true);
    Map<String, Object> alias = map(s.only("AWS::KMS::Alias", "StorageKeyAlias").get("Properties"));
    assertThat(alias).containsEntry("AliasName", "alias/lakehouse-dev");
  }

  @Test
  void fourBucketsAllPrivateVersionedAndEncrypted() {
    var buckets = s.resources("AWS::S3::Bucket");
    assertThat(buckets).hasSize(4);
    int kms = 0;
    for (var b : buckets.values()) {
      Map<String, Object> p = map(b.get("Properties"));
      assertThat(map(p.get("PublicAccessBlockConfiguration")))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "BlockPublicAcls",
                  true,
                  "BlockPublicPolicy",
                  true,
                  "IgnorePublicAcls",
                  true,
                  "RestrictPublicBuckets",
                  true));
      assertThat(map(p.get("VersioningConfiguration"))).containsEntry("Status", "Enabled");
      Map<String, Object> sse =
          map(
              map(list(map(p.get("BucketEncryption")).get("ServerSideEncryptionConfiguration"))
                      .get(0))
                  .get("ServerSideEncryptionByDefault"));
      if ("aws:kms".equals(sse.get("SSEAlgorithm"))) {
        kms++;
        assertThat(render(sse.get("KMSMasterKeyID"))).isEqualTo("<" + keyId() + ".Arn>");
        assertThat(
                map(
                    list(map(p.get("BucketEncryption")).get("ServerSideEncryptionConfiguration"))
                        .get(0)))
            .containsEntry("BucketKeyEnabled", true);
      } else {
        // Only the access-log bucket: S3 server access logging cannot write to SSE-KMS buckets.
        assertThat(sse).containsEntry("SSEAlgorithm", "AES256");
      }
    }
    assertThat(kms).isEqualTo(3);
  }

  @Test
  void dataBucketsLogToTheAccessLogBucket() {
    String logs = accessLogsId();
    for (String prefix :
        List.of("StorageLandingBucket", "StorageWarehouseBucket", "StorageAthenaResultsBucket")) {
      Map<String, Object> p = map(s.only("AWS::S3::Bucket", prefix).get("Properties"));
      assertThat(render(map(p.get("LoggingConfiguration")).get("DestinationBucketName")))
          .isEqualTo("<" + logs + ">");
    }
  }

  @Test
  void everyBucketPolicyDeniesPlainHttpAndOldTls() {
    var policies = s.resources("AWS::S3::BucketPolicy");
    assertThat(policies).hasSize(4);
    for (var bp : policies.values()) {
      List<Object> statements =
          list(map(map(bp.get("Properties")).get("PolicyDocument")).get("Statement"));
      assertThat(statements)
          .anySatisfy(
              st -> {
                Map<String, Object> m = map(st);
                assertThat(m.get("Effect")).isEqualTo("Deny");
                assertThat(m.get("Condition"))
                    .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
              });
      assertThat(statements)
          .anySatisfy(
              st -> {
                Map<String, Object> m = map(st);
                assertThat(m.get("Effect")).isEqualTo("Deny");
                assertThat(m.get("Condition"))
                    .isEqualTo(Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)));
              });
      for (Object st : statements) {
        assertThat(map(st).get("Principal"))
            .as("no public grant")
            .isNotEqualTo("*")
            .satisfiesAnyOf(
                pr -> assertThat(map(st).get("Effect")).isEqualTo("Deny"),
                pr -> assertThat(pr).isNotEqualTo(Map.of("AWS", "*")));
      }
    }
  }

  @Test
  void landingBucketSendsEventsToEventBridgeWithoutACustomResource() {
    Map<String, Object> p =
        map(s.only("AWS::S3::Bucket", "StorageLandingBucket").get("Properties"));
    assertThat(p.get("NotificationConfiguration"))
        .isEqualTo(Map.of("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true)));
    assertThat(s.resources("Custom::S3BucketNotifications")).isEmpty();
  }

  @Test
  void warehouseLifecycleNeverExpiresOrArchivesLiveIcebergFiles() {
    List<Map<String, Object>> rules = rules("StorageWarehouseBucket");
    List<String> ids = rules.stream().map(r -> (String) r.get("Id")).toList();
    assertThat(ids)
        .containsExactlyInAnyOrder(
            "raw-zone-tiering",
            "curated-zone-tiering",
            "expire-temporary",
            "noncurrent-versions-and-uploads");
    for (Map<String, Object> r : rules) {
      String prefix = (String) r.getOrDefault("Prefix", "");
      if (r.containsKey("ExpirationInDays")) {
        assertThat(prefix).as("only scratch space expires").isEqualTo("_temporary/");
        assertThat(r.get("ExpirationInDays")).isEqualTo(1);
      }
      for (Object t : list(r.get("Transitions"))) {
        assertThat(map(t).get("StorageClass"))
            .as("readable by Athena and S3FileIO without a restore")
            .isIn("STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR");
      }
    }
    Map<String, Object> raw = rule(rules, "raw-zone-tiering");
    assertThat(raw.get("Prefix")).isEqualTo("raw/");
    assertThat(raw.get("Transitions"))
        .isEqualTo(
            List.of(
                Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 90),
                Map.of("StorageClass", "GLACIER_IR", "TransitionInDays", 365)));
    Map<String, Object> curated = rule(rules, "curated-zone-tiering");
    assertThat(curated.get("Prefix")).isEqualTo("curated/");
    assertThat(curated.get("Transitions"))
        .isEqualTo(List.of(Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 180)));
    Map<String, Object> housekeeping = rule(rules, "noncurrent-versions-and-uploads");
    assertThat(housekeeping).doesNotContainKey("Prefix").doesNotContainKey("ExpirationInDays");
    assertThat(housekeeping.get("NoncurrentVersionExpiration"))
        .isEqualTo(Map.of("NoncurrentDays", 30));
    assertThat(housekeeping.get("AbortIncompleteMultipartUpload"))
        .isEqualTo(Map.of("DaysAfterInitiation", 7));
  }

  @Test
  void athenaResultsExpire() {
    Map<String, Object> r = rule(rules("StorageAthenaResultsBucket"), "expire-query-results");
    assertThat(r.get("ExpirationInDays")).isEqualTo(30);
  }

  private static List<Map<String, Object>> rules(String bucketPrefix) {
    Map<String, Object> p = map(s.only("AWS::S3::Bucket", bucketPrefix).get("Properties"));
    List<Map<String, Object>> out = new ArrayList<>();
    list(map(p.get("LifecycleConfiguration")).get("Rules")).forEach(r -> out.add(map(r)));
    return out;
  }

  private static Map<String, Object> rule(List<Map<String, Object>> rules, String id) {
    return rules.stream().filter(r -> id.equals(r.get("Id"))).findFirst().orElseThrow();
  }

  static String keyId() {
    return TestStacks.dev().resources("AWS::KMS::Key").keySet().iterator().next();
  }

  static String landingId() {
    return TestStacks.dev().resources("AWS::S3::Bucket").keySet().stream()
        .filter(id -> id.startsWith("StorageLandingBucket"))
        .findFirst()
        .orElseThrow();
  }

  static String accessLogsId() {
    return TestStacks.dev().resources("AWS::S3::Bucket").keySet().stream()
        .filter(id -> id.startsWith("StorageAccessLogsBucket"))
        .findFirst()
        .orElseThrow();
  }
}
