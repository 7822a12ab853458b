package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.tables.LakehouseTables;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Least privilege, asserted over every IAM statement the stack synthesizes. */
class IamTest {
  /** Services whose actions touch data or invoke compute: never on Resource "*". */
  static final List<String> DATA_SERVICES =
      List.of("s3:", "glue:", "kms:", "lambda:", "sns:", "sqs:", "states:", "athena:", "dynamodb:");

  static TestStacks.Synthesized s;
  static List<Cfn.Statement> all;

  @BeforeAll
  static void synth() {
    s = TestStacks.dev();
    all = Cfn.statements(s);
  }

  @Test
  void noServiceWideActionWildcards() {
    for (Cfn.Statement st : all) {
      assertThat(st.actions())
          .as(st.owner())
          .noneMatch(a -> a.equals("*") || a.endsWith(":*"))
          .doesNotContain("s3:*", "glue:*", "kms:*");
    }
  }

  @Test
  void noDataActionOnAnyResource() {
    for (Cfn.Statement st : all) {
      if (st.resources().contains("*")) {
        assertThat(st.actions())
            .as("statement of " + st.owner() + " on Resource *")
            .noneMatch(a -> DATA_SERVICES.stream().anyMatch(a::startsWith));
      }
    }
  }

  @Test
  void s3ObjectAccessIsAlwaysUnderAKnownPrefix() {
    Set<String> allowed =
        Set.of(
            "landing/*",
            "rejected/*",
            "batches/*",
            "raw/*",
            "curated/*",
            "aggregated/*",
            "operations/*",
            "operations/pipeline_runs/*",
            "_temporary/glue/*");
    for (Cfn.Statement st : all) {
      if (st.actions().stream().anyMatch(a -> a.startsWith("s3:") && !a.equals("s3:ListBucket"))) {
        for (String r : st.resources()) {
          if (r.startsWith("<StorageLandingBucket") || r.startsWith("<StorageWarehouseBucket")) {
            assertThat(r.substring(r.indexOf(">/") + 2)).as(st.owner()).isIn(allowed);
          } else {
            // The Glue job code: exact asset objects in the CDK assets bucket.
            assertThat(r).as(st.owner()).contains("cdk-hnb659fds-assets").doesNotEndWith("*");
          }
        }
      }
      boolean routerOnLanding =
          st.owner().startsWith("<FunctionsIngestRouterRole")
              && st.resources().stream().allMatch(r -> r.startsWith("<StorageLandingBucket"));
      if (st.actions().contains("s3:ListBucket") && !routerOnLanding) {
        assertThat(st.condition()).as(st.owner() + " ListBucket limited by prefix").isNotNull();
        assertThat(st.condition().toString()).contains("s3:prefix");
      }
    }
  }

  @Test
  void glueAccessNamesTheDatabaseAndEachTable() {
    for (Cfn.Statement st : all) {
      if (st.actions().stream()
          .anyMatch(
              a ->
                  List.of(
                          "glue:GetDatabase",
                          "glue:GetTable",
                          "glue:UpdateTable",
                          "glue:CreateTable")
                      .contains(a))) {
        for (String r : st.resources()) {
          assertThat(r)
              .as(st.owner())
              .doesNotEndWith("*")
              .matches(
                  ".*:(catalog|database/"
                      + LakehouseTables.NAMESPACE
                      + "|table/"
                      + LakehouseTables.NAMESPACE
                      + "/[a-z_]+)$");
        }
      }
    }
  }

  @Test
  void runRecorderTouchesOnlyThePipelineRunsTable() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "FunctionsRunRecorderRole");
    assertThat(resourcesOf(st, "s3:PutObject"))
        .containsExactly(
            "<" + CatalogAndJobsTest.warehouseId() + ".Arn>/operations/pipeline_runs/*");
    assertThat(resourcesOf(st, "glue:UpdateTable"))
        .filteredOn(r -> r.contains(":table/"))
        .containsExactly(
            "arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/ecommerce_lakehouse/pipeline_runs");
    assertThat(resourcesOf(st, "glue:CreateTable")).isEmpty();
  }

  @Test
  void onlyTableAdminCreatesTables() {
    for (Cfn.Statement st : all) {
      if (st.actions().contains("glue:CreateTable")) {
        assertThat(st.owner()).startsWith("<FunctionsTableAdminRole");
      }
    }
    assertThat(all)
        .noneMatch(st -> st.actions().stream().anyMatch(a -> a.startsWith("glue:Delete")));
  }

  /**
   * The router reads what landed, and moves a rejected object: CopyObject needs PutObject on the
   * destination (and GenerateDataKey for SSE-KMS), the tags PutObjectTagging, the move
   * DeleteObject. ListBucket on the landing bucket makes S3 answer a missing key with 404
   * (ObjectNotFound, the decoded-key retry) instead of 403.
   */
  @Test
  void ingestRouterReadsLandedObjectsAndMovesRejectedOnes() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "FunctionsIngestRouterRole");
    String landing = "<" + StorageTest.landingId() + ".Arn>";
    assertThat(resourcesOf(st, "s3:GetObject")).contains(landing + "/landing/*");
    assertThat(resourcesOf(st, "s3:DeleteObject")).containsExactly(landing + "/landing/*");
    assertThat(resourcesOf(st, "s3:PutObject"))
        .containsExactlyInAnyOrder(landing + "/rejected/*", landing + "/batches/*");
    assertThat(resourcesOf(st, "s3:PutObjectTagging")).containsExactly(landing + "/rejected/*");
    assertThat(resourcesOf(st, "s3:ListBucket")).containsExactly(landing);
    assertThat(resourcesOf(st, "kms:GenerateDataKey"))
        .containsExactly("<" + StorageTest.keyId() + ".Arn>");
    Set<String> actions = new TreeSet<>();
    st.forEach(x -> actions.addAll(x.actions()));
    assertThat(actions)
        .contains("glue:GetTable")
        .doesNotContain("glue:UpdateTable", "glue:CreateTable");
  }

  @Test
  void bronzeJobReadsLandingAndWritesOnlyBronzeAndOperations() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "JobsBronzeJobRole");
    String wh = "<" + CatalogAndJobsTest.warehouseId() + ".Arn>/";
    assertThat(resourcesOf(st, "s3:PutObject"))
        .containsExactlyInAnyOrder(wh + "raw/*", wh + "operations/*", wh + "_temporary/glue/*");
    assertThat(resourcesOf(st, "s3:GetObject"))
        .anyMatch(r -> r.startsWith("<StorageLandingBucket") && r.endsWith("/landing/*"));
    assertThat(resourcesOf(st, "glue:UpdateTable"))
        .filteredOn(r -> r.contains(":table/"))
        .allMatch(r -> r.matches(".*/(raw_[a-z]+|quarantine|pipeline_runs)$"));
  }

  @Test
  void goldJobCannotWriteSilver() {
    List<Cfn.Statement> st = Cfn.statementsOfRole(s, "JobsGoldJobRole");
    assertThat(resourcesOf(st, "s3:PutObject"))
        .noneMatch(r -> r.endsWith("/curated/*") || r.endsWith("/raw/*"));
    assertThat(resourcesOf(st, "glue:UpdateTable"))
        .noneMatch(r -> r.contains("/curated_") || r.contains("/raw_"));
  }

  @Test
  void kmsOnlyOnTheStackKey() {
    for (Cfn.Statement st : all) {
      if (st.actions().stream().anyMatch(a -> a.startsWith("kms:"))) {
        assertThat(st.resources()).as(st.owner()).containsOnly("<" + StorageTest.keyId() + ".Arn>");
      }
    }
  }

  static List<String> resourcesOf(List<Cfn.Statement> statements, String action) {
    return statements.stream()
        .filter(x -> x.actions().contains(action))
        .flatMap(x -> x.resources().stream())
        .toList();
  }
}
