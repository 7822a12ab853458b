package dev.lakehouse.infra;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.CatalogType;
import dev.lakehouse.core.ingest.BatchSettings;
import dev.lakehouse.core.jobs.SparkJobs;
import dev.lakehouse.core.jobs.SparkJobs.Family;
import dev.lakehouse.core.jobs.SparkJobs.JobSpec;
import dev.lakehouse.core.tables.SourceEntity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The Glue Spark jobs: bronze ingest, one silver job per source entity, gold, and compaction. All
 * run the shaded {@code glue-jobs} jar on Glue 5.0 (Spark 3.5, Java 17) with the Iceberg runtime it
 * carries, against the Glue Data Catalog through Iceberg's GlueCatalog; the Spark configuration
 * comes from {@link CatalogSettings#sparkConf()}, the same map the local stack and the tests use.
 * One role per job family, scoped to the zones that family reads and writes; one security
 * configuration encrypting S3 output, logs and bookmarks with the stack key.
 *
 * <p>With {@code lakehouse:compute=emr-serverless} the same jar runs on EMR Serverless instead
 * ({@link EmrServerlessJobs}): no Glue job, role or security configuration is made, and the family
 * roles are the execution roles, with the same data statements ({@link #dataStatements}).
 */
public final class JobsConstruct extends Construct {
  public static final String GLUE_VERSION = "5.0";

  /**
   * The jobs, their main classes and fixed arguments: one list for every engine (see {@link
   * SparkJobs}).
   */
  public static List<JobSpec> specs() {
    return SparkJobs.all();
  }

  private final Map<String, CfnJob> jobs = new LinkedHashMap<>();
  private final Map<Family, Role> roles = new LinkedHashMap<>();
  private final CfnSecurityConfiguration securityConfiguration;
  private final String logGroupPrefix;
  private final List<LogGroup> logGroups;
  private final EmrServerlessJobs emrServerless;
  private final Asset jar;
  private final Asset script;
  private final boolean viaScript;

  public JobsConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      Artifacts artifacts) {
    super(scope, id);
    String prefix = config.namePrefix();
    this.jar =
        Asset.Builder.create(this, "JobJar").path(artifacts.glueJobsJar().toString()).build();
    if (config.compute() == LakehouseConfig.Compute.EMR_SERVERLESS) {
      // The same jar on EMR Serverless: no Glue job, role, security configuration or Glue log
      // group.
      this.emrServerless = new EmrServerlessJobs(this, "EmrServerless", config, storage, jar);
      this.roles.putAll(emrServerless.roles());
      this.securityConfiguration = null;
      this.logGroupPrefix = emrServerless.logGroupName();
      this.logGroups = List.of(emrServerless.logGroup());
      this.script = null;
      this.viaScript = false;
      return;
    }
    this.emrServerless = null;
    this.viaScript = config.glueEntryPoint() == LakehouseConfig.GlueEntryPoint.SCRIPT;
    this.script =
        Asset.Builder.create(this, "JobScript")
            .path(
                (viaScript ? artifacts.glueLauncherScript() : artifacts.glueStubScript())
                    .toString())
            .build();

    this.securityConfiguration = securityConfiguration(this, prefix + "-jobs", storage);

    // Glue 5.0 logs every job in real time (continuous logging is a Glue <= 4.0 option) to
    // <prefix>/error (driver,
    // executors, Spark) and <prefix>/output (stdout/stderr); --custom-logGroup-prefix names the
    // prefix. The groups
    // are created here so they are encrypted with the stack key and expire.
    this.logGroupPrefix = "/aws-glue/" + prefix + "/jobs";
    this.logGroups = new java.util.ArrayList<>();
    for (String stream : List.of("error", "output")) {
      logGroups.add(
          LogGroup.Builder.create(this, capitalize(stream) + "Logs")
              .logGroupName(logGroupPrefix + "/" + stream)
              .encryptionKey(storage.key())
              .retention(config.logRetention())
              .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
              .build());
    }

    for (Family family : Family.values()) {
      Role role =
          Role.Builder.create(this, capitalize(family.name().toLowerCase()) + "JobRole")
              .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
              .description(
                  "Lakehouse "
                      + family.name().toLowerCase()
                      + " Glue jobs: least privilege, see docs/infra.md")
              .build();
      statementsFor(family, storage, jar, script, logGroupPrefix).forEach(role::addToPolicy);
      roles.put(family, role);
    }

    for (JobSpec spec : specs()) {
      Map<String, String> args = glueArguments(spec, storage);

      CfnJob job =
          CfnJob.Builder.create(this, spec.id())
              .name(prefix + "-" + spec.nameSuffix())
              .description(
                  spec.simpleClassName()
                      + (spec.arguments().isEmpty() ? "" : " " + spec.arguments()))
              .role(roles.get(spec.family()).getRoleArn())
              .command(
                  CfnJob.JobCommandProperty.builder()
                      .name("glueetl")
                      .scriptLocation(script.getS3ObjectUrl())
                      .build())
              .glueVersion(GLUE_VERSION)
              .workerType(config.glueWorkerType())
              .numberOfWorkers(config.glueNumberOfWorkers())
              .timeout(config.glueTimeoutMinutes())
              // Retries belong to the state machine, which knows whether a step is safe to repeat.
              .maxRetries(0)
              // A run beyond the concurrency limit waits in Glue's queue instead of failing: a
              // safety net under the
              // ingest batches, which already run one at a time (compaction is started per table by
              // maintenance).
              .jobRunQueuingEnabled(spec.family() == Family.COMPACTION ? null : true)
              .executionProperty(
                  CfnJob.ExecutionPropertyProperty.builder()
                      .maxConcurrentRuns(spec.maxConcurrentRuns())
                      .build())
              .securityConfiguration(securityConfiguration.getRef())
              .defaultArguments(args)
              .build();
      jobs.put(spec.id(), job);
    }
  }

  /**
   * A Glue job's default arguments: how Glue reaches its Java main in the job jar, logging, scratch
   * space, the Spark and catalog configuration, then the job's own fixed arguments.
   */
  Map<String, String> glueArguments(JobSpec spec, StorageConstruct storage) {
    String warehouse = storage.warehouseUri();
    String sparkConf =
        sparkConf(warehouse).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            // Glue accepts one --conf argument; further pairs are chained inside its value.
            .collect(Collectors.joining(" --conf "));
    Map<String, String> args = new LinkedHashMap<>();
    args.put("--job-language", "scala");
    args.put("--class", viaScript ? "Lakehouse" + spec.simpleClassName() : spec.mainClass());
    args.put("--extra-jars", jar.getS3ObjectUrl());
    // The jar ships only what Glue 5.0 lacks (Iceberg 1.12's Spark runtime, picocli, our code) and
    // its own AWS SDK relocated, so putting it first shadows nothing of Glue's runtime; it only
    // makes sure our Iceberg is the one loaded (docs/jobs.md, "The job class path").
    args.put("--user-jars-first", "true");
    args.put("--job-bookmark-option", "job-bookmark-disable");
    args.put("--enable-metrics", "true");
    args.put("--enable-observability-metrics", "true");
    args.put("--custom-logGroup-prefix", logGroupPrefix);
    args.put(
        "--TempDir",
        "s3://"
            + storage.warehouseBucket().getBucketName()
            + "/"
            + StorageConstruct.TEMPORARY_PREFIX
            + "glue/"
            + spec.nameSuffix()
            + "/");
    args.put("--conf", sparkConf);
    args.putAll(catalogArguments(warehouse));
    args.putAll(spec.arguments());
    return args;
  }

  /** The job jar and the script Glue starts it through (Glue only; null on EMR Serverless). */
  Asset jobJar() {
    return jar;
  }

  Asset jobScript() {
    return script;
  }

  /** The security configuration every Glue job runs with (null on EMR Serverless). */
  CfnSecurityConfiguration securityConfiguration() {
    return securityConfiguration;
  }

  /**
   * A security configuration encrypting a Glue job's S3 output, logs and bookmarks with the stack
   * key.
   */
  static CfnSecurityConfiguration securityConfiguration(
      Construct scope, String name, StorageConstruct storage) {
    return CfnSecurityConfiguration.Builder.create(scope, "SecurityConfiguration")
        .name(name)
        .encryptionConfiguration(
            CfnSecurityConfiguration.EncryptionConfigurationProperty.builder()
                .s3Encryptions(
                    List.of(
                        CfnSecurityConfiguration.S3EncryptionProperty.builder()
                            .s3EncryptionMode("SSE-KMS")
                            .kmsKeyArn(storage.key().getKeyArn())
                            .build()))
                .cloudWatchEncryption(
                    CfnSecurityConfiguration.CloudWatchEncryptionProperty.builder()
                        .cloudWatchEncryptionMode("SSE-KMS")
                        .kmsKeyArn(storage.key().getKeyArn())
                        .build())
                .jobBookmarksEncryption(
                    CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                        .jobBookmarksEncryptionMode("CSE-KMS")
                        .kmsKeyArn(storage.key().getKeyArn())
                        .build())
                .build())
        .build();
  }

  /**
   * The Spark configuration of every job, on either engine: Iceberg's GlueCatalog over the
   * warehouse.
   */
  static Map<String, String> sparkConf(String warehouse) {
    return CatalogSettings.builder(CatalogType.GLUE).warehouse(warehouse).build().sparkConf();
  }

  /** The catalog options every job gets before its own arguments (Glue: default arguments). */
  static Map<String, String> catalogArguments(String warehouse) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("--catalog", "glue");
    args.put("--warehouse", warehouse);
    return args;
  }

  static List<PolicyStatement> statementsFor(
      Family family, StorageConstruct storage, Asset jar, Asset script, String logGroupPrefix) {
    List<PolicyStatement> s = new ArrayList<>();
    s.add(codeObjects(List.of(jar, script)));
    s.addAll(dataStatements(family, storage, List.of(StorageConstruct.TEMPORARY_PREFIX + "glue/")));
    s.addAll(glueRuntimeStatements(logGroupPrefix));
    return s;
  }

  /** What every Glue job needs beside its data: its log groups and Glue's job metrics. */
  static List<PolicyStatement> glueRuntimeStatements(String logGroupPrefix) {
    List<PolicyStatement> s = new ArrayList<>();
    // Glue 5.0 writes to <prefix>/error and <prefix>/output; with a security configuration that
    // encrypts CloudWatch
    // logs, Glue names encrypted groups after the prefix, the role and the configuration (and may
    // create them), so the
    // grant covers the prefix, not only the two groups created above.
    s.add(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:AssociateKmsKey"))
            .resources(List.of(logGroupsUnder(logGroupPrefix)))
            .build());
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("cloudwatch:PutMetricData"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Glue")))
            .build());
    return s;
  }

  /** The job code: exactly these asset objects. */
  static PolicyStatement codeObjects(List<Asset> assets) {
    return PolicyStatement.Builder.create()
        .actions(List.of("s3:GetObject"))
        .resources(
            assets.stream().map(a -> a.getBucket().arnForObjects(a.getS3ObjectKey())).toList())
        .build();
  }

  /**
   * What a family's jobs read and write, whichever engine runs them: landing objects and batch
   * manifests (bronze), the zones' prefixes in the warehouse plus the engine's {@code
   * scratchPrefixes}, the zones' catalog tables, and the stack key.
   */
  static List<PolicyStatement> dataStatements(
      Family family, StorageConstruct storage, List<String> scratchPrefixes) {
    List<PolicyStatement> s = new ArrayList<>();
    if (family.readsLanding) {
      // Landed objects, and the manifest naming a batch's objects.
      s.add(Access.s3Objects(storage.landingBucket(), Access.S3_READ, landingReads()));
      s.add(Access.s3List(storage.landingBucket(), List.of(SourceEntity.LANDING_ROOT)));
    }
    List<String> readPrefixes = Access.zonePrefixes(family.reads);
    List<String> writePrefixes = new ArrayList<>(Access.zonePrefixes(family.writes));
    writePrefixes.addAll(scratchPrefixes);
    if (!readPrefixes.isEmpty()) {
      s.add(Access.s3Objects(storage.warehouseBucket(), Access.S3_READ, readPrefixes));
    }
    s.add(Access.s3Objects(storage.warehouseBucket(), Access.S3_WRITE, writePrefixes));
    List<String> listable = new ArrayList<>(readPrefixes);
    listable.addAll(writePrefixes);
    s.add(Access.s3List(storage.warehouseBucket(), listable));
    if (!family.reads.isEmpty()) {
      s.add(Access.glue(Access.GLUE_READ, Access.tablesIn(family.reads)));
    }
    s.add(Access.glue(Access.GLUE_COMMIT, Access.tablesIn(family.writes)));
    s.add(Access.kms(storage.key(), Access.KMS_WRITE));
    return s;
  }

  /** What a job that reads landing reads there: landed objects, and batch manifests. */
  static List<String> landingReads() {
    return List.of(SourceEntity.LANDING_ROOT, BatchSettings.MANIFEST_PREFIX);
  }

  /** Every log group (and its streams) whose name starts with {@code prefix}. */
  static String logGroupsUnder(String prefix) {
    return "arn:"
        + Aws.PARTITION
        + ":logs:"
        + Aws.REGION
        + ":"
        + Aws.ACCOUNT_ID
        + ":log-group:"
        + prefix
        + "*";
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  public CfnJob job(String id) {
    CfnJob job = jobs.get(id);
    if (job == null) {
      throw new IllegalArgumentException("no job " + id + "; jobs are " + jobs.keySet());
    }
    return job;
  }

  public Map<String, CfnJob> jobs() {
    return Map.copyOf(jobs);
  }

  public Role role(Family family) {
    return roles.get(family);
  }

  public Map<Family, Role> roles() {
    return Map.copyOf(roles);
  }

  /**
   * The EMR Serverless application and its job roles, when {@code
   * lakehouse:compute=emr-serverless}.
   */
  public java.util.Optional<EmrServerlessJobs> emrServerless() {
    return java.util.Optional.ofNullable(emrServerless);
  }

  /**
   * The Glue 5.0 log group prefix of every job ({@code --custom-logGroup-prefix}); on EMR
   * Serverless, its group.
   */
  public String logGroupPrefix() {
    return logGroupPrefix;
  }

  /** The job log groups: {@code <prefix>/error} and {@code <prefix>/output}. */
  public List<LogGroup> logGroups() {
    return List.copyOf(logGroups);
  }

  /** Job name (a plain string, not a token: the names are chosen here). */
  public static String jobName(LakehouseConfig config, String nameSuffix) {
    return config.namePrefix() + "-" + nameSuffix;
  }
}
