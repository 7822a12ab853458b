package dev.lakehouse.local.cli;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.s3.LocalS3Server;
import dev.lakehouse.local.stack.LocalS3Servers;
import dev.lakehouse.local.stack.ProjectFiles;
import dev.lakehouse.local.trino.LocalTrino;
import dev.lakehouse.local.trino.TrinoDistribution;
import dev.lakehouse.local.trino.TrinoJava;
import java.io.PrintWriter;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "trino",
    description = {
      "Run a query in Athena's dialect (engine v3 is Trino) on a local Trino "
          + TrinoDistribution.VERSION
          + " over the home's tables:",
      "ecommerce_lakehouse.TABLE or just TABLE, FOR VERSION AS OF / FOR TIMESTAMP AS OF, metadata tables as",
      "\"TABLE$snapshots\", \"TABLE$files\", \"TABLE$history\". The server starts on first use (about a minute), is",
      "shared by later commands and stops after "
          + LocalTrino.IDLE_MINUTES
          + " idle minutes. Needs Java 24+ (env "
          + TrinoJava.ENV
          + ")."
    })
final class TrinoCommand implements Callable<Integer> {

  @ParentCommand LakehouseCli cli;

  @Parameters(
      paramLabel = "QUERY",
      arity = "0..1",
      description =
          "The SQL statement; without one, the server is started and its address printed.")
  String query;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default ${DEFAULT-VALUE}).")
  Output.Format format;

  @Option(names = "--stop", description = "Stop the home's Trino server now.")
  boolean stop;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = cli.spec.commandLine().getOut();
    LakehouseHome home = cli.s3Home();
    if (stop) {
      out.println(
          LocalTrino.stop(home)
              ? "stopped Trino of " + home.root()
              : "no Trino runs for " + home.root());
      return 0;
    }
    if (TrinoJava.find().isEmpty()) {
      cli.spec.commandLine().getErr().println("lakehouse: " + TrinoJava.missingMessage());
      return LakehouseCli.EXIT_USAGE;
    }
    LocalS3Server s3 = LocalS3Servers.forHome(home, ProjectFiles.locate());
    try {
      LocalTrino trino = LocalTrino.forHome(home, s3.endpoint());
      if (query == null) {
        out.printf(
            "Trino %s for %s: jdbc:trino://127.0.0.1:%d/%s/%s (user lakehouse); stops after %d idle minutes"
                + " or with 'lakehouse trino --stop'%n",
            TrinoDistribution.VERSION,
            home.root(),
            trino.port(),
            LocalTrino.CATALOG,
            LakehouseTables.NAMESPACE,
            LocalTrino.IDLE.toMinutes());
        return 0;
      }
      LocalTrino.Result result = trino.query(query);
      List<List<Object>> rows = new ArrayList<>();
      // Dates and times print as ISO-8601 text in every format (UTC instants end in Z).
      result
          .rows()
          .forEach(
              r ->
                  rows.add(
                      r.stream()
                          .map(v -> v instanceof Temporal ? (Object) v.toString() : v)
                          .toList()));
      Output.rows(out, format, result.columns(), rows);
      if (format == Output.Format.table) {
        out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
      }
      return 0;
    } finally {
      LocalS3Servers.release(home);
    }
  }
}
