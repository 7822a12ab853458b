package dev.lakehouse.functions.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.catalog.CatalogFactory;
import dev.lakehouse.core.catalog.CatalogSettings;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Catalog;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Clients built from environment variables on first use, once per JVM: nothing connects during
 * class loading or in a SnapStart snapshot (the first invocation after restore builds them). Shared
 * by every handler in the JVM.
 */
public final class Clients {
  private static final Lazy<CatalogSettings> SETTINGS =
      Lazy.of(() -> CatalogSettings.fromEnvironment(System.getenv()));
  private static final Lazy<Catalog> CATALOG = Lazy.of(() -> CatalogFactory.create(SETTINGS.get()));
  private static final Lazy<S3Client> S3 = Lazy.of(() -> s3(SETTINGS.get(), System.getenv()));

  private Clients() {}

  public static Supplier<CatalogSettings> settings() {
    return SETTINGS;
  }

  public static Supplier<Catalog> catalog() {
    return CATALOG;
  }

  /**
   * SQS (the ingest queue) in the function's region; {@code AWS_ENDPOINT_URL_SQS} points it
   * elsewhere (emulators).
   */
  public static SqsClient sqs() {
    return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** Step Functions in the function's region; {@code AWS_ENDPOINT_URL_SFN} points it elsewhere. */
  public static SfnClient sfn() {
    return SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
  }

  public static Supplier<S3Client> s3() {
    return S3;
  }

  /**
   * An S3 client for the landing bucket: the catalog's endpoint, path style and keys when set
   * (local), else AWS defaults.
   */
  public static S3Client s3(CatalogSettings settings, Map<String, String> env) {
    var b = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
    String region =
        settings
            .region()
            .orElse(
                env.getOrDefault(
                    "AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")));
    b.region(Region.of(region));
    settings.s3Endpoint().ifPresent(e -> b.endpointOverride(URI.create(e)));
    if (settings.s3PathStyle()) {
      b.forcePathStyle(true);
    }
    if (settings.s3AccessKey().isPresent()) {
      b.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  settings.s3AccessKey().get(), settings.s3SecretKey().orElse(""))));
    } else {
      b.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return b.build();
  }

  /**
   * The current value of a Secrets Manager secret, read at each call (so a rotation is seen by the
   * next call): the secret string, or its {@code field} when the string is a JSON object. Empty
   * when {@code secretArn} is unset.
   */
  public static Supplier<Optional<String>> secret(String secretArn, String field) {
    if (secretArn == null || secretArn.isBlank()) {
      return Optional::empty;
    }
    Lazy<SecretsManagerClient> client =
        Lazy.of(
            () -> {
              String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
              return SecretsManagerClient.builder()
                  .httpClient(UrlConnectionHttpClient.create())
                  .region(Region.of(region))
                  .credentialsProvider(DefaultCredentialsProvider.builder().build())
                  .build();
            });
    return () ->
        Optional.of(
            secretValue(
                client.get().getSecretValue(b -> b.secretId(secretArn)).secretString(), field));
  }

  /** The secret string, or its {@code field} when it is a JSON object carrying one. */
  static String secretValue(String secret, String field) {
    String s = secret == null ? "" : secret.trim();
    if (s.startsWith("{")) {
      try {
        JsonNode node = new ObjectMapper().readTree(s);
        if (node.hasNonNull(field)) {
          return node.get(field).asText();
        }
      } catch (IOException notJson) {
        // a plain token that happens to start with a brace
      }
    }
    return s;
  }

  /** A thread-safe memoizing supplier. */
  public static final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    private Lazy(Supplier<T> factory) {
      this.factory = factory;
    }

    public static <T> Lazy<T> of(Supplier<T> factory) {
      return new Lazy<>(factory);
    }

    @Override
    public T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          v = value;
          if (v == null) {
            v = factory.get();
            value = v;
          }
        }
      }
      return v;
    }
  }
}
