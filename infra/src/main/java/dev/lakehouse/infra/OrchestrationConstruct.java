package dev.lakehouse.infra;

import dev.lakehouse.core.tables.SourceEntity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
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
 * The two state machines, what starts them, and the daily gold refresh.
 *
 * <p>Each definition comes from its ASL file with {@code ${Name}} placeholders. The placeholders a file uses decide
 * both its substitutions and its role: a state machine may invoke exactly the functions, start exactly the jobs and
 * publish to exactly the topic its definition names. A placeholder this construct does not know fails the synth.
 */
public final class OrchestrationConstruct extends Construct {
  /** One substitutable value and the permission using it needs. */
  private record Binding(String value, Kind kind, String arn) {}

  private enum Kind { FUNCTION, JOB, TOPIC, VALUE }

  private final StateMachine ingestPipeline;
  private final StateMachine maintenance;
  private final Queue ingestDeadLetterQueue;
  private final Queue scheduleDeadLetterQueue;
  private final Rule landedObjectRule;
  private final Map<String, Map<String, String>> substitutions = new LinkedHashMap<>();

  public OrchestrationConstruct(Construct scope, String id, LakehouseConfig config, StorageConstruct storage,
                                FunctionsConstruct functions, JobsConstruct jobs, ITopic alertTopic,
                                Artifacts artifacts) {
    super(scope, id);
    String prefix = config.namePrefix();
    Map<String, Binding> bindings = bindings(storage, functions, jobs, alertTopic);

    this.ingestPipeline = stateMachine("IngestPipeline", prefix + "-ingest-pipeline", artifacts.ingestStateMachine(),
        bindings, config, storage);
    this.maintenance = stateMachine("Maintenance", prefix + "-maintenance", artifacts.maintenanceStateMachine(),
        bindings, config, storage);

    // ---- S3 Object Created under landing/ -> ingest pipeline, with retries and a dead-letter queue.
    this.ingestDeadLetterQueue = deadLetterQueue("IngestDeadLetterQueue", storage);
    this.landedObjectRule = Rule.Builder.create(this, "LandedObjectRule")
        .description("Object Created under " + SourceEntity.LANDING_ROOT + " in the landing bucket starts the ingest pipeline")
        .eventPattern(landedObjectPattern(storage))
        .targets(List.of(SfnStateMachine.Builder.create(ingestPipeline)
            .deadLetterQueue(ingestDeadLetterQueue)
            .retryAttempts(8)
            .maxEventAge(Duration.hours(6))
            .build()))
        .build();

    // ---- EventBridge Scheduler: nightly maintenance, daily gold refresh (cron in the configured time zone).
    this.scheduleDeadLetterQueue = deadLetterQueue("ScheduleDeadLetterQueue", storage);
    Role schedulerRole = Role.Builder.create(this, "SchedulerRole")
        .assumedBy(ServicePrincipal.Builder.create("scheduler.amazonaws.com")
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
            .build())
        .description("EventBridge Scheduler: starts the maintenance state machine and the gold job")
        .build();
    // The dead-letter queue is encrypted with the stack key; Scheduler sends to it as this role.
    schedulerRole.addToPolicy(Access.kms(storage.key(), List.of("kms:Decrypt", "kms:GenerateDataKey")));
    TimeZone zone = TimeZone.of(config.scheduleTimezone());

    Schedule.Builder.create(this, "MaintenanceSchedule")
        .scheduleName(prefix + "-maintenance")
        .description("Nightly table maintenance (snapshot expiry, orphan files, compaction)")
        .schedule(ScheduleExpression.expression(config.maintenanceSchedule(), zone))
        .target(StepFunctionsStartExecution.Builder.create(maintenance)
            .role(schedulerRole)
            .input(ScheduleTargetInput.fromObject(Map.of(
                "trigger", "schedule",
                "scheduledTime", ContextAttribute.getScheduledTime())))
            .deadLetterQueue(scheduleDeadLetterQueue)
            .retryAttempts(3)
            .maxEventAge(Duration.hours(1))
            .build())
        .build();

    CfnJob gold = jobs.job("GoldJob");
    String goldName = JobsConstruct.jobName(config, "gold");
    Schedule.Builder.create(this, "GoldRefreshSchedule")
        .scheduleName(prefix + "-gold-refresh")
        .description("Daily gold refresh: recomputes the aggregates from silver")
        .schedule(ScheduleExpression.expression(config.goldSchedule(), zone))
        .target(Universal.Builder.create()
            .service("glue")
            .action("startJobRun")
            .role(schedulerRole)
            .input(ScheduleTargetInput.fromObject(Map.of(
                "JobName", goldName,
                "Arguments", Map.of("--execution-id", ContextAttribute.getExecutionId()))))
            .policyStatements(List.of(PolicyStatement.Builder.create()
                .actions(List.of("glue:StartJobRun"))
                .resources(List.of(Access.glueJobArn(goldName)))
                .build()))
            .deadLetterQueue(scheduleDeadLetterQueue)
            .retryAttempts(3)
            .maxEventAge(Duration.hours(1))
            .build())
        .build()
        .getNode().addDependency(gold);
  }

  /** Every placeholder the ASL files may use (see statemachines/), with its value and the permission it implies. */
  private static Map<String, Binding> bindings(StorageConstruct storage, FunctionsConstruct functions,
                                               JobsConstruct jobs, ITopic topic) {
    Map<String, Binding> b = new TreeMap<>();
    for (FunctionsConstruct.Spec spec : FunctionsConstruct.Spec.values()) {
      String arn = functions.alias(spec).getFunctionArn();
      b.put(spec.id + "FunctionArn", new Binding(arn, Kind.FUNCTION, arn));
    }
    for (JobsConstruct.JobSpec spec : JobsConstruct.specs()) {
      CfnJob job = jobs.job(spec.id());
      String name = job.getName();
      b.put(spec.id().replace("Job", "") + "JobName", new Binding(job.getRef(), Kind.JOB, Access.glueJobArn(name)));
    }
    b.put("AlertTopicArn", new Binding(topic.getTopicArn(), Kind.TOPIC, topic.getTopicArn()));
    b.put("WarehouseBucket", new Binding(storage.warehouseBucket().getBucketName(), Kind.VALUE, null));
    b.put("LandingBucket", new Binding(storage.landingBucket().getBucketName(), Kind.VALUE, null));
    return b;
  }

  /** The placeholder names this construct can substitute. */
  public static Set<String> knownPlaceholders() {
    Set<String> names = new TreeSet<>();
    for (FunctionsConstruct.Spec spec : FunctionsConstruct.Spec.values()) {
      names.add(spec.id + "FunctionArn");
    }
    JobsConstruct.specs().forEach(s -> names.add(s.id().replace("Job", "") + "JobName"));
    names.addAll(List.of("AlertTopicArn", "WarehouseBucket", "LandingBucket"));
    return names;
  }

  private StateMachine stateMachine(String id, String name, Path file, Map<String, Binding> bindings,
                                    LakehouseConfig config, StorageConstruct storage) {
    AslDefinition asl = AslDefinition.read(file);
    Set<String> unknown = new TreeSet<>(asl.placeholders());
    unknown.removeAll(bindings.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(file + " uses placeholders this stack cannot substitute: " + unknown
          + "; known: " + bindings.keySet());
    }
    Map<String, String> subs = new TreeMap<>();
    List<String> functionArns = new ArrayList<>();
    List<String> jobArns = new ArrayList<>();
    List<String> topicArns = new ArrayList<>();
    for (String placeholder : asl.placeholders()) {
      Binding binding = bindings.get(placeholder);
      subs.put(placeholder, binding.value());
      switch (binding.kind()) {
        case FUNCTION -> functionArns.add(binding.arn());
        case JOB -> jobArns.add(binding.arn());
        case TOPIC -> topicArns.add(binding.arn());
        case VALUE -> { }
      }
    }
    substitutions.put(id, Map.copyOf(subs));

    Role role = Role.Builder.create(this, id + "Role")
        .assumedBy(ServicePrincipal.Builder.create("states.amazonaws.com")
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
            .build())
        .description("State machine " + name + ": invokes exactly what its definition names")
        .build();
    if (!functionArns.isEmpty()) {
      role.addToPolicy(PolicyStatement.Builder.create()
          .actions(List.of("lambda:InvokeFunction")).resources(functionArns).build());
    }
    if (!jobArns.isEmpty()) {
      // The .sync integration polls GetJobRun and stops the run (BatchStopJobRun) when the execution is stopped.
      role.addToPolicy(PolicyStatement.Builder.create()
          .actions(List.of("glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"))
          .resources(jobArns).build());
    }
    if (!topicArns.isEmpty()) {
      role.addToPolicy(PolicyStatement.Builder.create()
          .actions(List.of("sns:Publish")).resources(topicArns).build());
      // The topic is encrypted with the stack key: publishing needs a data key.
      role.addToPolicy(Access.kms(storage.key(), List.of("kms:Decrypt", "kms:GenerateDataKey")));
    }

    LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
        .logGroupName("/aws/vendedlogs/states/" + name)
        .encryptionKey(storage.key())
        .retention(config.logRetention())
        .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .build();
    return StateMachine.Builder.create(this, id)
        .stateMachineName(name)
        .stateMachineType(StateMachineType.STANDARD)
        .definitionBody(DefinitionBody.fromFile(file.toString()))
        .definitionSubstitutions(subs)
        .role(role)
        .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(true).build())
        .tracingEnabled(true)
        .build();
  }

  /** S3's EventBridge event for a new object under landing/ in the landing bucket. */
  static EventPattern landedObjectPattern(StorageConstruct storage) {
    return EventPattern.builder()
        .source(List.of("aws.s3"))
        .detailType(List.of("Object Created"))
        .detail(Map.of(
            "bucket", Map.of("name", List.of(storage.landingBucket().getBucketName())),
            "object", Map.of("key", List.of(Map.of("prefix", SourceEntity.LANDING_ROOT)))))
        .build();
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

  public Queue ingestDeadLetterQueue() {
    return ingestDeadLetterQueue;
  }

  public Queue scheduleDeadLetterQueue() {
    return scheduleDeadLetterQueue;
  }

  public Rule landedObjectRule() {
    return landedObjectRule;
  }

  /** Substitutions per state machine id ({@code IngestPipeline}, {@code Maintenance}). */
  public Map<String, Map<String, String>> substitutions() {
    return Map.copyOf(substitutions);
  }
}
