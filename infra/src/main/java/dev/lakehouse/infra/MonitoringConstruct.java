package dev.lakehouse.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * Alerts and the pipeline dashboard. The topic exists first (state machines publish to it); {@link
 * #watch} then adds the alarms: failed, timed-out or aborted executions, Lambda errors, Glue job
 * failures (from Glue's job state-change events, which carry the job name and run id) and messages
 * in the schedules' dead-letter queue (the ingest queue alarms on its own: {@link
 * IngestQueueConstruct}).
 */
public final class MonitoringConstruct extends Construct {
  private static final Duration PERIOD = Duration.minutes(5);

  private final Topic alertTopic;
  private final List<Alarm> alarms = new ArrayList<>();
  private Dashboard dashboard;

  public MonitoringConstruct(
      Construct scope, String id, LakehouseConfig config, StorageConstruct storage) {
    super(scope, id);
    this.alertTopic =
        Topic.Builder.create(this, "AlertTopic")
            .topicName(config.namePrefix() + "-alerts")
            .displayName("Lakehouse " + config.environment() + " alerts")
            .masterKey(storage.key())
            .enforceSsl(true)
            .build();
    if (!config.alarmEmail().isBlank()) {
      alertTopic.addSubscription(EmailSubscription.Builder.create(config.alarmEmail()).build());
    }
  }

  public void watch(
      LakehouseConfig config,
      OrchestrationConstruct orchestration,
      FunctionsConstruct functions,
      JobsConstruct jobs,
      IngestQueueConstruct ingestQueue) {
    SnsAction notify = new SnsAction(alertTopic);
    List<IMetric> executionMetrics = new ArrayList<>();
    for (StateMachine sm : List.of(orchestration.ingestPipeline(), orchestration.maintenance())) {
      String name = sm.getNode().getId();
      alarm(
          name + "ExecutionsFailed",
          "Executions of " + name + " failed",
          sm.metricFailed(sum()),
          notify);
      alarm(
          name + "ExecutionsTimedOut",
          "Executions of " + name + " timed out",
          sm.metricTimedOut(sum()),
          notify);
      alarm(
          name + "ExecutionsAborted",
          "Executions of " + name + " were aborted",
          sm.metricAborted(sum()),
          notify);
      executionMetrics.add(sm.metricSucceeded(sum()));
      executionMetrics.add(sm.metricFailed(sum()));
    }

    // Job failures are not caught inside the ingest state machine, so the execution fails at that
    // job and a redrive
    // resumes there. This rule is the failure path instead: it records the failed execution in
    // pipeline_runs (the
    // RunRecorder function, the same payload a Catch would send) and notifies the alert topic.
    Rule executionFailures =
        Rule.Builder.create(this, "ExecutionFailureRule")
            .description("A lakehouse state machine execution failed, timed out or was aborted")
            .eventPattern(
                EventPattern.builder()
                    .source(List.of("aws.states"))
                    .detailType(List.of("Step Functions Execution Status Change"))
                    .detail(
                        Map.of(
                            "stateMachineArn",
                                List.of(
                                    orchestration.ingestPipeline().getStateMachineArn(),
                                    orchestration.maintenance().getStateMachineArn()),
                            "status", List.of("FAILED", "TIMED_OUT", "ABORTED")))
                    .build())
            .targets(
                List.of(
                    software.amazon.awscdk.services.events.targets.LambdaFunction.Builder.create(
                            functions.alias(FunctionsConstruct.Spec.RUN_RECORDER))
                        .event(
                            RuleTargetInput.fromObject(
                                Map.of(
                                    "executionId", EventField.fromPath("$.detail.executionArn"),
                                    "step", "pipeline",
                                    // ABORTED carries no error: without its status the run would be
                                    // recorded as a success.
                                    "status", EventField.fromPath("$.detail.status"),
                                    "startedAt", EventField.fromPath("$.time"),
                                    "error",
                                        Map.of(
                                            "Error",
                                            EventField.fromPath("$.detail.error"),
                                            "Cause",
                                            EventField.fromPath("$.detail.cause")))))
                        .retryAttempts(4)
                        .build(),
                    SnsTopic.Builder.create(alertTopic)
                        .message(
                            RuleTargetInput.fromText(
                                "Execution "
                                    + EventField.fromPath("$.detail.executionArn")
                                    + " "
                                    + EventField.fromPath("$.detail.status")
                                    + ": "
                                    + EventField.fromPath("$.detail.error")
                                    + ": "
                                    + EventField.fromPath("$.detail.cause")))
                        .build()))
            .build();
    executionFailures.getNode().addDependency(orchestration);

    List<IMetric> lambdaErrors = new ArrayList<>();
    List<IMetric> lambdaDurations = new ArrayList<>();
    functions.functions().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              Function fn = e.getValue();
              alarm(
                  e.getKey().id + "Errors",
                  "The " + e.getKey().id + " function reported errors",
                  fn.metricErrors(sum()),
                  notify);
              lambdaErrors.add(fn.metricErrors(sum()));
              lambdaDurations.add(
                  fn.metricDuration(
                      MetricOptions.builder().statistic("p95").period(PERIOD).build()));
            });

    Rule jobFailures =
        jobs.emrServerless().isPresent()
            ? emrServerlessJobFailures(jobs.emrServerless().get(), alertTopic)
            : glueJobFailures(jobs, alertTopic);
    Metric jobFailureCount =
        Metric.Builder.create()
            .namespace("AWS/Events")
            .metricName("TriggeredRules")
            .dimensionsMap(Map.of("RuleName", jobFailures.getRuleName()))
            .statistic("Sum")
            .period(PERIOD)
            .build();
    alarm(
        "GlueJobFailures",
        "A lakehouse Glue job run failed, timed out or errored",
        jobFailureCount,
        notify);

    // The ingest queue's dead-letter queue has its alarm in IngestQueueConstruct, with the queue's
    // own.
    List<IMetric> dlqDepth = new ArrayList<>();
    for (Queue q : List.of(orchestration.scheduleDeadLetterQueue())) {
      IMetric depth = q.metricApproximateNumberOfMessagesVisible(maximum());
      alarm(
          q.getNode().getId() + "NotEmpty",
          "Events could not be delivered: see the " + q.getNode().getId(),
          depth,
          notify);
      dlqDepth.add(depth);
    }
    dlqDepth.add(ingestQueue.deadLetterQueue().metricApproximateNumberOfMessagesVisible(maximum()));

    this.dashboard =
        Dashboard.Builder.create(this, "Dashboard")
            .dashboardName(config.namePrefix() + "-pipeline")
            .build();
    // AWS::CloudWatch::Dashboard takes Tags (CDK's resource specification has them, so the stack's
    // tags land here);
    // cfn-lint 1.51's bundled schema predates that and reports E3002. Ignored for this resource
    // only.
    ((software.amazon.awscdk.CfnResource) dashboard.getNode().getDefaultChild())
        .addMetadata(
            "cfn-lint",
            java.util.Map.of(
                "config", java.util.Map.of("ignore_checks", java.util.List.of("E3002"))));
    dashboard.addWidgets(
        TextWidget.Builder.create()
            .markdown(
                "# Lakehouse "
                    + config.environment()
                    + "\nIngest: landing/ -> bronze -> silver -> gold. "
                    + "Alarms publish to the "
                    + config.namePrefix()
                    + "-alerts topic.")
            .width(24)
            .height(2)
            .build());
    dashboard.addWidgets(
        graph("State machine executions", executionMetrics),
        graph("Glue job failures", List.of(jobFailureCount)),
        graph("Dead-letter queue depth", dlqDepth));
    dashboard.addWidgets(
        graph("Lambda errors", lambdaErrors), graph("Lambda duration p95", lambdaDurations));
    dashboard.addWidgets(
        graph(
            "Ingest queue: landed objects waiting, age of the oldest (s)",
            List.of(
                ingestQueue.queue().metricApproximateNumberOfMessagesVisible(maximum()),
                ingestQueue.queue().metricApproximateAgeOfOldestMessage(maximum()))));
  }

  private Rule glueJobFailures(JobsConstruct jobs, Topic alertTopic) {
    // Glue job failures: a rule on Glue's state-change events for our jobs notifies with the
    // details, and an alarm on
    // the rule's invocations keeps the failure visible in CloudWatch (and on the dashboard).
    List<String> jobNames = jobs.jobs().values().stream().map(CfnJob::getName).sorted().toList();
    return Rule.Builder.create(this, "GlueJobFailureRule")
        .description("A lakehouse Glue job run failed, timed out or errored")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.glue"))
                .detailType(List.of("Glue Job State Change"))
                .detail(Map.of("jobName", jobNames, "state", List.of("FAILED", "TIMEOUT", "ERROR")))
                .build())
        .targets(
            List.of(
                SnsTopic.Builder.create(alertTopic)
                    .message(
                        RuleTargetInput.fromText(
                            "Glue job "
                                + EventField.fromPath("$.detail.jobName")
                                + " run "
                                + EventField.fromPath("$.detail.jobRunId")
                                + " ended in state "
                                + EventField.fromPath("$.detail.state")
                                + ": "
                                + EventField.fromPath("$.detail.message")))
                    .build()))
        .build();
  }

  /**
   * EMR Serverless job runs of the stack's application that failed: the same notification and alarm
   * as on Glue.
   */
  private Rule emrServerlessJobFailures(EmrServerlessJobs emr, Topic alertTopic) {
    return Rule.Builder.create(this, "EmrServerlessJobFailureRule")
        .description("A lakehouse EMR Serverless job run failed")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.emr-serverless"))
                .detailType(List.of("EMR Serverless Job Run State Change"))
                .detail(
                    Map.of(
                        "applicationId",
                        List.of(emr.application().getAttrApplicationId()),
                        "state",
                        List.of("FAILED")))
                .build())
        .targets(
            List.of(
                SnsTopic.Builder.create(alertTopic)
                    .message(
                        RuleTargetInput.fromText(
                            "EMR Serverless job run "
                                + EventField.fromPath("$.detail.jobRunName")
                                + " ("
                                + EventField.fromPath("$.detail.jobRunId")
                                + ") ended in state "
                                + EventField.fromPath("$.detail.state")
                                + ": "
                                + EventField.fromPath("$.detail.stateDetails")))
                    .build()))
        .build();
  }

  private static GraphWidget graph(String title, List<IMetric> metrics) {
    return GraphWidget.Builder.create()
        .title(title)
        .left(metrics)
        .width(metrics.size() > 3 ? 12 : 8)
        .height(6)
        .build();
  }

  private static MetricOptions sum() {
    return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
  }

  private void alarm(String id, String description, IMetric metric, SnsAction action) {
    alarms.add(alarm(this, id, description, metric, 1, action));
  }

  /** An alarm when one period's value reaches {@code threshold} (missing data is not breaching). */
  static Alarm alarm(
      Construct scope,
      String id,
      String description,
      IMetric metric,
      double threshold,
      SnsAction action) {
    Alarm alarm =
        Alarm.Builder.create(scope, id)
            .alarmDescription(description)
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    alarm.addAlarmAction(action);
    return alarm;
  }

  /** The maximum over the alarms' period: queue depths and ages. */
  static MetricOptions maximum() {
    return MetricOptions.builder().statistic("Maximum").period(PERIOD).build();
  }

  public Topic alertTopic() {
    return alertTopic;
  }

  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }

  public Dashboard dashboard() {
    return dashboard;
  }
}
