package dev.lakehouse.infra;

import dev.lakehouse.core.tables.LakehouseTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

/**
 * The whole lakehouse in one stack, composed of one construct per concern. Order matters only where
 * a construct needs another's outputs: storage, catalog, the alert topic, the ingest queue,
 * functions (and the tables they create), jobs, orchestration, monitoring, query, governance.
 */
public final class LakehouseStack extends Stack {
  private final LakehouseConfig config;
  private final StorageConstruct storage;
  private final CatalogConstruct catalog;
  private final IngestQueueConstruct ingestQueue;
  private final FunctionsConstruct functions;
  private final JobsConstruct jobs;
  private final KafkaStreamConstruct kafkaStream;
  private final MonitoringConstruct monitoring;
  private final OrchestrationConstruct orchestration;
  private final QueryConstruct query;
  private final GovernanceConstruct governance;
  private final RestSourcesConstruct restSources;
  private final JdbcSourcesConstruct jdbcSources;
  private final FirehoseConstruct firehose;

  public LakehouseStack(
      Construct scope, String id, StackProps props, LakehouseConfig config, Artifacts artifacts) {
    super(scope, id, props);
    this.config = config;
    Tags.of(this).add("project", "lakehouse");
    Tags.of(this).add("environment", config.environment());
    for (String missing : artifacts.placeholders()) {
      Annotations.of(this)
          .addWarningV2(
              "lakehouse:placeholderArtifact",
              missing
                  + " was not built: a placeholder stands in for it (lakehouse:strictArtifacts=false, for tests "
                  + "only). Build it before deploying: "
                  + Artifacts.BUILD_COMMAND);
    }

    this.storage = new StorageConstruct(this, "Storage", config);
    this.catalog = new CatalogConstruct(this, "Catalog", storage, config);
    this.monitoring = new MonitoringConstruct(this, "Monitoring", config, storage);
    this.ingestQueue =
        new IngestQueueConstruct(this, "IngestQueue", config, storage, monitoring.alertTopic());
    this.functions =
        new FunctionsConstruct(
            this, "Functions", config, storage, ingestQueue, artifacts.functionsPackage());
    catalog.provisionTables(functions.alias(FunctionsConstruct.Spec.TABLE_ADMIN), config);
    this.jobs = new JobsConstruct(this, "Jobs", config, storage, artifacts);
    this.kafkaStream =
        KafkaStreamConstruct.Settings.fromContext(getNode())
            .map(
                settings ->
                    new KafkaStreamConstruct(this, "KafkaStream", config, settings, storage, jobs))
            .orElse(null);
    this.orchestration =
        new OrchestrationConstruct(
            this,
            "Orchestration",
            config,
            storage,
            functions,
            jobs,
            monitoring.alertTopic(),
            artifacts);
    monitoring.watch(config, orchestration, functions, jobs, ingestQueue);
    this.query = new QueryConstruct(this, "Query", config, storage);
    if (config.lakeFormation()) {
      Map<String, IRole> dataRoles = new LinkedHashMap<>();
      functions
          .roles()
          .forEach(
              (spec, role) -> {
                if (spec != FunctionsConstruct.Spec.TABLE_ADMIN) {
                  dataRoles.put(spec.id, role);
                }
              });
      jobs.roles()
          .forEach(
              (family, role) ->
                  dataRoles.put(
                      family.name().charAt(0) + family.name().substring(1).toLowerCase() + "Job",
                      role));
      this.governance =
          new GovernanceConstruct(
              this,
              "Governance",
              config,
              storage,
              functions.role(FunctionsConstruct.Spec.TABLE_ADMIN),
              dataRoles);
    } else {
      this.governance = null;
    }
    List<RestSourcesConstruct.SourceConfig> rest = RestSourcesConstruct.fromContext(getNode());
    this.restSources =
        rest.isEmpty()
            ? null
            : new RestSourcesConstruct(
                this, "RestSources", config, storage, artifacts.functionsPackage(), rest);
    List<JdbcSourcesConstruct.SourceConfig> jdbc = JdbcSourcesConstruct.fromContext(getNode());
    this.jdbcSources =
        jdbc.isEmpty()
            ? null
            : new JdbcSourcesConstruct(this, "JdbcSources", config, storage, artifacts, jdbc);
    FirehoseConstruct.Settings firehoseSettings = FirehoseConstruct.Settings.fromContext(getNode());
    this.firehose =
        firehoseSettings.enabled()
            ? new FirehoseConstruct(this, "Firehose", config, storage, firehoseSettings)
            : null;
    NagSuppressionsForLakehouse.apply(this);
    if (firehose != null) {
      firehose.suppressNagFindings(this, storage);
    }
    if (restSources != null) {
      restSources.suppressNagFindings(this);
    }
    if (jdbcSources != null) {
      jdbcSources.suppressNagFindings(this, storage);
    }

    output(
        "LandingBucketName",
        storage.landingBucket().getBucketName(),
        "Drop files under landing/<entity>/ here");
    output(
        "WarehouseBucketName", storage.warehouseBucket().getBucketName(), "Iceberg warehouse root");
    output(
        "AthenaResultsBucketName",
        storage.athenaResultsBucket().getBucketName(),
        "Athena query results");
    output(
        "GlueDatabaseName", LakehouseTables.NAMESPACE, "Glue database holding the Iceberg tables");
    output(
        "AthenaWorkGroupName",
        query.workGroup().getRef(),
        "Athena workgroup to query the lakehouse with");
    output(
        "IngestQueueUrl",
        ingestQueue.queue().getQueueUrl(),
        "Landed objects waiting for the next ingest batch");
    output(
        "IngestStateMachineArn",
        orchestration.ingestPipeline().getStateMachineArn(),
        "Ingest pipeline");
    output(
        "MaintenanceStateMachineArn",
        orchestration.maintenance().getStateMachineArn(),
        "Maintenance pipeline");
    output("AlertTopicArn", monitoring.alertTopic().getTopicArn(), "Subscribe here for alerts");
    output(
        "KmsKeyArn",
        storage.key().getKeyArn(),
        "Key encrypting every bucket, the catalog, logs and topics");
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  public LakehouseConfig config() {
    return config;
  }

  public StorageConstruct storage() {
    return storage;
  }

  public CatalogConstruct catalog() {
    return catalog;
  }

  public IngestQueueConstruct ingestQueue() {
    return ingestQueue;
  }

  public FunctionsConstruct functions() {
    return functions;
  }

  public JobsConstruct jobs() {
    return jobs;
  }

  /** The Glue streaming job from Kafka, when {@code lakehouse:kafkaStream} is true. */
  public java.util.Optional<KafkaStreamConstruct> kafkaStream() {
    return java.util.Optional.ofNullable(kafkaStream);
  }

  public MonitoringConstruct monitoring() {
    return monitoring;
  }

  public OrchestrationConstruct orchestration() {
    return orchestration;
  }

  public QueryConstruct query() {
    return query;
  }

  public GovernanceConstruct governance() {
    return governance;
  }

  /** The order-events delivery stream of {@code lakehouse:firehose}, or null when off. */
  public FirehoseConstruct firehose() {
    return firehose;
  }

  /** The database sources of {@code lakehouse:jdbcSources}, or null when none is configured. */
  public JdbcSourcesConstruct jdbcSources() {
    return jdbcSources;
  }

  /** The REST sources of {@code lakehouse:restSources}, or null when none is configured. */
  public RestSourcesConstruct restSources() {
    return restSources;
  }
}
