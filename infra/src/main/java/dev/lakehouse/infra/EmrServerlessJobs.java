package dev.lakehouse.infra;

import dev.lakehouse.core.jobs.SparkJobs.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.emrserverless.CfnApplication;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The jobs on EMR Serverless ({@code lakehouse:compute=emr-serverless}): one Spark application the
 * job runs share, one execution role per job family with the data permissions of the Glue family
 * roles, and one encrypted log group. The job runs themselves are started by the state machines
 * (their definitions are derived from the Glue form, see {@link
 * dev.lakehouse.core.jobs.EmrServerlessDefinition}); nothing here names a job.
 */
public final class EmrServerlessJobs extends Construct {
  /**
   * EMR 7.13.0 ships Spark 3.5.6, the version the jobs jar is built and tested against (Glue 5.0
   * runs 3.5.4), and EMR 7.x runs Spark on Java 17 by default, so no JAVA_HOME override is needed.
   */
  public static final String RELEASE_LABEL = "emr-7.13.0";

  /** An idle application stops after this long, so nothing is billed between pipeline runs. */
  public static final int IDLE_TIMEOUT_MINUTES = 15;

  private final CfnApplication application;
  private final Map<Family, Role> roles = new LinkedHashMap<>();
  private final LogGroup logGroup;
  private final String logGroupName;
  private final String jobJarUri;
  private final String sparkSubmitConf;

  EmrServerlessJobs(
      Construct scope, String id, LakehouseConfig config, StorageConstruct storage, Asset jar) {
    super(scope, id);
    String prefix = config.namePrefix();
    this.application =
        CfnApplication.Builder.create(this, "Application")
            .name(prefix + "-jobs")
            .type("SPARK")
            .releaseLabel(RELEASE_LABEL)
            .autoStartConfiguration(
                CfnApplication.AutoStartConfigurationProperty.builder().enabled(true).build())
            .autoStopConfiguration(
                CfnApplication.AutoStopConfigurationProperty.builder()
                    .enabled(true)
                    .idleTimeoutMinutes(IDLE_TIMEOUT_MINUTES)
                    .build())
            .maximumCapacity(
                CfnApplication.MaximumAllowedResourcesProperty.builder()
                    .cpu(config.emrMaximumCpu())
                    .memory(config.emrMaximumMemory())
                    .build())
            .build();

    this.logGroupName = "/aws/emr-serverless/" + prefix + "/jobs";
    this.logGroup =
        LogGroup.Builder.create(this, "Logs")
            .logGroupName(logGroupName)
            .encryptionKey(storage.key())
            .retention(config.logRetention())
            .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
            .build();

    for (Family family : Family.values()) {
      String name = family.name().toLowerCase();
      Role role =
          Role.Builder.create(
                  this, Character.toUpperCase(name.charAt(0)) + name.substring(1) + "ExecutionRole")
              // Only job runs of this stack's application may assume it.
              .assumedBy(
                  ServicePrincipal.Builder.create("emr-serverless.amazonaws.com")
                      .conditions(
                          Map.of(
                              "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                              "ArnEquals", Map.of("aws:SourceArn", application.getAttrArn())))
                      .build())
              .description(
                  "Lakehouse "
                      + name
                      + " EMR Serverless job runs: least privilege, see docs/deploy.md")
              .build();
      statementsFor(family, storage, jar, logGroup).forEach(role::addToPolicy);
      roles.put(family, role);
    }

    this.jobJarUri = jar.getS3ObjectUrl();
    this.sparkSubmitConf =
        JobsConstruct.sparkConf(storage.warehouseUri()).entrySet().stream()
            .map(e -> "--conf " + e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
  }

  /**
   * The Glue family's data permissions (no Glue scratch prefix), the jar, and writing to the job
   * log group.
   */
  static List<PolicyStatement> statementsFor(
      Family family, StorageConstruct storage, Asset jar, LogGroup logs) {
    List<PolicyStatement> s = new ArrayList<>();
    s.add(JobsConstruct.codeObjects(List.of(jar)));
    s.addAll(JobsConstruct.dataStatements(family, storage, List.of()));
    s.add(
        PolicyStatement.Builder.create()
            .actions(
                List.of("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"))
            .resources(List.of(logs.getLogGroupArn()))
            .build());
    // EMR Serverless looks the configured group up before it writes; IAM scopes DescribeLogGroups
    // to all groups only.
    s.add(
        PolicyStatement.Builder.create()
            .actions(List.of("logs:DescribeLogGroups"))
            .resources(List.of(JobsConstruct.logGroupsUnder("")))
            .build());
    return s;
  }

  public CfnApplication application() {
    return application;
  }

  public Map<Family, Role> roles() {
    return Map.copyOf(roles);
  }

  public Role role(Family family) {
    return roles.get(family);
  }

  public LogGroup logGroup() {
    return logGroup;
  }

  public String logGroupName() {
    return logGroupName;
  }

  /** The S3 URL of the jobs jar (the Glue jobs' jar asset). */
  public String jobJarUri() {
    return jobJarUri;
  }

  /**
   * The {@code --conf k=v ...} of every job's SparkSubmitParameters: the Glue jobs' Spark
   * configuration.
   */
  public String sparkSubmitConf() {
    return sparkSubmitConf;
  }
}
