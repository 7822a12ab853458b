package dev.lakehouse.infra;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.CatalogType;
import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.ingest.IngestRouter;
import dev.lakehouse.core.resources.LakehouseFunction;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.Zone;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The four Java Lambdas of the {@code functions} module, one shaded jar. Each gets its own role
 * with exactly the S3 prefixes, Glue tables and key actions it needs, its own KMS-encrypted log
 * group, X-Ray tracing, SnapStart on published versions and a {@value #ALIAS} alias: everything
 * else (state machines, the custom resource) invokes the alias, so calls always hit a
 * SnapStart-enabled version.
 */
public final class FunctionsConstruct extends Construct {
  public static final String ALIAS = "live";
  public static final Runtime RUNTIME = Runtime.JAVA_21;

  /**
   * How each function is deployed: its sizing here, what it is (handler, name, placeholder) in
   * {@link LakehouseFunction}. Reserved concurrency protects the catalog from commit storms.
   */
  public enum Spec {
    // Claiming a batch routes up to lakehouse:batchMaxObjects objects (at most 1,000) in one
    // invocation.
    INGEST_ROUTER(LakehouseFunction.INGEST_ROUTER, 1024, 300, null),
    TABLE_ADMIN(LakehouseFunction.TABLE_ADMIN, 1024, 300, 1),
    MAINTENANCE(LakehouseFunction.MAINTENANCE, 2048, 900, 2),
    RUN_RECORDER(LakehouseFunction.RUN_RECORDER, 1024, 60, 5);

    final LakehouseFunction function;
    final String id;
    final String handlerClass;
    final String serviceName;
    final int memoryMb;
    final int timeoutSeconds;
    final Integer reservedConcurrency;
    final String description;

    Spec(
        LakehouseFunction function, int memoryMb, int timeoutSeconds, Integer reservedConcurrency) {
      this.function = function;
      this.id = function.id();
      this.handlerClass = function.handlerClass();
      this.serviceName = function.nameSuffix();
      this.memoryMb = memoryMb;
      this.timeoutSeconds = timeoutSeconds;
      this.reservedConcurrency = reservedConcurrency;
      this.description = function.description();
    }

    public String handler() {
      return function.handler();
    }
  }

  private final Map<Spec, Function> functions = new LinkedHashMap<>();
  private final Map<Spec, Alias> aliases = new LinkedHashMap<>();
  private final Map<Spec, Role> roles = new LinkedHashMap<>();

  public FunctionsConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      IngestQueueConstruct ingestQueue,
      Path functionsPackage) {
    super(scope, id);
    Code code = Code.fromAsset(functionsPackage.toString());
    Map<String, String> catalogEnv =
        CatalogSettings.builder(CatalogType.GLUE)
            .warehouse(storage.warehouseUri())
            .build()
            .toEnvironment();

    for (Spec spec : Spec.values()) {
      Role role =
          Role.Builder.create(this, spec.id + "Role")
              .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
              .description("Lakehouse " + spec.id + " function: least privilege, see docs/infra.md")
              .build();
      LogGroup logs =
          LogGroup.Builder.create(this, spec.id + "Logs")
              .encryptionKey(storage.key())
              .retention(config.logRetention())
              .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
              .build();
      logs.grantWrite(role);
      statementsFor(spec, config, storage, ingestQueue).forEach(role::addToPolicy);

      Map<String, String> env = new LinkedHashMap<>(catalogEnv);
      env.put("LANDING_BUCKET", storage.landingBucket().getBucketName());
      env.put("MAX_OBJECT_BYTES", Long.toString(config.maxObjectBytes()));
      env.put("POWERTOOLS_SERVICE_NAME", spec.serviceName);
      env.put("POWERTOOLS_METRICS_NAMESPACE", "Lakehouse");
      env.put("POWERTOOLS_LOG_LEVEL", config.powertoolsLogLevel());
      // Cold starts: C1 only (SnapStart restores a warmed snapshot anyway).
      env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
      if (spec == Spec.INGEST_ROUTER) {
        env.putAll(batchEnvironment(config.batch(), ingestQueue));
      }

      Function.Builder fn =
          Function.Builder.create(this, spec.id)
              .description(spec.description)
              .runtime(RUNTIME)
              .architecture(Architecture.X86_64)
              .handler(spec.handler())
              .code(code)
              .memorySize(spec.memoryMb)
              .timeout(Duration.seconds(spec.timeoutSeconds))
              .role(role)
              .environment(env)
              .environmentEncryption(storage.key())
              .tracing(Tracing.ACTIVE)
              .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
              .logGroup(logs)
              .loggingFormat(LoggingFormat.JSON);
      if (config.reservedConcurrency() && spec.reservedConcurrency != null) {
        fn.reservedConcurrentExecutions(spec.reservedConcurrency);
      }
      Function function = fn.build();
      // The warning says SnapStart applies to published versions only: the alias below publishes
      // one.
      Annotations.of(function)
          .acknowledgeWarning(
              "@aws-cdk/aws-lambda:snapStartRequirePublish",
              "Invoked only through the " + ALIAS + " alias on a published version");
      Alias alias =
          Alias.Builder.create(this, spec.id + "Alias")
              .aliasName(ALIAS)
              .version(function.getCurrentVersion())
              .build();
      functions.put(spec, function);
      aliases.put(spec, alias);
      roles.put(spec, role);
    }
  }

  /**
   * Per-function access. Every function reads the catalog; the data it reads or writes decides the
   * prefixes:
   *
   * <ul>
   *   <li>IngestRouter: landed objects (HEAD/GET under {@code landing/}) and the run log, to skip
   *       already-ingested ETags; a rejected object is moved: copied (with its tags) under {@code
   *       rejected/}, encrypted with the stack key, then deleted from {@code landing/}. It may list
   *       the landing bucket: without s3:ListBucket, S3 answers HEAD on a missing key with 403
   *       instead of 404, and a 403 cannot tell "gone" (or "URL-encoded key") from "forbidden". The
   *       404 decision is made without a prefix in the request, so that grant cannot carry an
   *       s3:prefix condition.
   *   <li>TableAdmin: creates tables, writing their first metadata file under every zone.
   *   <li>Maintenance: rewrites metadata and deletes expired and orphan files under every zone.
   *   <li>RunRecorder: appends to {@code pipeline_runs} under {@code operations/}, and reads the
   *       batch manifests (under {@code batches/} in the landing bucket) to record each object of a
   *       batch.
   * </ul>
   *
   * The router also claims and acknowledges batches: it receives, releases and deletes the ingest
   * queue's messages (and reads its depth), lists the ingest state machine's executions (one batch
   * at a time), and writes the batch manifest. The KMS grant already holds kms:Decrypt, which
   * receiving from the encrypted queue needs.
   */
  static List<PolicyStatement> statementsFor(
      Spec spec,
      LakehouseConfig config,
      StorageConstruct storage,
      IngestQueueConstruct ingestQueue) {
    List<PolicyStatement> s = new ArrayList<>();
    EnumSet<Zone> allZones = EnumSet.allOf(Zone.class);
    switch (spec) {
      case INGEST_ROUTER -> {
        String rejected = IngestRouter.Settings.defaults().rejectedPrefix();
        s.add(
            Access.s3Objects(
                storage.landingBucket(),
                List.of("s3:GetObject", "s3:DeleteObject"),
                List.of(SourceEntity.LANDING_ROOT)));
        s.add(
            Access.s3Objects(
                storage.landingBucket(),
                List.of("s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload"),
                List.of(rejected)));
        s.add(
            PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(storage.landingBucket().getBucketArn()))
                .build());
        s.add(
            Access.s3Objects(
                storage.warehouseBucket(),
                Access.S3_READ,
                List.of(Access.zonePrefix(Zone.OPERATIONS))));
        s.add(Access.glue(Access.GLUE_READ, List.of(LakehouseTables.PIPELINE_RUNS)));
        s.add(Access.kms(storage.key(), Access.KMS_WRITE));
        s.add(
            Access.s3Objects(
                storage.landingBucket(),
                List.of("s3:GetObject", "s3:PutObject"),
                List.of(BatchSettings.MANIFEST_PREFIX)));
        s.add(
            PolicyStatement.Builder.create()
                .actions(
                    List.of(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes"))
                .resources(List.of(ingestQueue.queue().getQueueArn()))
                .build());
        s.add(
            PolicyStatement.Builder.create()
                .actions(List.of("states:ListExecutions"))
                .resources(List.of(OrchestrationConstruct.ingestPipelineArn(config)))
                .build());
      }
      case TABLE_ADMIN -> {
        s.add(
            Access.s3Objects(
                storage.warehouseBucket(),
                List.of("s3:GetObject", "s3:PutObject"),
                Access.zonePrefixes(allZones)));
        s.add(Access.s3List(storage.warehouseBucket(), Access.zonePrefixes(allZones)));
        s.add(Access.glue(Access.GLUE_CREATE, LakehouseTables.all()));
        s.add(Access.kms(storage.key(), Access.KMS_WRITE));
      }
      case MAINTENANCE -> {
        s.add(
            Access.s3Objects(
                storage.warehouseBucket(), Access.S3_WRITE, Access.zonePrefixes(allZones)));
        s.add(Access.s3List(storage.warehouseBucket(), Access.zonePrefixes(allZones)));
        s.add(Access.glue(Access.GLUE_COMMIT, LakehouseTables.all()));
        s.add(Access.kms(storage.key(), Access.KMS_WRITE));
      }
      case RUN_RECORDER -> {
        String runs =
            Access.zonePrefix(Zone.OPERATIONS) + LakehouseTables.PIPELINE_RUNS.name() + "/";
        s.add(Access.s3Objects(storage.warehouseBucket(), Access.S3_WRITE, List.of(runs)));
        s.add(
            Access.s3Objects(
                storage.landingBucket(), Access.S3_READ, List.of(BatchSettings.MANIFEST_PREFIX)));
        s.add(Access.glue(Access.GLUE_COMMIT, List.of(LakehouseTables.PIPELINE_RUNS)));
        s.add(Access.kms(storage.key(), Access.KMS_WRITE));
      }
      default -> throw new IllegalStateException(spec.name());
    }
    return s;
  }

  /**
   * The router's batching environment: the queue it claims from, and the batch settings the stack
   * was given.
   */
  static Map<String, String> batchEnvironment(
      BatchSettings batch, IngestQueueConstruct ingestQueue) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(BatchSettings.ENV_QUEUE_URL, ingestQueue.queue().getQueueUrl());
    env.put(BatchSettings.ENV_MAX_OBJECTS, Integer.toString(batch.maxObjects()));
    env.put(BatchSettings.ENV_WINDOW_SECONDS, Integer.toString(batch.windowSeconds()));
    env.put(BatchSettings.ENV_LEASE_SECONDS, Integer.toString(batch.leaseSeconds()));
    env.put(BatchSettings.ENV_MAX_PASSES, Integer.toString(batch.maxPasses()));
    return env;
  }

  public Function function(Spec spec) {
    return functions.get(spec);
  }

  public Alias alias(Spec spec) {
    return aliases.get(spec);
  }

  public Role role(Spec spec) {
    return roles.get(spec);
  }

  public Map<Spec, Function> functions() {
    return Map.copyOf(functions);
  }

  public Map<Spec, Role> roles() {
    return Map.copyOf(roles);
  }
}
