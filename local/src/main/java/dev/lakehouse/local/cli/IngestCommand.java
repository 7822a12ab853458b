package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.local.stack.LocalStack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ingest", description = {
    "Upload files to the landing bucket through the S3 API and run the ingest state machine for each, started by",
    "the same EventBridge 'Object Created' event AWS sends: route -> bronze -> silver -> gold -> record."})
final class IngestCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to ingest (.jsonl, .ndjson, .json, .csv, .parquet, optionally .gz).")
  List<Path> files;

  @Option(names = "--table", paramLabel = "customers|products|orders",
      description = "Landing prefix to drop the files under (default: from the file name).")
  String table;

  @Override
  public Integer call() {
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no such file: " + file);
      }
    }
    // Validated before anything is uploaded: a typo is bad input (exit 2), not a rejected object. raw_orders and
    // curated_orders name the same landing prefix as orders.
    String landingPrefix = table == null ? null : SourceEntity.find(table).map(SourceEntity::label).orElseThrow(() ->
        new IllegalArgumentException("unknown table '" + table + "' for --table: expected customers, products or orders"));
    LocalStack stack = cli.stack();
    PrintWriter out = cli.spec.commandLine().getOut();
    int failed = 0;
    Execution firstFailed = null;
    for (Path file : files) {
      String entity = landingPrefix != null ? landingPrefix : entityOf(file);
      LocalStack.Landed landed = stack.upload(file, entity);
      out.printf("%s -> s3://%s/%s%n", file, landed.bucket(), landed.key());
      Execution execution = stack.ingest(landed);
      RunReport.print(out, stack, execution);
      if (execution.status() != ExecutionStatus.SUCCEEDED) {
        failed++;
        firstFailed = firstFailed == null ? execution : firstFailed;
      }
    }
    if (failed > 0) {
      // One line with the real cause: the storage if it is gone, else the first failure's own message.
      String cause = stack.storageDown().map(down -> ": " + down + "; the next 'lakehouse' command starts it again")
          .orElse(" " + RunReport.failure(firstFailed));
      cli.spec.commandLine().getErr().println("lakehouse: " + failed + " of " + files.size() + " file(s) failed"
          + cause + "; then 'lakehouse redrive " + firstFailed.id() + "'");
      return LakehouseCli.EXIT_FAILED;
    }
    return 0;
  }

  static String entityOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (SourceEntity entity : SourceEntity.values()) {
      if (name.contains(entity.label())) {
        return entity.label();
      }
    }
    throw new IllegalArgumentException("cannot tell which table " + file + " is for; pass --table customers|products|orders");
  }
}
