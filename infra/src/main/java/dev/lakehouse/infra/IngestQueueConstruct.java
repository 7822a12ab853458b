package dev.lakehouse.infra;

import dev.lakehouse.core.tables.SourceEntity;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.interfaces.events.IRuleRef;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetConfig;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The durable buffer of landed objects (docs/batching.md). S3 "Object Created" events under {@code
 * landing/} go to an SQS queue instead of starting an execution each; the ingest state machine,
 * started by a schedule, claims them in batches through the ingest router, which leases the
 * messages for {@code lakehouse:batchLeaseSeconds} and deletes them when the batch is done. A
 * message received {@code lakehouse:batchMaxReceives} times without being deleted (its batches kept
 * failing and were not redriven) moves to the dead-letter queue, which also takes the events
 * EventBridge could not deliver: both hold the same S3 event, so the queue's messages and the dead
 * letters read alike.
 *
 * <p>Only the rule may send: the queue policies name it by {@code aws:SourceArn}. EventBridge
 * encrypts to the queues as the service itself, which the key policy allows for this account's
 * rules (StorageConstruct); the L2 SQS target is not used because for an encrypted queue it drops
 * the source-ARN condition and grants the whole key to EventBridge.
 */
public final class IngestQueueConstruct extends Construct {
  private final Queue queue;
  private final Queue deadLetterQueue;
  private final Rule landedObjectRule;
  private final List<Alarm> alarms;

  public IngestQueueConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      ITopic alertTopic) {
    super(scope, id);
    this.deadLetterQueue = encrypted("DeadLetterQueue", storage).build();
    this.queue =
        encrypted("LandedObjectQueue", storage)
            // The router leases with this timeout too; set here so a receive that names none leases
            // as long.
            .visibilityTimeout(Duration.seconds(config.batch().leaseSeconds()))
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetterQueue)
                    .maxReceiveCount(config.batchMaxReceives())
                    .build())
            .build();

    this.landedObjectRule =
        Rule.Builder.create(this, "LandedObjectRule")
            .description(
                "Object Created under "
                    + SourceEntity.LANDING_ROOT
                    + " in the landing bucket: queued for the "
                    + "next ingest batch")
            .eventPattern(landedObjectPattern(storage))
            .build();
    landedObjectRule.addTarget(new QueueTarget(queue, deadLetterQueue));
    for (Queue q : List.of(queue, deadLetterQueue)) {
      q.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("LandedObjectRuleSends")
              .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
              .actions(List.of("sqs:SendMessage"))
              .resources(List.of(q.getQueueArn()))
              .conditions(
                  Map.of("ArnEquals", Map.of("aws:SourceArn", landedObjectRule.getRuleArn())))
              .build());
    }

    SnsAction notify = new SnsAction(alertTopic);
    this.alarms =
        List.of(
            MonitoringConstruct.alarm(
                this,
                "DeadLetterQueueNotEmpty",
                "Landed objects could not be ingested after "
                    + config.batchMaxReceives()
                    + " batches, or their events could not be queued: see the ingest "
                    + "dead-letter queue",
                deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                    MonitoringConstruct.maximum()),
                1,
                notify),
            MonitoringConstruct.alarm(
                this,
                "OldestMessageTooOld",
                "A landed object has waited "
                    + config.batchMaxAgeSeconds()
                    + " s or more in the ingest queue: batches are not keeping up, or "
                    + "are not being started",
                queue.metricApproximateAgeOfOldestMessage(MonitoringConstruct.maximum()),
                config.batchMaxAgeSeconds(),
                notify));
  }

  private Queue.Builder encrypted(String id, StorageConstruct storage) {
    return Queue.Builder.create(this, id)
        .encryption(QueueEncryption.KMS)
        .encryptionMasterKey(storage.key())
        .enforceSsl(true)
        .retentionPeriod(Duration.days(14));
  }

  /** S3's EventBridge event for a new object under landing/ in the landing bucket. */
  static EventPattern landedObjectPattern(StorageConstruct storage) {
    return EventPattern.builder()
        .source(List.of("aws.s3"))
        .detailType(List.of("Object Created"))
        .detail(
            Map.of(
                "bucket", Map.of("name", List.of(storage.landingBucket().getBucketName())),
                "object", Map.of("key", List.of(Map.of("prefix", SourceEntity.LANDING_ROOT)))))
        .build();
  }

  /**
   * The queue as the rule's target, 8 retries over up to 6 hours, then the dead-letter queue; it
   * grants nothing (the queue policies above say who may send).
   */
  private record QueueTarget(Queue queue, Queue deadLetterQueue) implements IRuleTarget {
    @Override
    public RuleTargetConfig bind(IRuleRef rule, String id) {
      return RuleTargetConfig.builder()
          .arn(queue.getQueueArn())
          .deadLetterConfig(
              CfnRule.DeadLetterConfigProperty.builder().arn(deadLetterQueue.getQueueArn()).build())
          .retryPolicy(
              CfnRule.RetryPolicyProperty.builder()
                  .maximumRetryAttempts(8)
                  .maximumEventAgeInSeconds(Duration.hours(6).toSeconds().intValue())
                  .build())
          .targetResource(queue)
          .build();
    }

    @Override
    public RuleTargetConfig bind(IRuleRef rule) {
      return bind(rule, null);
    }
  }

  public Queue queue() {
    return queue;
  }

  public Queue deadLetterQueue() {
    return deadLetterQueue;
  }

  public Rule landedObjectRule() {
    return landedObjectRule;
  }

  public List<Alarm> alarms() {
    return alarms;
  }
}
