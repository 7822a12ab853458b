package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/** No synthesis here: context parsing, placeholders and the ASL reader. */
class ConfigAndArtifactsTest {
  @TempDir Path tmp;

  @Test
  void defaultsMatchCdkJson() throws Exception {
    LakehouseConfig defaults = LakehouseConfig.fromContext(new App().getNode());
    String cdkJson = Files.readString(TestStacks.infraDir().getParent().resolve("cdk.json"));
    App fromFile = App.Builder.create().context(contextOf(cdkJson)).build();
    assertThat(LakehouseConfig.fromContext(fromFile.getNode())).isEqualTo(defaults);
    assertThat(defaults.environment()).isEqualTo("dev");
    assertThat(defaults.glueEntryPoint()).isEqualTo(LakehouseConfig.GlueEntryPoint.JAR);
    assertThat(defaults.strictArtifacts()).as("a deploy never ships placeholder code").isTrue();
    assertThat(defaults.catalogEncryption()).as("account-wide, so opt-in").isFalse();
  }

  @Test
  void stringsFromTheCommandLineAreParsed() {
    App app =
        App.Builder.create()
            .context(
                Map.of(
                    "lakehouse:glueNumberOfWorkers",
                    "7",
                    "lakehouse:lakeFormation",
                    "true",
                    "lakehouse:lakeFormationAdmins",
                    "arn:a, arn:b",
                    "lakehouse:glueEntryPoint",
                    "script"))
            .build();
    LakehouseConfig c = LakehouseConfig.fromContext(app.getNode());
    assertThat(c.glueNumberOfWorkers()).isEqualTo(7);
    assertThat(c.lakeFormation()).isTrue();
    assertThat(c.lakeFormationAdmins()).containsExactly("arn:a", "arn:b");
    assertThat(c.glueEntryPoint()).isEqualTo(LakehouseConfig.GlueEntryPoint.SCRIPT);
  }

  @Test
  void invalidValuesAreRejectedWithTheKeyName() {
    assertThatThrownBy(
            () ->
                LakehouseConfig.fromContext(
                    App.Builder.create()
                        .context(Map.of("lakehouse:environment", "staging"))
                        .build()
                        .getNode()))
        .hasMessageContaining("lakehouse:environment");
    assertThatThrownBy(
            () ->
                LakehouseConfig.fromContext(
                    App.Builder.create()
                        .context(Map.of("lakehouse:logRetentionDays", 31))
                        .build()
                        .getNode()))
        .hasMessageContaining("lakehouse:logRetentionDays");
    assertThatThrownBy(
            () ->
                LakehouseConfig.fromContext(
                    App.Builder.create()
                        .context(Map.of("lakehouse:reservedConcurrency", "yes"))
                        .build()
                        .getNode()))
        .hasMessageContaining("lakehouse:reservedConcurrency");
  }

  @Test
  void missingArtifactsBecomeReproduciblePlaceholdersUnlessStrict() throws Exception {
    Path root = tmp.resolve("repo");
    Files.createDirectories(root.resolve("infra/glue"));
    Files.writeString(root.resolve(Artifacts.GLUE_STUB), "object LakehouseJobStub\n");
    Files.writeString(root.resolve(Artifacts.GLUE_LAUNCHER), "object X\n");
    Artifacts a = Artifacts.resolve(root, false);
    assertThat(a.placeholders())
        .containsExactly(
            Artifacts.FUNCTIONS_PACKAGE,
            Artifacts.GLUE_JOBS_JAR,
            Artifacts.INGEST_ASL,
            Artifacts.MAINTENANCE_ASL);
    assertThat(a.functionsPackage()).startsWith(root.resolve("infra/target/placeholder-assets"));
    try (ZipFile zip = new ZipFile(a.functionsPackage().toFile())) {
      assertThat(zip.getEntry("PLACEHOLDER.txt")).isNotNull();
    }
    byte[] first = Files.readAllBytes(a.glueJobsJar());
    assertThat(Files.readAllBytes(Artifacts.resolve(root, false).glueJobsJar())).isEqualTo(first);
    assertThat(AslDefinition.read(a.ingestStateMachine()).placeholders()).isEmpty();
    assertThatThrownBy(() -> Artifacts.resolve(root, true))
        .isInstanceOf(Artifacts.MissingArtifact.class)
        .hasMessage(
            Artifacts.FUNCTIONS_PACKAGE
                + " does not exist: build what the stack deploys first with 'mvn -B "
                + "package -DskipTests' (a synth with placeholder code, for tests only: -c lakehouse:strictArtifacts=false)");
  }

  @Test
  void realArtifactsAreUsedWhenPresent() throws Exception {
    Path root = tmp.resolve("repo2");
    Files.createDirectories(root.resolve("infra/glue"));
    Files.writeString(root.resolve(Artifacts.GLUE_STUB), "object LakehouseJobStub\n");
    Files.writeString(root.resolve(Artifacts.GLUE_LAUNCHER), "object X\n");
    for (String f :
        new String[] {
          Artifacts.FUNCTIONS_PACKAGE,
          Artifacts.GLUE_JOBS_JAR,
          Artifacts.INGEST_ASL,
          Artifacts.MAINTENANCE_ASL
        }) {
      Files.createDirectories(root.resolve(f).getParent());
      Files.writeString(root.resolve(f), "{}");
    }
    Artifacts a = Artifacts.resolve(root, true);
    assertThat(a.placeholders()).isEmpty();
    assertThat(a.functionsPackage()).isEqualTo(root.resolve(Artifacts.FUNCTIONS_PACKAGE));
  }

  @Test
  void aslPlaceholdersAreFoundAndAllKnown() {
    AslDefinition ingest = AslDefinition.read(TestStacks.aslFile("ingest-pipeline.asl.json"));
    assertThat(ingest.placeholders())
        .containsExactlyInAnyOrder(
            "IngestRouterFunctionArn",
            "RunRecorderFunctionArn",
            "BronzeJobName",
            "SilverCustomersJobName",
            "SilverProductsJobName",
            "SilverOrdersJobName",
            "GoldJobName",
            "AlertTopicArn");
    assertThat(OrchestrationConstruct.knownPlaceholders())
        .containsExactlyInAnyOrder(
            "IngestRouterFunctionArn",
            "RunRecorderFunctionArn",
            "TableAdminFunctionArn",
            "MaintenanceFunctionArn",
            "BronzeJobName",
            "SilverCustomersJobName",
            "SilverProductsJobName",
            "SilverOrdersJobName",
            "GoldJobName",
            "CompactionJobName",
            "AlertTopicArn",
            "WarehouseBucket",
            "LandingBucket");
    assertThat(OrchestrationConstruct.knownPlaceholders()).containsAll(ingest.placeholders());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> contextOf(String cdkJson) throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    return (Map<String, Object>) mapper.readValue(cdkJson, Map.class).get("context");
  }
}
