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

@Command(
    name = "ingest",
    description = {
      "Upload files to the landing bucket through the S3 API, queue the EventBridge 'Object Created' event AWS sends for",
      "each, and run ingest batches until the queue is drained: claim -> bronze -> silver -> gold -> record."
    })
final class IngestCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description = "Files to ingest (.jsonl, .ndjson, .json, .csv, .parquet, optionally .gz).")
  List<Path> files;

  @Option(
      names = "--table",
      paramLabel = "customers|products|orders",
      description = "Landing prefix to drop the files under (default: from the file name).")
  String table;

  @Option(
      names = "--batch-size",
      defaultValue = "100",
      paramLabel = "N",
      description = "At most N files per ingest batch (default ${DEFAULT-VALUE}; at most 1000).")
  int batchSize;

  @Override
  public Integer call() {
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no such file: " + file);
      }
    }
    // Validated before anything is uploaded: a typo is bad input (exit 2), not a rejected object.
    // raw_orders and
    // curated_orders name the same landing prefix as orders.
    String landingPrefix =
        table == null
            ? null
            : SourceEntity.find(table)
                .map(SourceEntity::label)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "unknown table '"
                                + table
                                + "' for --table: expected customers, products or orders"));
    LocalStack stack = cli.stackForJobs(LakehouseCli.COMMAND_BATCHES.withMaxObjects(batchSize));
    PrintWriter out = cli.spec.commandLine().getOut();
    List<LocalStack.Landed> landed =
        stack.uploadAll(files, file -> landingPrefix != null ? landingPrefix : entityOf(file));
    for (int i = 0; i < files.size(); i++) {
      out.printf("%s -> s3://%s/%s%n", files.get(i), landed.get(i).bucket(), landed.get(i).key());
    }
    out.flush();
    // Every file's event joins the ingest queue first, so the files load as batches, not one
    // execution each.
    int failed = 0;
    Execution firstFailed = null;
    List<Execution> batches = stack.ingestAll(landed);
    for (Execution execution : batches) {
      RunReport.print(out, stack, execution);
      if (execution.status() != ExecutionStatus.SUCCEEDED) {
        failed++;
        firstFailed = firstFailed == null ? execution : firstFailed;
      }
    }
    if (failed > 0) {
      // One line with the real cause: the storage if it is gone, else the first failure's own
      // message.
      String cause =
          stack
              .storageDown()
              .map(down -> ": " + down + "; the next 'lakehouse' command starts it again")
              .orElse(" " + RunReport.failure(firstFailed));
      cli.spec
          .commandLine()
          .getErr()
          .println(
              "lakehouse: "
                  + failed
                  + " of "
                  + batches.size()
                  + " batch(es) failed"
                  + cause
                  + "; then 'lakehouse redrive "
                  + firstFailed.id()
                  + "'");
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
    throw new IllegalArgumentException(
        "cannot tell which table " + file + " is for; pass --table customers|products|orders");
  }
}
