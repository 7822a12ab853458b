package dev.lakehouse.infra;

import static dev.lakehouse.infra.Cfn.list;
import static dev.lakehouse.infra.Cfn.map;
import static dev.lakehouse.infra.Cfn.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.CatalogType;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CatalogAndJobsTest {
  static TestStacks.Synthesized s;

  @BeforeAll
  static void synth() {
    s = TestStacks.dev();
  }

  @Test
  void databaseIsTheDeclaredNamespace() {
    Map<String, Object> db =
        map(
            map(s.only("AWS::Glue::Database", "CatalogDatabase").get("Properties"))
                .get("DatabaseInput"));
    assertThat(db.get("Name")).isEqualTo(LakehouseTables.NAMESPACE);
    assertThat(render(db.get("LocationUri"))).isEqualTo("s3://<" + warehouseId() + ">/");
  }

  /** The catalog's encryption setting is account-wide: a stack changes it only when told to. */
  @Test
  void catalogEncryptionIsAnExplicitOptIn() {
    assertThat(s.resources("AWS::Glue::DataCatalogEncryptionSettings")).isEmpty();

    var optedIn = TestStacks.synth(Map.of("lakehouse:catalogEncryption", "true"));
    Map<String, Object> enc =
        map(
            map(optedIn
                    .only("AWS::Glue::DataCatalogEncryptionSettings", "CatalogEncryption")
                    .get("Properties"))
                .get("DataCatalogEncryptionSettings"));
    assertThat(map(enc.get("EncryptionAtRest")).get("CatalogEncryptionMode")).isEqualTo("SSE-KMS");
    String key = optedIn.resources("AWS::KMS::Key").keySet().iterator().next();
    assertThat(render(map(enc.get("EncryptionAtRest")).get("SseAwsKmsKeyId")))
        .isEqualTo("<" + key + ".Arn>");
    assertThat(
            map(enc.get("ConnectionPasswordEncryption")).get("ReturnConnectionPasswordEncrypted"))
        .isEqualTo(true);
  }

  @Test
  void tablesAreCreatedByTheTableAdminFunctionFromTheDeclarations() {
    var resources = s.resources("Custom::LakehouseTables");
    assertThat(resources).hasSize(1);
    var tables = resources.values().iterator().next();
    Map<String, Object> p = map(tables.get("Properties"));
    assertThat(p.get("operation")).isEqualTo("createTables");
    assertThat(p.get("namespace")).isEqualTo(LakehouseTables.NAMESPACE);
    assertThat(p.get("tables"))
        .isEqualTo(LakehouseTables.all().stream().map(TableDefinition::name).toList());
    assertThat(tables.get("DeletionPolicy"))
        .as("deleting the stack never drops tables")
        .isEqualTo("Retain");
    assertThat(list(tables.get("DependsOn")))
        .anySatisfy(d -> assertThat(d.toString()).startsWith("CatalogDatabase"));
    // The provider's framework function calls the TableAdmin alias.
    Map<String, Object> framework =
        s.resources("AWS::Lambda::Function").values().stream()
            .filter(
                f -> map(f.get("Properties")).get("Handler").toString().startsWith("framework."))
            .findFirst()
            .orElseThrow();
    Map<String, Object> env =
        map(map(map(framework.get("Properties")).get("Environment")).get("Variables"));
    assertThat(render(env.get("USER_ON_EVENT_FUNCTION_ARN")))
        .startsWith("<FunctionsTableAdminAlias");
  }

  @Test
  void sixGlueJobsWithTheirJavaMains() {
    var jobs = s.resources("AWS::Glue::Job");
    assertThat(jobs).hasSize(6);
    Map<String, String> classes = new LinkedHashMap<>();
    jobs.values()
        .forEach(
            j -> {
              Map<String, Object> p = map(j.get("Properties"));
              classes.put(
                  (String) p.get("Name"), (String) map(p.get("DefaultArguments")).get("--class"));
            });
    assertThat(classes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "lakehouse-dev-bronze", "dev.lakehouse.jobs.BronzeIngestJob",
                "lakehouse-dev-silver-customers", "dev.lakehouse.jobs.SilverJob",
                "lakehouse-dev-silver-products", "dev.lakehouse.jobs.SilverJob",
                "lakehouse-dev-silver-orders", "dev.lakehouse.jobs.SilverJob",
                "lakehouse-dev-gold", "dev.lakehouse.jobs.GoldJob",
                "lakehouse-dev-compaction", "dev.lakehouse.jobs.CompactionJob"));
  }

  @Test
  void everyJobIsGlue5SparkWithTheJarTheCatalogConfAndSecureDefaults() {
    String warehouse = "s3://<" + warehouseId() + ">/";
    String expectedConf =
        CatalogSettings.builder(CatalogType.GLUE)
            .warehouse(warehouse)
            .build()
            .sparkConf()
            .entrySet()
            .stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" --conf "));
    String securityConfig =
        s.resources("AWS::Glue::SecurityConfiguration").keySet().iterator().next();
    for (var j : s.resources("AWS::Glue::Job").values()) {
      Map<String, Object> p = map(j.get("Properties"));
      assertThat(p.get("GlueVersion")).isEqualTo("5.0");
      assertThat(map(p.get("Command")).get("Name")).isEqualTo("glueetl");
      assertThat(render(map(p.get("Command")).get("ScriptLocation"))).endsWith(".scala");
      assertThat(p.get("WorkerType")).isEqualTo("G.1X");
      assertThat(p.get("NumberOfWorkers")).isEqualTo(2);
      assertThat(p.get("Timeout")).isEqualTo(60);
      assertThat(p.get("MaxRetries")).isEqualTo(0);
      assertThat(render(p.get("SecurityConfiguration"))).isEqualTo("<" + securityConfig + ">");
      Map<String, Object> args = map(p.get("DefaultArguments"));
      assertThat(args)
          .containsEntry("--job-language", "scala")
          .containsEntry("--job-bookmark-option", "job-bookmark-disable")
          .containsEntry("--enable-metrics", "true")
          .containsEntry("--custom-logGroup-prefix", "/aws-glue/lakehouse-dev/jobs")
          .containsEntry("--user-jars-first", "true")
          .containsEntry("--catalog", "glue");
      assertThat(render(args.get("--extra-jars"))).endsWith(".jar");
      assertThat(render(args.get("--warehouse"))).isEqualTo(warehouse);
      assertThat(render(args.get("--conf"))).isEqualTo(expectedConf);
      assertThat(render(args.get("--TempDir")))
          .startsWith("s3://<" + warehouseId() + ">/_temporary/glue/");
      assertThat(args)
          .as("Glue <= 4.0 options, ignored by Glue 5.0")
          .doesNotContainKeys(
              "--enable-continuous-cloudwatch-log",
              "--continuous-log-logGroup",
              "--enable-continuous-log-filter");
    }
    for (String entity : new String[] {"customers", "products", "orders"}) {
      Map<String, Object> p =
          map(
              s.only(
                      "AWS::Glue::Job",
                      "JobsSilver" + Character.toUpperCase(entity.charAt(0)) + entity.substring(1))
                  .get("Properties"));
      assertThat(map(p.get("DefaultArguments"))).containsEntry("--entity", entity);
    }
  }

  @Test
  void securityConfigurationEncryptsOutputLogsAndBookmarksWithTheKey() {
    Map<String, Object> enc =
        map(
            map(s.only("AWS::Glue::SecurityConfiguration", "JobsSecurityConfiguration")
                    .get("Properties"))
                .get("EncryptionConfiguration"));
    String key = "<" + StorageTest.keyId() + ".Arn>";
    Map<String, Object> s3 = map(list(enc.get("S3Encryptions")).get(0));
    assertThat(s3.get("S3EncryptionMode")).isEqualTo("SSE-KMS");
    assertThat(render(s3.get("KmsKeyArn"))).isEqualTo(key);
    assertThat(map(enc.get("CloudWatchEncryption")).get("CloudWatchEncryptionMode"))
        .isEqualTo("SSE-KMS");
    assertThat(render(map(enc.get("CloudWatchEncryption")).get("KmsKeyArn"))).isEqualTo(key);
    assertThat(map(enc.get("JobBookmarksEncryption")).get("JobBookmarksEncryptionMode"))
        .isEqualTo("CSE-KMS");
  }

  /**
   * Glue 5.0's groups under the custom prefix: created encrypted with a retention, and writable by
   * every job role.
   */
  @Test
  void jobLogsAreEncryptedRetainedAndWritable() {
    for (String stream : List.of("Error", "Output")) {
      Map<String, Object> p =
          map(s.only("AWS::Logs::LogGroup", "Jobs" + stream + "Logs").get("Properties"));
      assertThat(p.get("LogGroupName"))
          .isEqualTo("/aws-glue/lakehouse-dev/jobs/" + stream.toLowerCase());
      assertThat(p.get("RetentionInDays")).isEqualTo(30);
      assertThat(render(p.get("KmsKeyId"))).isEqualTo("<" + StorageTest.keyId() + ".Arn>");
    }
    for (String role : List.of("JobsBronzeJobRole", "JobsSilverJobRole", "JobsGoldJobRole")) {
      assertThat(IamTest.resourcesOf(Cfn.statementsOfRole(s, role), "logs:PutLogEvents"))
          .as(role)
          .containsExactly(
              "arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/lakehouse-dev/jobs*");
    }
  }

  static String warehouseId() {
    return TestStacks.dev().resources("AWS::S3::Bucket").keySet().stream()
        .filter(id -> id.startsWith("StorageWarehouseBucket"))
        .findFirst()
        .orElseThrow();
  }
}
