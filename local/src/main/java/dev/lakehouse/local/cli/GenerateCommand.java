package dev.lakehouse.local.cli;

import dev.lakehouse.local.generate.SampleDataGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "generate",
    description =
        "Write sample customers, products and orders as JSON Lines (deterministic per seed and as-of date).")
final class GenerateCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write customers.jsonl, products.jsonl, orders.jsonl into.")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--customers",
      defaultValue = "1000",
      description = "Number of customers (default ${DEFAULT-VALUE}).")
  int customers;

  @Option(
      names = "--products",
      defaultValue = "500",
      description = "Number of products (default ${DEFAULT-VALUE}).")
  int products;

  @Option(
      names = "--orders",
      defaultValue = "5000",
      description = "Number of orders (default ${DEFAULT-VALUE}).")
  int orders;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Orders fall in the year before this UTC date (default today).")
  LocalDate asOf;

  @Option(
      names = "--bad-rate",
      defaultValue = "0",
      paramLabel = "R",
      description = "Share of records made malformed or invalid, 0..1 (default ${DEFAULT-VALUE}).")
  double badRate;

  @Override
  public Integer call() {
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
    var result =
        new SampleDataGenerator(
                new SampleDataGenerator.Options(seed, customers, products, orders, date, badRate))
            .writeTo(out);
    var printer = cli.spec.commandLine().getOut();
    printer.printf(
        "wrote %s (%d customers), %s (%d products), %s (%d orders) as of %s, seed %d%n",
        result.customers(),
        customers,
        result.products(),
        products,
        result.orders(),
        orders,
        date,
        seed);
    if (badRate > 0) {
      printer.println("deliberately bad records: " + result.badRecords());
    }
    return 0;
  }
}
