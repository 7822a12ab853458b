package dev.lakehouse.local.cli;

import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.local.stack.KafkaEvents;
import dev.lakehouse.local.stack.LocalKafka;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "publish",
    description = {
      "Publish a JSON Lines file to a topic of the home's Kafka broker (started if needed), one event per line,",
      "keyed by order_id; 'lakehouse stream' loads them into raw_orders."
    })
final class PublishCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "FILE", description = "JSON Lines file: one event per line.")
  Path file;

  @Option(names = "--topic", defaultValue = "orders", description = "Topic (default: orders).")
  String topic;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description = "Partitions of a new topic (default: 2).")
  int partitions;

  @Override
  public Integer call() {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, was " + partitions);
    }
    PrintWriter out = cli.spec.commandLine().getOut();
    try (LocalKafka kafka = LocalKafka.open(cli.openHome())) {
      List<KafkaEvents.Published> published =
          KafkaEvents.publish(
              kafka.bootstrapServers(), topic, partitions, file, SourceEntity.ORDERS.idColumn());
      Map<Integer, long[]> ranges = new TreeMap<>();
      for (KafkaEvents.Published p : published) {
        ranges.merge(
            p.partition(),
            new long[] {p.offset(), p.offset()},
            (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
      out.printf(
          "published %d event(s) to %s on %s%n", published.size(), topic, kafka.bootstrapServers());
      ranges.forEach(
          (partition, range) ->
              out.printf("  partition %d: offsets %d-%d%n", partition, range[0], range[1]));
    }
    return 0;
  }
}
