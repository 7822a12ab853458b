package dev.lakehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.core.rules.BusinessRules;
import dev.lakehouse.local.generate.SampleDataGenerator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input files of every scenario, cut from one run of the project's sample-data generator so
 * that they fit together: the first {@code orders} orders are the lakehouse's base, the orders
 * after them are "new" (the incremental delta, the small ingests, the 200-row executions, the
 * burst), and updates are base orders re-landed with their status moved on.
 */
public final class BenchData {
  /** The generator's as-of date: orders fall in the 365 days before it. */
  public static final LocalDate AS_OF = LocalDate.parse("2026-11-01");

  /** The silver jobs' plausibility bound: nothing after the data's as-of date. */
  public static final String SILVER_AS_OF = AS_OF.plusDays(1) + "T00:00:00Z";

  public static final int EXECUTION_ROWS = 200;
  public static final int SMALL_INGEST_NEW = 25;
  public static final int SMALL_INGEST_UPDATES = 25;
  public static final int BURST_FILES = 200;
  public static final int BURST_FILE_ORDERS = 25;
  private static final ObjectMapper JSON = new ObjectMapper();

  public final Scale scale;
  public final Path customers;
  public final Path products;

  /**
   * The scale's orders: the lakehouse's starting state and the large file of bronze, RSS and floor.
   */
  public final Path orders;

  /** 1% new orders and 0.5% updates of base orders (5k + 2.5k at 500k, as in the issue). */
  public final Path delta;

  /**
   * Small ingests for compaction: each {@value #SMALL_INGEST_NEW} new orders and as many updates.
   */
  public final List<Path> smallIngests = new ArrayList<>();

  /** One {@value #EXECUTION_ROWS}-order file per repeat, for the fixed cost of one execution. */
  public final List<Path> executionFiles = new ArrayList<>();

  /**
   * The burst of issue 13: {@value #BURST_FILES} files of {@value #BURST_FILE_ORDERS} orders each.
   */
  public final List<Path> burstFiles = new ArrayList<>();

  /** The burst's orders as one file. */
  public final Path burstOneFile;

  private BenchData(Scale scale, Path dir, int repeats, int smallIngestCount) throws IOException {
    this.scale = scale;
    int base = scale.orders();
    int newInDelta = base / 100;
    int updatesInDelta = base / 200;
    int burst = BURST_FILES * BURST_FILE_ORDERS;
    int extra = newInDelta + smallIngestCount * SMALL_INGEST_NEW + repeats * EXECUTION_ROWS + burst;
    SampleDataGenerator.Result generated =
        new SampleDataGenerator(
                new SampleDataGenerator.Options(
                    42, scale.customers(), scale.products(), base + extra, AS_OF, 0.0))
            .writeTo(dir.resolve("generated"));
    customers = generated.customers();
    products = generated.products();
    // One pass over the generated orders, never all in memory (5M orders are 3.2 GB): the base is
    // copied as it is read, the base orders that updates re-land are kept by line number, and the
    // orders after the base (every scenario's new orders) are kept in order.
    List<List<Integer>> updateLines = new ArrayList<>();
    updateLines.add(updateLines(base, updatesInDelta, 0));
    for (int i = 0; i < smallIngestCount; i++) {
      updateLines.add(updateLines(base, SMALL_INGEST_UPDATES, i + 1));
    }
    Set<Integer> kept = new HashSet<>();
    updateLines.forEach(kept::addAll);
    Map<Integer, String> baseKept = new HashMap<>();
    List<String> newOrders = new ArrayList<>(extra);
    orders = dir.resolve("orders.jsonl");
    try (BufferedReader in = Files.newBufferedReader(generated.orders());
        BufferedWriter out = Files.newBufferedWriter(orders)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine(), number++) {
        if (number >= base) {
          newOrders.add(line);
          continue;
        }
        out.write(line);
        out.write('\n');
        if (kept.contains(number)) {
          baseKept.put(number, line);
        }
      }
    }
    Files.delete(generated.orders());
    int next = 0;

    List<String> deltaNew = newOrders.subList(next, next + newInDelta);
    next += newInDelta;
    List<String> deltaUpdates = updates(baseKept, updateLines.get(0));
    List<String> deltaLines = new ArrayList<>(deltaNew);
    deltaLines.addAll(deltaUpdates);
    delta = write(dir.resolve("orders-delta.jsonl"), deltaLines);
    for (int i = 0; i < smallIngestCount; i++) {
      List<String> lines = new ArrayList<>(newOrders.subList(next, next + SMALL_INGEST_NEW));
      next += SMALL_INGEST_NEW;
      lines.addAll(updates(baseKept, updateLines.get(i + 1)));
      smallIngests.add(write(dir.resolve("small-" + i + ".jsonl"), lines));
    }
    for (int i = 0; i < repeats; i++) {
      executionFiles.add(
          write(
              dir.resolve("execution-" + i + ".jsonl"),
              newOrders.subList(next, next + EXECUTION_ROWS)));
      next += EXECUTION_ROWS;
    }
    List<String> burstLines = newOrders.subList(next, next + burst);
    burstOneFile = write(dir.resolve("burst-one-file.jsonl"), burstLines);
    for (int i = 0; i < BURST_FILES; i++) {
      burstFiles.add(
          write(
              dir.resolve("burst/burst-" + i + ".jsonl"),
              burstLines.subList(i * BURST_FILE_ORDERS, (i + 1) * BURST_FILE_ORDERS)));
    }
  }

  public static BenchData generate(Scale scale, Path dir, int repeats, int smallIngests) {
    try {
      Files.createDirectories(dir.resolve("burst"));
      return new BenchData(scale, dir, repeats, smallIngests);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write benchmark data to " + dir, e);
    }
  }

  /**
   * The line numbers of {@code count} base orders spread evenly over the base's {@code base} lines
   * (so over the months), shifted by {@code offset}.
   */
  private static List<Integer> updateLines(int base, int count, int offset) {
    List<Integer> numbers = new ArrayList<>();
    int stride = base / count;
    for (int i = 0; i < count; i++) {
      numbers.add(i * stride + offset % stride);
    }
    return numbers;
  }

  /**
   * The base orders at {@code numbers} (from {@link #updateLines}), each with its status moved to
   * the next one and a later updated_at: what a source system re-sends when orders change.
   */
  private static List<String> updates(Map<Integer, String> base, List<Integer> numbers)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (int number : numbers) {
      ObjectNode order = (ObjectNode) JSON.readTree(base.get(number));
      List<String> statuses = BusinessRules.ORDER_STATUSES;
      String status = order.get("order_status").asText();
      order.put("order_status", statuses.get((statuses.indexOf(status) + 1) % statuses.size()));
      order.put("updated_at", AS_OF.minusDays(1) + "T12:00:00");
      out.add(JSON.writeValueAsString(order));
    }
    return out;
  }

  private static Path write(Path file, List<String> lines) throws IOException {
    return Files.write(file, lines);
  }
}
