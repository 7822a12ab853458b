package dev.lakehouse.functions.support;

import dev.lakehouse.core.ingest.batch.IngestQueue;
import dev.lakehouse.core.ingest.batch.QueuedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/** The ingest queue on AWS: the SQS queue EventBridge delivers S3 "Object Created" events to. */
public final class SqsIngestQueue implements IngestQueue {
  /** SQS hands out at most ten messages per receive. */
  private static final int SQS_PAGE = 10;

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsIngestQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public int approximateSize() {
    String value =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    return value == null ? 0 : Integer.parseInt(value);
  }

  @Override
  public List<QueuedObject> receive(int max, Duration lease) {
    List<QueuedObject> received = new ArrayList<>();
    while (received.size() < max) {
      int want = Math.min(SQS_PAGE, max - received.size());
      List<Message> page =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(want)
                          .visibilityTimeout((int) lease.toSeconds())
                          .waitTimeSeconds(0)
                          .messageSystemAttributeNames(
                              MessageSystemAttributeName.SENT_TIMESTAMP,
                              MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
              .messages();
      if (page.isEmpty()) {
        break; // what is left arrived after the claim began, or sits on another SQS host: the next
        // batch takes it
      }
      for (Message m : page) {
        String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        received.add(
            QueuedObject.fromEvent(
                m.receiptHandle(),
                m.body(),
                sent == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(sent)),
                count == null ? 1 : Integer.parseInt(count)));
      }
    }
    return received;
  }

  /**
   * One DeleteMessage per receipt: the role holds {@code sqs:DeleteMessage}, which AWS also checks
   * for DeleteMessageBatch, but emulators check a batch action of its own name; a batch is at most
   * a thousand calls.
   */
  @Override
  public void delete(List<String> receipts) {
    for (String receipt : receipts) {
      try {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(receipt));
      } catch (ReceiptHandleIsInvalidException gone) {
        // received again since (its lease ran out): the later receipt deletes it
      }
    }
  }
}
