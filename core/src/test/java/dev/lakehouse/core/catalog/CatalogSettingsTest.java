package dev.lakehouse.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogSettingsTest {

  @Test
  void embeddedDefaultIsSqliteInTheHome() {
    CatalogSettings settings = CatalogSettings.embedded(Path.of("/tmp/lh"));
    assertThat(settings.icebergProperties())
        .containsEntry("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
        .containsEntry("uri", "jdbc:sqlite:/tmp/lh/catalog.db")
        .containsEntry("warehouse", "file:///tmp/lh/warehouse")
        .containsEntry("jdbc.schema-version", "V1")
        .containsEntry("jdbc.busy_timeout", "30000")
        .doesNotContainKey("io-impl");
  }

  @Test
  void glueFromEnvironmentUsesS3FileIoAndEndpointOverrides() {
    CatalogSettings settings =
        CatalogSettings.fromEnvironment(
            Map.of(
                "LAKEHOUSE_WAREHOUSE", "s3://wh-bucket/",
                "AWS_REGION", "eu-west-1",
                "LAKEHOUSE_GLUE_ENDPOINT", "http://localhost:4566",
                "LAKEHOUSE_S3_ENDPOINT", "http://localhost:4566",
                "LAKEHOUSE_S3_PATH_STYLE", "true"));
    assertThat(settings.type()).isEqualTo(CatalogType.GLUE);
    assertThat(settings.icebergProperties())
        .containsEntry("catalog-impl", "org.apache.iceberg.aws.glue.GlueCatalog")
        .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
        .containsEntry("glue.endpoint", "http://localhost:4566")
        .containsEntry("s3.endpoint", "http://localhost:4566")
        .containsEntry("s3.path-style-access", "true")
        .containsEntry("s3.retry.num-retries", "3")
        .containsEntry("s3.retry.max-wait-ms", "1000")
        .containsEntry("client.region", "eu-west-1");
    assertThat(CatalogSettings.fromEnvironment(settings.toEnvironment()).icebergProperties())
        .isEqualTo(settings.icebergProperties());
  }

  @Test
  void restCatalogOnAwsSignsRequests() {
    CatalogSettings settings =
        CatalogSettings.builder(CatalogType.REST)
            .uri("https://glue.eu-west-1.amazonaws.com/iceberg")
            .warehouse("123456789012")
            .region("eu-west-1")
            .build();
    assertThat(settings.icebergProperties())
        .containsEntry("type", "rest")
        .containsEntry("rest.sigv4-enabled", "true")
        .containsEntry("rest.signing-name", "glue")
        .containsEntry("rest.signing-region", "eu-west-1");
  }

  @Test
  void sparkConfRegistersTheCatalogAsDefault() {
    Map<String, String> conf = CatalogSettings.embedded(Path.of("/tmp/lh")).sparkConf();
    assertThat(conf)
        .containsEntry("spark.sql.catalog.lakehouse", "org.apache.iceberg.spark.SparkCatalog")
        .containsEntry("spark.sql.catalog.lakehouse.uri", "jdbc:sqlite:/tmp/lh/catalog.db")
        .containsEntry("spark.sql.defaultCatalog", "lakehouse");
  }

  @Test
  void badSettingsFailWithAClearMessage() {
    assertThatThrownBy(
            () ->
                CatalogSettings.fromEnvironment(
                    Map.of("LAKEHOUSE_CATALOG", "hive", "LAKEHOUSE_WAREHOUSE", "x")))
        .hasMessage("unknown catalog type 'hive'; expected one of glue, jdbc, rest");
    assertThatThrownBy(() -> CatalogSettings.fromEnvironment(Map.of()))
        .hasMessage("catalog warehouse is not set (LAKEHOUSE_WAREHOUSE)");
    assertThatThrownBy(
            () ->
                CatalogSettings.fromEnvironment(
                    Map.of("LAKEHOUSE_CATALOG", "jdbc", "LAKEHOUSE_WAREHOUSE", "/w")))
        .hasMessage("jdbc catalog needs a uri (LAKEHOUSE_CATALOG_URI)");
  }
}
