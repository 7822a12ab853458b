package dev.lakehouse.e2e;

import dev.lakehouse.jobs.JobMain;
import dev.lakehouse.jobs.KafkaStreamJob;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process that streams a topic into the home's bronze and stops right after the Iceberg commit of
 * one micro-batch, before Spark records that batch in its checkpoint: the point where a crash
 * leaves the table ahead of the checkpoint. It writes a marker there and waits for a test to
 * SIGKILL it.
 *
 * <p>Arguments: home, bootstrap servers, checkpoint, batch id to hold at, marker file, events per
 * micro-batch.
 */
public final class HeldStream {
  /**
   * Exit code when the stream ended without reaching the batch: the kill point was never reached.
   */
  static final int NOT_HELD = 3;

  private HeldStream() {}

  public static void main(String[] args) throws Exception {
    long holdAt = Long.parseLong(args[3]);
    Path marker = Path.of(args[4]);
    try (LocalStack stack = LocalStack.builder(LakehouseHome.open(Path.of(args[0]))).build()) {
      KafkaStreamJob job =
          KafkaStreamJob.fromArgs(
                  "--bootstrap-servers",
                  args[1],
                  "--checkpoint",
                  args[2],
                  "--available-now",
                  "--max-offsets-per-trigger",
                  args[5])
              .onBatchCommitted(
                  batch -> {
                    if (batch.batchId() == holdAt) {
                      try {
                        Files.writeString(marker, String.join(",", batch.sources()));
                        Thread.sleep(Long.MAX_VALUE);
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }
                  });
      JobMain.execute(job, stack.lakehouse().spark());
    }
    System.exit(NOT_HELD);
  }
}
