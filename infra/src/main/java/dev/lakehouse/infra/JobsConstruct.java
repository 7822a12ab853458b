package dev.lakehouse.infra;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.catalog.CatalogType;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.Zone;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The Glue Spark jobs: bronze ingest, one silver job per source entity, gold, and compaction. All run the shaded
 * {@code glue-jobs} jar on Glue 5.0 (Spark 3.5, Java 17) with the Iceberg runtime it carries, against the Glue Data
 * Catalog through Iceberg's GlueCatalog; the Spark configuration comes from {@link CatalogSettings#sparkConf()}, the
 * same map the local stack and the tests use. One role per job family, scoped to the zones that family reads and
 * writes; one security configuration encrypting S3 output, logs and bookmarks with the stack key.
 */
public final class JobsConstruct extends Construct {
  public static final String GLUE_VERSION = "5.0";
  public static final String JOBS_PACKAGE = "dev.lakehouse.jobs.";

  /** The job families: what each reads and writes, and so which role it gets. */
  public enum Family {
    BRONZE(EnumSet.noneOf(Zone.class), EnumSet.of(Zone.BRONZE, Zone.OPERATIONS), true),
    SILVER(EnumSet.of(Zone.BRONZE), EnumSet.of(Zone.SILVER, Zone.OPERATIONS), false),
    GOLD(EnumSet.of(Zone.SILVER), EnumSet.of(Zone.GOLD, Zone.OPERATIONS), false),
    COMPACTION(EnumSet.noneOf(Zone.class), EnumSet.allOf(Zone.class), false);

    final Set<Zone> reads;
    final Set<Zone> writes;
    final boolean readsLanding;

    Family(Set<Zone> reads, Set<Zone> writes, boolean readsLanding) {
      this.reads = reads;
      this.writes = writes;
      this.readsLanding = readsLanding;
    }
  }

  /** One Glue job: id in the tree, name suffix, Java main, fixed arguments, family, parallel runs allowed. */
  public record JobSpec(String id, String nameSuffix, String mainClass, Map<String, String> arguments, Family family,
                        int maxConcurrentRuns) {
    public String simpleClassName() {
      return mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }
  }

  /** Bronze runs once per landed file (parallel appends retry on commit conflicts); MERGE jobs run one at a time. */
  public static List<JobSpec> specs() {
    List<JobSpec> specs = new ArrayList<>();
    specs.add(new JobSpec("BronzeJob", "bronze", JOBS_PACKAGE + "BronzeIngestJob", Map.of(), Family.BRONZE, 10));
    for (SourceEntity entity : SourceEntity.values()) {
      String label = entity.label();
      specs.add(new JobSpec("Silver" + capitalize(label) + "Job", "silver-" + label, JOBS_PACKAGE + "SilverJob",
          Map.of("--entity", label), Family.SILVER, 1));
    }
    specs.add(new JobSpec("GoldJob", "gold", JOBS_PACKAGE + "GoldJob", Map.of(), Family.GOLD, 1));
    specs.add(new JobSpec("CompactionJob", "compaction", JOBS_PACKAGE + "CompactionJob", Map.of(), Family.COMPACTION,
        LakehouseTables.all().size()));
    return specs;
  }

  private final Map<String, CfnJob> jobs = new LinkedHashMap<>();
  private final Map<Family, Role> roles = new LinkedHashMap<>();
  private final CfnSecurityConfiguration securityConfiguration;
  private final String logGroupPrefix;
  private final List<LogGroup> logGroups;

  public JobsConstruct(Construct scope, String id, LakehouseConfig config, StorageConstruct storage,
                       Artifacts artifacts) {
    super(scope, id);
    String prefix = config.namePrefix();
    Asset jar = Asset.Builder.create(this, "JobJar").path(artifacts.glueJobsJar().toString()).build();
    boolean viaScript = config.glueEntryPoint() == LakehouseConfig.GlueEntryPoint.SCRIPT;
    Asset script = Asset.Builder.create(this, "JobScript")
        .path((viaScript ? artifacts.glueLauncherScript() : artifacts.glueStubScript()).toString())
        .build();

    this.securityConfiguration = CfnSecurityConfiguration.Builder.create(this, "SecurityConfiguration")
        .name(prefix + "-jobs")
        .encryptionConfiguration(CfnSecurityConfiguration.EncryptionConfigurationProperty.builder()
            .s3Encryptions(List.of(CfnSecurityConfiguration.S3EncryptionProperty.builder()
                .s3EncryptionMode("SSE-KMS").kmsKeyArn(storage.key().getKeyArn()).build()))
            .cloudWatchEncryption(CfnSecurityConfiguration.CloudWatchEncryptionProperty.builder()
                .cloudWatchEncryptionMode("SSE-KMS").kmsKeyArn(storage.key().getKeyArn()).build())
            .jobBookmarksEncryption(CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                .jobBookmarksEncryptionMode("CSE-KMS").kmsKeyArn(storage.key().getKeyArn()).build())
            .build())
        .build();

    // Glue 5.0 logs every job in real time (continuous logging is a Glue <= 4.0 option) to <prefix>/error (driver,
    // executors, Spark) and <prefix>/output (stdout/stderr); --custom-logGroup-prefix names the prefix. The groups
    // are created here so they are encrypted with the stack key and expire.
    this.logGroupPrefix = "/aws-glue/" + prefix + "/jobs";
    this.logGroups = new java.util.ArrayList<>();
    for (String stream : List.of("error", "output")) {
      logGroups.add(LogGroup.Builder.create(this, capitalize(stream) + "Logs")
          .logGroupName(logGroupPrefix + "/" + stream)
          .encryptionKey(storage.key())
          .retention(config.logRetention())
          .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
          .build());
    }

    for (Family family : Family.values()) {
      Role role = Role.Builder.create(this, capitalize(family.name().toLowerCase()) + "JobRole")
          .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
          .description("Lakehouse " + family.name().toLowerCase() + " Glue jobs: least privilege, see docs/infra.md")
          .build();
      statementsFor(family, storage, jar, script, logGroupPrefix).forEach(role::addToPolicy);
      roles.put(family, role);
    }

    String warehouse = storage.warehouseUri();
    String sparkConf = CatalogSettings.builder(CatalogType.GLUE).warehouse(warehouse).build().sparkConf()
        .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        // Glue accepts one --conf argument; further pairs are chained inside its value.
        .collect(Collectors.joining(" --conf "));

    for (JobSpec spec : specs()) {
      Map<String, String> args = new LinkedHashMap<>();
      args.put("--job-language", "scala");
      args.put("--class", viaScript ? "Lakehouse" + spec.simpleClassName() : spec.mainClass());
      args.put("--extra-jars", jar.getS3ObjectUrl());
      // The jar ships only what Glue 5.0 lacks (Iceberg 1.12's Spark runtime, Deequ, picocli, our code) and its own
      // AWS SDK relocated, so putting it first shadows nothing of Glue's runtime; it only makes sure our Iceberg and
      // Deequ are the ones loaded (docs/jobs.md, "The job class path").
      args.put("--user-jars-first", "true");
      args.put("--job-bookmark-option", "job-bookmark-disable");
      args.put("--enable-metrics", "true");
      args.put("--enable-observability-metrics", "true");
      args.put("--custom-logGroup-prefix", logGroupPrefix);
      args.put("--TempDir", "s3://" + storage.warehouseBucket().getBucketName() + "/" + StorageConstruct.TEMPORARY_PREFIX
          + "glue/" + spec.nameSuffix() + "/");
      args.put("--conf", sparkConf);
      args.put("--catalog", "glue");
      args.put("--warehouse", warehouse);
      args.putAll(spec.arguments());

      CfnJob job = CfnJob.Builder.create(this, spec.id())
          .name(prefix + "-" + spec.nameSuffix())
          .description(spec.simpleClassName() + (spec.arguments().isEmpty() ? "" : " " + spec.arguments()))
          .role(roles.get(spec.family()).getRoleArn())
          .command(CfnJob.JobCommandProperty.builder()
              .name("glueetl")
              .scriptLocation(script.getS3ObjectUrl())
              .build())
          .glueVersion(GLUE_VERSION)
          .workerType(config.glueWorkerType())
          .numberOfWorkers(config.glueNumberOfWorkers())
          .timeout(config.glueTimeoutMinutes())
          // Retries belong to the state machine, which knows whether a step is safe to repeat.
          .maxRetries(0)
          .executionProperty(CfnJob.ExecutionPropertyProperty.builder().maxConcurrentRuns(spec.maxConcurrentRuns()).build())
          .securityConfiguration(securityConfiguration.getRef())
          .defaultArguments(args)
          .build();
      jobs.put(spec.id(), job);
    }
  }

  static List<PolicyStatement> statementsFor(Family family, StorageConstruct storage, Asset jar, Asset script,
                                             String logGroupPrefix) {
    List<PolicyStatement> s = new ArrayList<>();
    // The job code: exactly the two asset objects.
    s.add(PolicyStatement.Builder.create()
        .actions(List.of("s3:GetObject"))
        .resources(List.of(jar.getBucket().arnForObjects(jar.getS3ObjectKey()),
            script.getBucket().arnForObjects(script.getS3ObjectKey())))
        .build());
    if (family.readsLanding) {
      s.add(Access.s3Objects(storage.landingBucket(), Access.S3_READ, List.of(SourceEntity.LANDING_ROOT)));
      s.add(Access.s3List(storage.landingBucket(), List.of(SourceEntity.LANDING_ROOT)));
    }
    List<String> tempDir = List.of(StorageConstruct.TEMPORARY_PREFIX + "glue/");
    List<String> readPrefixes = Access.zonePrefixes(family.reads);
    List<String> writePrefixes = new ArrayList<>(Access.zonePrefixes(family.writes));
    writePrefixes.addAll(tempDir);
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
    // Glue 5.0 writes to <prefix>/error and <prefix>/output; with a security configuration that encrypts CloudWatch
    // logs, Glue names encrypted groups after the prefix, the role and the configuration (and may create them), so the
    // grant covers the prefix, not only the two groups created above.
    s.add(PolicyStatement.Builder.create()
        .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"))
        .resources(List.of(logGroupsUnder(logGroupPrefix)))
        .build());
    s.add(PolicyStatement.Builder.create()
        .actions(List.of("cloudwatch:PutMetricData"))
        .resources(List.of("*"))
        .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Glue")))
        .build());
    return s;
  }

  /** Every log group (and its streams) whose name starts with {@code prefix}. */
  static String logGroupsUnder(String prefix) {
    return "arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":log-group:" + prefix + "*";
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

  /** The Glue 5.0 log group prefix of every job ({@code --custom-logGroup-prefix}). */
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
