package dev.lakehouse.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.jobs.EmrServerlessDefinition;
import dev.lakehouse.core.jobs.SparkJobs;
import dev.lakehouse.core.resources.StatePlaceholders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.scheduler.ContextAttribute;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.StepFunctionsStartExecution;
import software.amazon.awscdk.services.scheduler.targets.Universal;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The two state machines, what starts them (the ingest batch schedule, nightly maintenance), and
 * the daily gold refresh.
 *
 * <p>Each definition comes from its ASL file with {@code ${Name}} placeholders. The placeholders a
 * file uses decide both its substitutions and its role: a state machine may invoke exactly the
 * functions, start exactly the jobs and publish to exactly the topic its definition names. A
 * placeholder this construct does not know fails the synth.
 *
 * <p>With {@code lakehouse:compute=emr-serverless} the definition is the file's EMR Serverless form
 * ({@link EmrServerlessDefinition}): the same states with EMR Serverless job tasks, whose
 * placeholders (application, execution roles, jar, logging) bind here the same way.
 */
public final class OrchestrationConstruct extends Construct {
  /** One substitutable value and the permission using it needs. */
  private record Binding(String value, Kind kind, String arn) {}

  private enum Kind {
    FUNCTION,
    JOB,
    EMR_APPLICATION,
    PASS_ROLE,
    TOPIC,
    VALUE
  }

  /**
   * The rule the EMR Serverless .sync integration manages in the account to learn when a job run
   * ends (the Step Functions developer guide's IAM policy for "Run a Job (.sync)").
   */
  static final String EMR_SERVERLESS_SYNC_RULE = "StepFunctionsGetEventsForEMRServerlessJobRule";

  /**
   * The warehouse root, for the job runs' --warehouse argument (Glue jobs have it among their
   * default arguments).
   */
  static final String WAREHOUSE_URI = "WarehouseUri";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StateMachine ingestPipeline;
  private final StateMachine maintenance;
  private final Queue scheduleDeadLetterQueue;
  private final Rule ingestBatchSchedule;
  private final Map<String, Map<String, String>> substitutions = new LinkedHashMap<>();

  public OrchestrationConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      FunctionsConstruct functions,
      JobsConstruct jobs,
      ITopic alertTopic,
      Artifacts artifacts) {
    super(scope, id);
    String prefix = config.namePrefix();
    Map<String, Binding> bindings = bindings(config, storage, functions, jobs, alertTopic);

    this.ingestPipeline =
        stateMachine(
            "IngestPipeline",
            ingestPipelineName(config),
            artifacts.ingestStateMachine(),
            bindings,
            config,
            storage);
    this.maintenance =
        stateMachine(
            "Maintenance",
            prefix + "-maintenance",
            artifacts.maintenanceStateMachine(),
            bindings,
            config,
            storage);

    // ---- Ingest batches: the ingest pipeline starts on a schedule and claims what the ingest
    // queue holds (landed
    // objects no longer start it: IngestQueueConstruct). A tick that cannot start an execution is
    // not kept: the
    // next tick, a minute later, does the same. The role may start this one state machine, and
    // nothing else.
    Role batchRole =
        serviceRole(
            "IngestBatchScheduleRole",
            "events.amazonaws.com",
            "EventBridge: starts the ingest state machine for the next batch");
    this.ingestBatchSchedule =
        Rule.Builder.create(this, "IngestBatchSchedule")
            .description(
                "Starts the ingest pipeline, which claims the next batch of landed objects (docs/batching.md)")
            .schedule(
                software.amazon.awscdk.services.events.Schedule.expression(config.batchSchedule()))
            .targets(
                List.of(
                    SfnStateMachine.Builder.create(ingestPipeline)
                        .role(batchRole)
                        .input(RuleTargetInput.fromObject(Map.of()))
                        .retryAttempts(2)
                        .maxEventAge(Duration.minutes(1))
                        .build()))
            .build();

    // ---- EventBridge Scheduler: nightly maintenance, daily gold refresh (cron in the configured
    // time zone).
    this.scheduleDeadLetterQueue = deadLetterQueue("ScheduleDeadLetterQueue", storage);
    Role schedulerRole =
        serviceRole(
            "SchedulerRole",
            "scheduler.amazonaws.com",
            "EventBridge Scheduler: starts the maintenance state machine and the gold job");
    // The dead-letter queue is encrypted with the stack key; Scheduler sends to it as this role.
    schedulerRole.addToPolicy(
        Access.kms(storage.key(), List.of("kms:Decrypt", "kms:GenerateDataKey")));
    TimeZone zone = TimeZone.of(config.scheduleTimezone());

    Schedule.Builder.create(this, "MaintenanceSchedule")
        .scheduleName(prefix + "-maintenance")
        .description("Nightly table maintenance (snapshot expiry, orphan files, compaction)")
        .schedule(ScheduleExpression.expression(config.maintenanceSchedule(), zone))
        .target(
            StepFunctionsStartExecution.Builder.create(maintenance)
                .role(schedulerRole)
                .input(
                    ScheduleTargetInput.fromObject(
                        Map.of(
                            "trigger",
                            "schedule",
                            "scheduledTime",
                            ContextAttribute.getScheduledTime())))
                .deadLetterQueue(scheduleDeadLetterQueue)
                .retryAttempts(3)
                .maxEventAge(Duration.hours(1))
                .build())
        .build();

    Optional<EmrServerlessJobs> emr = jobs.emrServerless();
    if (emr.isPresent()) {
      goldRefreshOnEmrServerless(config, zone, schedulerRole, emr.get(), bindings);
      return;
    }
    CfnJob gold = jobs.job("GoldJob");
    String goldName = JobsConstruct.jobName(config, "gold");
    Schedule.Builder.create(this, "GoldRefreshSchedule")
        .scheduleName(prefix + "-gold-refresh")
        .description("Daily gold refresh: recomputes the aggregates from silver")
        .schedule(ScheduleExpression.expression(config.goldSchedule(), zone))
        .target(
            Universal.Builder.create()
                .service("glue")
                .action("startJobRun")
                .role(schedulerRole)
                .input(
                    ScheduleTargetInput.fromObject(
                        Map.of(
                            "JobName",
                            goldName,
                            "Arguments",
                            Map.of("--execution-id", ContextAttribute.getExecutionId()))))
                .policyStatements(
                    List.of(
                        PolicyStatement.Builder.create()
                            .actions(List.of("glue:StartJobRun"))
                            .resources(List.of(Access.glueJobArn(goldName)))
                            .build()))
                .deadLetterQueue(scheduleDeadLetterQueue)
                .retryAttempts(3)
                .maxEventAge(Duration.hours(1))
                .build())
        .build()
        .getNode()
        .addDependency(gold);
  }

  /** A role for an AWS service acting for this account only. */
  private Role serviceRole(String id, String service, String description) {
    return Role.Builder.create(this, id)
        .assumedBy(
            ServicePrincipal.Builder.create(service)
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build())
        .description(description)
        .build();
  }

  /**
   * The daily gold refresh as one EMR Serverless job run: the request is the EMR Serverless form of
   * a Glue gold task (so the job driver is the state machines' one), with the API's member names
   * and the schedule's execution id.
   */
  private void goldRefreshOnEmrServerless(
      LakehouseConfig config,
      TimeZone zone,
      Role schedulerRole,
      EmrServerlessJobs emr,
      Map<String, Binding> bindings) {
    SparkJobs.JobSpec gold = SparkJobs.byJobNamePlaceholder("GoldJobName");
    Map<String, Object> glueTask =
        Map.of(
            "Type",
            "Task",
            "Resource",
            EmrServerlessDefinition.GLUE_RESOURCE,
            "Parameters",
            Map.of(
                "JobName",
                EmrServerlessDefinition.placeholder(gold.jobNamePlaceholder()),
                "Arguments",
                Map.of("--execution-id", ContextAttribute.getExecutionId())),
            "End",
            true);
    Map<String, Object> emrForm =
        EmrServerlessDefinition.fromGlue(
            Map.of("StartAt", "Gold", "States", Map.of("Gold", glueTask)), emrCommonArguments());
    @SuppressWarnings("unchecked")
    Map<String, Object> parameters =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) emrForm.get("States")).get("Gold"))
                .get("Parameters");
    @SuppressWarnings("unchecked")
    Map<String, Object> request = (Map<String, Object>) apiShape(parameters, bindings);
    request.put("clientToken", ContextAttribute.getExecutionId());
    Role goldRole = emr.role(gold.family());
    Schedule.Builder.create(this, "GoldRefreshSchedule")
        .scheduleName(config.namePrefix() + "-gold-refresh")
        .description("Daily gold refresh: recomputes the aggregates from silver")
        .schedule(ScheduleExpression.expression(config.goldSchedule(), zone))
        .target(
            Universal.Builder.create()
                .service("emrserverless")
                .action("startJobRun")
                .role(schedulerRole)
                .input(ScheduleTargetInput.fromObject(request))
                .policyStatements(
                    List.of(
                        PolicyStatement.Builder.create()
                            .actions(List.of("emr-serverless:StartJobRun"))
                            .resources(List.of(emr.application().getAttrArn()))
                            .build(),
                        passRole(List.of(goldRole.getRoleArn()))))
                .deadLetterQueue(scheduleDeadLetterQueue)
                .retryAttempts(3)
                .maxEventAge(Duration.hours(1))
                .build())
        .build();
  }

  /**
   * State machine parameters as the EMR Serverless API names them (camelCase), placeholders
   * substituted.
   */
  private static Object apiShape(Object node, Map<String, Binding> bindings) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            String key = (String) k;
            out.put(Character.toLowerCase(key.charAt(0)) + key.substring(1), apiShape(v, bindings));
          });
      return out;
    }
    if (node instanceof List<?> l) {
      return l.stream().map(v -> apiShape(v, bindings)).toList();
    }
    if (node instanceof String text) {
      String out = text;
      for (Map.Entry<String, Binding> b : bindings.entrySet()) {
        out = out.replace(EmrServerlessDefinition.placeholder(b.getKey()), b.getValue().value());
      }
      return out;
    }
    return node;
  }

  /**
   * The catalog options every job run gets first, as the Glue jobs get them among their default
   * arguments.
   */
  private static Map<String, String> emrCommonArguments() {
    return JobsConstruct.catalogArguments(EmrServerlessDefinition.placeholder(WAREHOUSE_URI));
  }

  private static PolicyStatement passRole(List<String> roleArns) {
    return PolicyStatement.Builder.create()
        .actions(List.of("iam:PassRole"))
        .resources(roleArns)
        .conditions(
            Map.of("StringEquals", Map.of("iam:PassedToService", "emr-serverless.amazonaws.com")))
        .build();
  }

  /**
   * Every placeholder the ASL files may use (see statemachines/), with its value and the permission
   * it implies.
   */
  private static Map<String, Binding> bindings(
      LakehouseConfig config,
      StorageConstruct storage,
      FunctionsConstruct functions,
      JobsConstruct jobs,
      ITopic topic) {
    Map<String, Binding> b = new TreeMap<>();
    for (FunctionsConstruct.Spec spec : FunctionsConstruct.Spec.values()) {
      String arn = functions.alias(spec).getFunctionArn();
      b.put(spec.function.arnPlaceholder(), new Binding(arn, Kind.FUNCTION, arn));
    }
    Optional<EmrServerlessJobs> emr = jobs.emrServerless();
    for (SparkJobs.JobSpec spec : JobsConstruct.specs()) {
      if (emr.isPresent()) {
        // No Glue job: the name names the job runs; starting them is the application's and the
        // role's business.
        b.put(
            spec.jobNamePlaceholder(),
            new Binding(JobsConstruct.jobName(config, spec.nameSuffix()), Kind.VALUE, null));
        String role = emr.get().role(spec.family()).getRoleArn();
        b.put(
            EmrServerlessDefinition.executionRolePlaceholder(spec),
            new Binding(role, Kind.PASS_ROLE, role));
        continue;
      }
      CfnJob job = jobs.job(spec.id());
      String name = job.getName();
      b.put(
          spec.jobNamePlaceholder(), new Binding(job.getRef(), Kind.JOB, Access.glueJobArn(name)));
    }
    emr.ifPresent(
        e -> {
          b.put(
              EmrServerlessDefinition.APPLICATION_ID,
              new Binding(
                  e.application().getAttrApplicationId(),
                  Kind.EMR_APPLICATION,
                  e.application().getAttrArn()));
          b.put(EmrServerlessDefinition.JOB_JAR_URI, new Binding(e.jobJarUri(), Kind.VALUE, null));
          b.put(
              EmrServerlessDefinition.SPARK_CONF,
              new Binding(e.sparkSubmitConf(), Kind.VALUE, null));
          b.put(
              EmrServerlessDefinition.LOG_GROUP_NAME,
              new Binding(e.logGroupName(), Kind.VALUE, null));
          b.put(
              EmrServerlessDefinition.LOG_KEY_ARN,
              new Binding(storage.key().getKeyArn(), Kind.VALUE, null));
          b.put(WAREHOUSE_URI, new Binding(storage.warehouseUri(), Kind.VALUE, null));
        });
    b.put(
        StatePlaceholders.ALERT_TOPIC_ARN,
        new Binding(topic.getTopicArn(), Kind.TOPIC, topic.getTopicArn()));
    b.put(
        StatePlaceholders.WAREHOUSE_BUCKET,
        new Binding(storage.warehouseBucket().getBucketName(), Kind.VALUE, null));
    b.put(
        StatePlaceholders.LANDING_BUCKET,
        new Binding(storage.landingBucket().getBucketName(), Kind.VALUE, null));
    return b;
  }

  /** The placeholder names this construct can substitute. */
  public static Set<String> knownPlaceholders() {
    Set<String> names = new TreeSet<>();
    for (FunctionsConstruct.Spec spec : FunctionsConstruct.Spec.values()) {
      names.add(spec.function.arnPlaceholder());
    }
    JobsConstruct.specs().forEach(s -> names.add(s.jobNamePlaceholder()));
    names.addAll(
        List.of(
            StatePlaceholders.ALERT_TOPIC_ARN,
            StatePlaceholders.WAREHOUSE_BUCKET,
            StatePlaceholders.LANDING_BUCKET));
    return names;
  }

  private StateMachine stateMachine(
      String id,
      String name,
      Path file,
      Map<String, Binding> bindings,
      LakehouseConfig config,
      StorageConstruct storage) {
    AslDefinition asl = AslDefinition.read(file);
    if (config.compute() == LakehouseConfig.Compute.EMR_SERVERLESS) {
      asl = AslDefinition.of(file, emrServerlessForm(asl.text()));
    }
    Set<String> unknown = new TreeSet<>(asl.placeholders());
    unknown.removeAll(bindings.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          file
              + " uses placeholders this stack cannot substitute: "
              + unknown
              + "; known: "
              + bindings.keySet());
    }
    Map<String, String> subs = new TreeMap<>();
    List<String> functionArns = new ArrayList<>();
    List<String> jobArns = new ArrayList<>();
    List<String> topicArns = new ArrayList<>();
    List<String> applicationArns = new ArrayList<>();
    List<String> passRoles = new ArrayList<>();
    for (String placeholder : asl.placeholders()) {
      Binding binding = bindings.get(placeholder);
      subs.put(placeholder, binding.value());
      switch (binding.kind()) {
        case FUNCTION -> functionArns.add(binding.arn());
        case JOB -> jobArns.add(binding.arn());
        case EMR_APPLICATION -> applicationArns.add(binding.arn());
        case PASS_ROLE -> {
          if (!passRoles.contains(binding.arn())) {
            passRoles.add(binding.arn()); // the silver jobs share their family's role
          }
        }
        case TOPIC -> topicArns.add(binding.arn());
        case VALUE -> {}
      }
    }
    substitutions.put(id, Map.copyOf(subs));

    Role role =
        Role.Builder.create(this, id + "Role")
            .assumedBy(
                ServicePrincipal.Builder.create("states.amazonaws.com")
                    .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                    .build())
            .description("State machine " + name + ": invokes exactly what its definition names")
            .build();
    if (!functionArns.isEmpty()) {
      role.addToPolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("lambda:InvokeFunction"))
              .resources(functionArns)
              .build());
    }
    if (!jobArns.isEmpty()) {
      // The .sync integration polls GetJobRun and stops the run (BatchStopJobRun) when the
      // execution is stopped.
      role.addToPolicy(
          PolicyStatement.Builder.create()
              .actions(
                  List.of(
                      "glue:StartJobRun",
                      "glue:GetJobRun",
                      "glue:GetJobRuns",
                      "glue:BatchStopJobRun"))
              .resources(jobArns)
              .build());
    }
    if (!applicationArns.isEmpty()) {
      role.addToPolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("emr-serverless:StartJobRun"))
              .resources(applicationArns)
              .build());
      // The .sync integration polls the run and cancels it when the execution is stopped.
      role.addToPolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("emr-serverless:GetJobRun", "emr-serverless:CancelJobRun"))
              .resources(applicationArns.stream().map(a -> a + "/jobruns/*").toList())
              .build());
      role.addToPolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"))
              .resources(
                  List.of(
                      "arn:"
                          + Aws.PARTITION
                          + ":events:"
                          + Aws.REGION
                          + ":"
                          + Aws.ACCOUNT_ID
                          + ":rule/"
                          + EMR_SERVERLESS_SYNC_RULE))
              .build());
    }
    if (!passRoles.isEmpty()) {
      role.addToPolicy(passRole(passRoles));
    }
    if (!topicArns.isEmpty()) {
      role.addToPolicy(
          PolicyStatement.Builder.create()
              .actions(List.of("sns:Publish"))
              .resources(topicArns)
              .build());
      // The topic is encrypted with the stack key: publishing needs a data key.
      role.addToPolicy(Access.kms(storage.key(), List.of("kms:Decrypt", "kms:GenerateDataKey")));
    }

    LogGroup logs =
        LogGroup.Builder.create(this, id + "Logs")
            .logGroupName("/aws/vendedlogs/states/" + name)
            .encryptionKey(storage.key())
            .retention(config.logRetention())
            .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
            .build();
    return StateMachine.Builder.create(this, id)
        .stateMachineName(name)
        .stateMachineType(StateMachineType.STANDARD)
        .definitionBody(
            config.compute() == LakehouseConfig.Compute.EMR_SERVERLESS
                ? DefinitionBody.fromString(asl.text())
                : DefinitionBody.fromFile(file.toString()))
        .definitionSubstitutions(subs)
        .role(role)
        .logs(
            LogOptions.builder()
                .destination(logs)
                .level(LogLevel.ALL)
                .includeExecutionData(true)
                .build())
        .tracingEnabled(true)
        .build();
  }

  /** The EMR Serverless form of a Glue-form definition (see {@link EmrServerlessDefinition}). */
  static String emrServerlessForm(String glueDefinition) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> glue = JSON.readValue(glueDefinition, Map.class);
      return JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(EmrServerlessDefinition.fromGlue(glue, emrCommonArguments()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "a state machine definition is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private Queue deadLetterQueue(String id, StorageConstruct storage) {
    return Queue.Builder.create(this, id)
        .encryption(QueueEncryption.KMS)
        .encryptionMasterKey(storage.key())
        .enforceSsl(true)
        .retentionPeriod(Duration.days(14))
        .build();
  }

  public StateMachine ingestPipeline() {
    return ingestPipeline;
  }

  public StateMachine maintenance() {
    return maintenance;
  }

  public Queue scheduleDeadLetterQueue() {
    return scheduleDeadLetterQueue;
  }

  public Rule ingestBatchSchedule() {
    return ingestBatchSchedule;
  }

  /** The ingest state machine's name: {@code lakehouse-dev-ingest-pipeline}. */
  public static String ingestPipelineName(LakehouseConfig config) {
    return config.namePrefix() + "-ingest-pipeline";
  }

  /**
   * The ingest state machine's ARN, built from its name: the ingest router (which the state machine
   * invokes) may list its executions without a reference to it, which would be a dependency cycle.
   */
  public static String ingestPipelineArn(LakehouseConfig config) {
    return "arn:"
        + Aws.PARTITION
        + ":states:"
        + Aws.REGION
        + ":"
        + Aws.ACCOUNT_ID
        + ":stateMachine:"
        + ingestPipelineName(config);
  }

  /** Substitutions per state machine id ({@code IngestPipeline}, {@code Maintenance}). */
  public Map<String, Map<String, String>> substitutions() {
    return Map.copyOf(substitutions);
  }
}
