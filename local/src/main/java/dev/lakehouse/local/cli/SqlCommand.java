package dev.lakehouse.local.cli;

import dev.lakehouse.local.StartupProfile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "sql",
    description = {
      "Run Spark SQL over the catalog. Tables are ecommerce_lakehouse.TABLE; time travel with",
      "VERSION AS OF / TIMESTAMP AS OF; metadata tables as ecommerce_lakehouse.TABLE.snapshots, .history, .files.",
      "When 'lakehouse serve' runs on the same home, the query runs on its warm session (answers in about",
      "a second); otherwise this command starts the S3 server and Spark itself."
    })
final class SqlCommand implements Callable<Integer> {

  @ParentCommand LakehouseCli cli;

  @Parameters(paramLabel = "QUERY", description = "The SQL statement.")
  String query;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Output.Format format;

  @Option(
      names = "--limit",
      defaultValue = "1000",
      description = {
        "At most this many rows in the table format (default"
            + " ${DEFAULT-VALUE}); the output says when rows were left out. csv and json write every row."
      })
  int limit;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = cli.spec.commandLine().getOut();
    java.util.Optional<QueryEndpoint.Answer> warm =
        QueryEndpoint.ask(cli.openHome(), query, format, limit);
    if (warm.isPresent()) {
      out.print(warm.get().out());
      if (warm.get().exit() != 0) {
        cli.spec.commandLine().getErr().println("lakehouse: " + warm.get().error());
      }
      return warm.get().exit();
    }
    StartupProfile.mark("no serve on this home: cold path");
    // Spark's start-up and the S3 server's overlap: neither needs the other until the catalog
    // binds.
    dev.lakehouse.jobs.LakehouseSpark.startInBackground();
    SqlOutput.print(cli.lakehouse().spark(), query, format, limit, out);
    StartupProfile.mark("query answered");
    return 0;
  }
}
