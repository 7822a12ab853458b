package dev.lakehouse.local.cli;

import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.jobs.GoldJob;
import dev.lakehouse.jobs.JdbcExtractJob;
import dev.lakehouse.jobs.JobMain;
import dev.lakehouse.jobs.JobResult;
import dev.lakehouse.jobs.SilverJob;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "extract-jdbc",
    description = {
      "Extract the rows of a database table changed since the last extract (by updated_at) into its bronze table",
      "(the JdbcExtractJob Glue job, run locally), then run silver for it and gold, as the pipeline does for a file."
    })
final class ExtractJdbcCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Option(
      names = "--url",
      required = true,
      paramLabel = "JDBC_URL",
      description =
          "e.g. jdbc:postgresql://localhost:5432/shop (the PostgreSQL driver is on the classpath).")
  String url;

  @Option(
      names = "--table",
      required = true,
      paramLabel = "customers|products",
      description = "The bronze table.")
  String table;

  @Option(
      names = "--source-table",
      paramLabel = "NAME",
      description = "The database table (default: --table).")
  String sourceTable;

  @Option(
      names = "--source",
      paramLabel = "NAME",
      description = "Names the database in lineage and watermark " + "(default: db).")
  String source;

  @Option(names = "--user", paramLabel = "USER", description = "Database user.")
  String user;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      description = "Environment variable holding the password.")
  String passwordEnv;

  @Option(names = "--no-silver", description = "Only extract into bronze.")
  boolean noSilver;

  @Override
  public Integer call() {
    String label =
        SourceEntity.find(table)
            .map(SourceEntity::label)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown table '"
                            + table
                            + "' for --table: expected customers or products"));
    String execution =
        "extract-jdbc-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    List<String> args =
        new ArrayList<>(List.of("--url", url, "--table", label, "--execution-id", execution));
    add(args, "--source-table", sourceTable);
    add(args, "--source", source);
    add(args, "--user", user);
    add(args, "--password-env", passwordEnv);
    SparkSession spark = cli.lakehouse().spark();
    PrintWriter out = cli.spec.commandLine().getOut();
    JobResult bronze = JobMain.execute(JdbcExtractJob.fromArgs(args.toArray(String[]::new)), spark);
    out.println(bronze);
    if (!noSilver && bronze.rowsWritten() > 0) {
      out.println(
          JobMain.execute(
              SilverJob.fromArgs("--entity", label, "--execution-id", execution), spark));
      out.println(JobMain.execute(GoldJob.fromArgs("--execution-id", execution), spark));
    }
    return 0;
  }

  private static void add(List<String> args, String name, String value) {
    if (value != null) {
      args.add(name);
      args.add(value);
    }
  }
}
