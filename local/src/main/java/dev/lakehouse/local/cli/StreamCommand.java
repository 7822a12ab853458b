package dev.lakehouse.local.cli;

import dev.lakehouse.jobs.JobMain;
import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.KafkaStreamJob;
import dev.lakehouse.local.LocalLakehouse;
import dev.lakehouse.local.stack.LocalKafka;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "stream",
    description = {
      "Stream order events from the home's Kafka broker (started if needed) into raw_orders: the streaming job AWS",
      "runs on Glue, on Spark local[*]. Exactly once across restarts; malformed events go to quarantine.",
      "Runs until Ctrl-C, or with --available-now loads what the topic holds and exits."
    })
final class StreamCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Option(
      names = "--topic",
      defaultValue = "orders",
      description = "Topic to read (default: orders).")
  String topic;

  @Option(names = "--available-now", description = "Load what the topic holds now, then stop.")
  boolean availableNow;

  @Option(
      names = "--trigger-seconds",
      defaultValue = "10",
      description = "Seconds between micro-batches (default: 10).")
  long triggerSeconds;

  @Option(
      names = "--max-offsets-per-trigger",
      paramLabel = "N",
      description = "At most N events per micro-batch.")
  Long maxOffsetsPerTrigger;

  @Override
  public Integer call() {
    LocalLakehouse lakehouse = cli.lakehouse();
    PrintWriter out = cli.spec.commandLine().getOut();
    try (LocalKafka kafka = LocalKafka.open(lakehouse.home())) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--topic",
                  topic,
                  "--checkpoint",
                  LocalKafka.checkpoint(lakehouse.home(), topic).toString(),
                  "--trigger-seconds",
                  Long.toString(triggerSeconds)));
      if (availableNow) {
        args.add("--available-now");
      }
      if (maxOffsetsPerTrigger != null) {
        args.addAll(List.of("--max-offsets-per-trigger", maxOffsetsPerTrigger.toString()));
      }
      out.printf(
          "streaming topic %s from %s into raw_orders%s%n",
          topic,
          kafka.bootstrapServers(),
          availableNow ? " (available now)" : " every " + triggerSeconds + " s; Ctrl-C stops");
      KafkaStreamJob job =
          KafkaStreamJob.fromArgs(args.toArray(String[]::new))
              .onBatchCommitted(
                  batch -> {
                    out.println(
                        batch.sources().isEmpty()
                            ? "batch " + batch.batchId() + ": already loaded"
                            : "batch "
                                + batch.batchId()
                                + ": "
                                + String.join(", ", batch.sources())
                                + " in="
                                + batch.rowsIn()
                                + " written="
                                + batch.rowsWritten()
                                + " rejected="
                                + batch.rowsRejected());
                    out.flush();
                  });
      JobResult result = JobMain.execute(job, lakehouse.spark());
      out.println(result);
    }
    return 0;
  }
}
