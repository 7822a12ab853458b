package dev.lakehouse.core.ingest.batch;

import java.time.Duration;
import java.util.List;

/**
 * The durable buffer between "an object landed" and "a batch ingests it": SQS on AWS, a directory
 * in the local home. A received message is leased (invisible to other receivers) until it is
 * deleted, released, or its lease runs out, after which it is delivered again; the queue itself
 * moves a message received too often aside (a dead-letter queue).
 */
public interface IngestQueue {
  /** About how many messages wait to be received (not counting leased ones). */
  int approximateSize();

  /**
   * Receives up to {@code max} messages, leasing each for {@code lease}; fewer (or none) when fewer
   * wait.
   */
  List<QueuedObject> receive(int max, Duration lease);

  /** Deletes received messages for good; a receipt that is already gone is ignored. */
  void delete(List<String> receipts);
}
