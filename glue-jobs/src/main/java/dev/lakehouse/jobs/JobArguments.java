package dev.lakehouse.jobs;

import dev.lakehouse.core.catalog.CatalogSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * Arguments every job takes, Glue-style ({@code --JOB_NAME x --execution-id y}). Catalog options
 * default to the environment ({@link CatalogSettings#fromEnvironment}) so a Glue job can be
 * configured either way.
 */
public final class JobArguments {
  @Option(names = "--JOB_NAME", description = "Glue passes the job name.")
  public String jobName;

  @Option(
      names = {"--execution-id", "--EXECUTION_ID"},
      description = "The pipeline execution this run belongs to.")
  public String executionId;

  @Option(
      names = "--catalog",
      description = "glue | jdbc | rest (default: env LAKEHOUSE_CATALOG, else glue).")
  public String catalog;

  @Option(
      names = "--warehouse",
      description = "Warehouse root, e.g. s3://bucket/ (default: env LAKEHOUSE_WAREHOUSE).")
  public String warehouse;

  @Option(names = "--catalog-uri", description = "JDBC or REST catalog URI.")
  public String catalogUri;

  @Option(names = "--s3-endpoint", description = "S3-compatible endpoint override.")
  public String s3Endpoint;

  @Option(names = "--region", description = "AWS region.")
  public String region;

  @Option(
      names = "--local",
      description = "Start Spark local[*] instead of using the platform's session.")
  public boolean local;

  public String executionIdOrNew() {
    if (executionId == null || executionId.isBlank()) {
      executionId = "manual-" + UUID.randomUUID();
    }
    return executionId;
  }

  public CatalogSettings catalogSettings() {
    Map<String, String> env = new HashMap<>(System.getenv());
    putIfSet(env, CatalogSettings.ENV_CATALOG, catalog);
    putIfSet(env, CatalogSettings.ENV_WAREHOUSE, warehouse);
    putIfSet(env, CatalogSettings.ENV_CATALOG_URI, catalogUri);
    putIfSet(env, CatalogSettings.ENV_S3_ENDPOINT, s3Endpoint);
    putIfSet(env, CatalogSettings.ENV_REGION, region);
    if (s3Endpoint != null) {
      env.putIfAbsent(CatalogSettings.ENV_S3_PATH_STYLE, "true");
    }
    return CatalogSettings.fromEnvironment(env);
  }

  private static void putIfSet(Map<String, String> env, String key, String value) {
    if (value != null && !value.isBlank()) {
      env.put(key, value);
    }
  }
}
