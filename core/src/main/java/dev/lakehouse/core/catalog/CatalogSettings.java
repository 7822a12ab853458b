package dev.lakehouse.core.catalog;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to reach the lakehouse catalog, and the one place that turns it into Iceberg
 * catalog properties. The same properties configure {@link CatalogFactory} (Lambdas, CLI) and
 * Spark's {@code SparkCatalog} (jobs), so a Lambda and a Spark job can never disagree about where a
 * table lives.
 */
public final class CatalogSettings {
  /** Name of the Iceberg catalog inside Spark; it is also Spark's default catalog. */
  public static final String SPARK_CATALOG_NAME = "lakehouse";

  public static final String ENV_CATALOG = "LAKEHOUSE_CATALOG";
  public static final String ENV_WAREHOUSE = "LAKEHOUSE_WAREHOUSE";
  public static final String ENV_CATALOG_URI = "LAKEHOUSE_CATALOG_URI";
  public static final String ENV_S3_ENDPOINT = "LAKEHOUSE_S3_ENDPOINT";
  public static final String ENV_S3_PATH_STYLE = "LAKEHOUSE_S3_PATH_STYLE";
  public static final String ENV_S3_ACCESS_KEY = "LAKEHOUSE_S3_ACCESS_KEY";
  public static final String ENV_S3_SECRET_KEY = "LAKEHOUSE_S3_SECRET_KEY";
  public static final String ENV_GLUE_ENDPOINT = "LAKEHOUSE_GLUE_ENDPOINT";
  public static final String ENV_STS_ENDPOINT = "LAKEHOUSE_STS_ENDPOINT";
  public static final String ENV_REGION = "AWS_REGION";

  private final CatalogType type;
  private final String warehouse;
  private final String uri;
  private final String region;
  private final String s3Endpoint;
  private final boolean s3PathStyle;
  private final String s3AccessKey;
  private final String s3SecretKey;
  private final String glueEndpoint;
  private final String stsEndpoint;
  private final Map<String, String> extraProperties;

  private CatalogSettings(Builder b) {
    this.type = Objects.requireNonNull(b.type, "catalog type");
    this.warehouse = requireText(b.warehouse, "warehouse");
    this.uri = b.uri;
    this.region = b.region;
    this.s3Endpoint = b.s3Endpoint;
    this.s3PathStyle = b.s3PathStyle;
    this.s3AccessKey = b.s3AccessKey;
    this.s3SecretKey = b.s3SecretKey;
    this.glueEndpoint = b.glueEndpoint;
    this.stsEndpoint = b.stsEndpoint;
    this.extraProperties = Map.copyOf(b.extraProperties);
    if (type != CatalogType.GLUE && (uri == null || uri.isBlank())) {
      throw new IllegalArgumentException(
          type.name().toLowerCase() + " catalog needs a uri (" + ENV_CATALOG_URI + ")");
    }
  }

  public static Builder builder(CatalogType type) {
    return new Builder(type);
  }

  /**
   * The embedded default: SQLite catalog and a file-system warehouse inside the local lakehouse
   * home.
   */
  public static CatalogSettings embedded(Path home) {
    Path abs = home.toAbsolutePath().normalize();
    return builder(CatalogType.JDBC)
        .uri("jdbc:sqlite:" + abs.resolve("catalog.db"))
        .warehouse("file://" + abs.resolve("warehouse"))
        .build();
  }

  /**
   * Settings from environment variables (Lambdas, Glue jobs): {@code LAKEHOUSE_CATALOG}
   * (glue|jdbc|rest, default glue), {@code LAKEHOUSE_WAREHOUSE}, {@code LAKEHOUSE_CATALOG_URI},
   * endpoint overrides and {@code AWS_REGION}.
   */
  public static CatalogSettings fromEnvironment(Map<String, String> env) {
    Builder b =
        builder(CatalogType.parse(env.getOrDefault(ENV_CATALOG, "glue")))
            .warehouse(env.get(ENV_WAREHOUSE))
            .uri(env.get(ENV_CATALOG_URI))
            .region(env.get(ENV_REGION))
            .s3Endpoint(env.get(ENV_S3_ENDPOINT))
            .glueEndpoint(env.get(ENV_GLUE_ENDPOINT))
            .stsEndpoint(env.get(ENV_STS_ENDPOINT));
    if (env.containsKey(ENV_S3_PATH_STYLE)) {
      b.s3PathStyle(Boolean.parseBoolean(env.get(ENV_S3_PATH_STYLE)));
    }
    if (env.containsKey(ENV_S3_ACCESS_KEY)) {
      b.s3Credentials(env.get(ENV_S3_ACCESS_KEY), env.get(ENV_S3_SECRET_KEY));
    }
    return b.build();
  }

  /**
   * The inverse of {@link #fromEnvironment}: what a child process or a deployed function needs in
   * its environment.
   */
  public Map<String, String> toEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_CATALOG, type.name().toLowerCase());
    env.put(ENV_WAREHOUSE, warehouse);
    putIfPresent(env, ENV_CATALOG_URI, uri);
    putIfPresent(env, ENV_REGION, region);
    putIfPresent(env, ENV_S3_ENDPOINT, s3Endpoint);
    if (s3PathStyle) {
      env.put(ENV_S3_PATH_STYLE, "true");
    }
    putIfPresent(env, ENV_S3_ACCESS_KEY, s3AccessKey);
    putIfPresent(env, ENV_S3_SECRET_KEY, s3SecretKey);
    putIfPresent(env, ENV_GLUE_ENDPOINT, glueEndpoint);
    putIfPresent(env, ENV_STS_ENDPOINT, stsEndpoint);
    return env;
  }

  /**
   * Iceberg catalog properties, valid both for {@code CatalogUtil.buildIcebergCatalog} and Spark's
   * SparkCatalog.
   */
  public Map<String, String> icebergProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("warehouse", warehouse);
    switch (type) {
      case GLUE -> {
        p.put("catalog-impl", "org.apache.iceberg.aws.glue.GlueCatalog");
        p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        // Glue's optimistic locking: commits fail (and retry) instead of overwriting each other.
        p.put("glue.skip-name-validation", "false");
        putIfPresent(p, "glue.endpoint", glueEndpoint);
      }
      case JDBC -> {
        p.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        p.put("uri", uri);
        // V1 adds view support and the record type column; SQLite needs it set explicitly on first
        // use.
        p.put("jdbc.schema-version", "V1");
        if (uri.startsWith("jdbc:sqlite:")) {
          // Several processes (CLI, tests, a second ingest) may commit to one file: wait for the
          // lock, don't fail.
          p.put("jdbc.busy_timeout", "30000");
          p.put("jdbc.journal_mode", "WAL");
          p.put("clients", "1");
        }
        if (isS3Warehouse()) {
          p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        }
      }
      case REST -> {
        p.put("type", "rest");
        p.put("uri", uri);
        if (uri.contains(".amazonaws.com")) {
          p.put("rest.sigv4-enabled", "true");
          p.put("rest.signing-name", uri.contains("s3tables") ? "s3tables" : "glue");
          putIfPresent(p, "rest.signing-region", region);
        }
      }
    }
    putIfPresent(p, "client.region", region);
    if (s3Endpoint != null) {
      p.put("s3.endpoint", s3Endpoint);
      // An endpoint override is a server on this machine or network: retry its hiccups (503,
      // resets) quickly
      // instead of AWS's 5 retries with waits of up to 20 s, so an outage fails a job in seconds,
      // not minutes.
      p.putIfAbsent("s3.retry.num-retries", "3");
      p.putIfAbsent("s3.retry.min-wait-ms", "200");
      p.putIfAbsent("s3.retry.max-wait-ms", "1000");
    }
    if (s3PathStyle) {
      p.put("s3.path-style-access", "true");
    }
    if (s3AccessKey != null) {
      p.put("s3.access-key-id", s3AccessKey);
      p.put("s3.secret-access-key", s3SecretKey);
    }
    putIfPresent(p, "sts.endpoint", stsEndpoint);
    p.putAll(extraProperties);
    return p;
  }

  /**
   * Spark configuration registering the catalog as {@value #SPARK_CATALOG_NAME} and making it the
   * default.
   */
  /** Iceberg's SQL extensions (MERGE, CALL, ...): session-wide, fixed when the session starts. */
  public static final String SPARK_EXTENSIONS_CONF = "spark.sql.extensions";

  public static final String SPARK_EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

  public Map<String, String> sparkConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    String prefix = "spark.sql.catalog." + SPARK_CATALOG_NAME;
    conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    icebergProperties().forEach((k, v) -> conf.put(prefix + "." + k, v));
    // Lambdas and other processes commit to the same tables (run log, maintenance): never read a
    // stale cached table.
    conf.put(prefix + ".cache-enabled", "false");
    conf.put("spark.sql.defaultCatalog", SPARK_CATALOG_NAME);
    conf.put(SPARK_EXTENSIONS_CONF, SPARK_EXTENSIONS);
    return conf;
  }

  public boolean isS3Warehouse() {
    return warehouse.startsWith("s3://") || warehouse.startsWith("s3a://");
  }

  public CatalogType type() {
    return type;
  }

  public String warehouse() {
    return warehouse;
  }

  public Optional<String> uri() {
    return Optional.ofNullable(uri);
  }

  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  public Optional<String> s3Endpoint() {
    return Optional.ofNullable(s3Endpoint);
  }

  public boolean s3PathStyle() {
    return s3PathStyle;
  }

  public Optional<String> s3AccessKey() {
    return Optional.ofNullable(s3AccessKey);
  }

  public Optional<String> s3SecretKey() {
    return Optional.ofNullable(s3SecretKey);
  }

  /**
   * Location of a table inside the warehouse, under its zone prefix: {@code
   * <warehouse>/raw/raw_orders}.
   */
  public String tableLocation(String zonePrefix, String tableName) {
    String root = warehouse.endsWith("/") ? warehouse : warehouse + "/";
    return root + zonePrefix + "/" + tableName;
  }

  @Override
  public String toString() {
    return type.name().toLowerCase()
        + " catalog"
        + (uri == null ? "" : " at " + uri)
        + ", warehouse "
        + warehouse;
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isBlank()) {
      map.put(key, value);
    }
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("catalog " + what + " is not set (" + ENV_WAREHOUSE + ")");
    }
    return value;
  }

  public static final class Builder {
    private final CatalogType type;
    private String warehouse;
    private String uri;
    private String region;
    private String s3Endpoint;
    private boolean s3PathStyle;
    private String s3AccessKey;
    private String s3SecretKey;
    private String glueEndpoint;
    private String stsEndpoint;
    private final Map<String, String> extraProperties = new LinkedHashMap<>();

    private Builder(CatalogType type) {
      this.type = type;
    }

    public Builder warehouse(String value) {
      this.warehouse = value;
      return this;
    }

    public Builder uri(String value) {
      this.uri = value;
      return this;
    }

    public Builder region(String value) {
      this.region = value;
      return this;
    }

    /**
     * An S3-compatible endpoint (LocalStack, a local S3 server). Path-style addressing usually goes
     * with it.
     */
    public Builder s3Endpoint(String value) {
      this.s3Endpoint = value;
      return this;
    }

    public Builder s3PathStyle(boolean value) {
      this.s3PathStyle = value;
      return this;
    }

    /**
     * Static keys for a local S3-compatible server only; on AWS the default credentials chain is
     * used.
     */
    public Builder s3Credentials(String accessKey, String secretKey) {
      this.s3AccessKey = accessKey;
      this.s3SecretKey = secretKey;
      return this;
    }

    public Builder glueEndpoint(String value) {
      this.glueEndpoint = value;
      return this;
    }

    public Builder stsEndpoint(String value) {
      this.stsEndpoint = value;
      return this;
    }

    public Builder property(String key, String value) {
      this.extraProperties.put(key, value);
      return this;
    }

    public CatalogSettings build() {
      return new CatalogSettings(this);
    }
  }
}
