package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.cli.LakehouseCli;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalS3Servers;
import dev.lakehouse.local.stack.ProjectFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline commands of the CLI, as a user types them, against one S3-backed home. */
class CliPipelineTest {
  @TempDir Path dir;

  record Outcome(int exitCode, String out, String err) {}

  Outcome run(String... args) {
    return run(dir.resolve("home"), args);
  }

  /** The CLI as a user types it, on {@code home}. */
  static Outcome run(Path home, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] withHome = new String[args.length + 2];
    withHome[0] = "--home";
    withHome[1] = home.toString();
    System.arraycopy(args, 0, withHome, 2, args.length);
    int code = LakehouseCli.run(withHome, new PrintWriter(out), new PrintWriter(err));
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void ingestServeRunExecutionsAndFailures() throws Exception {
    var data =
        new SampleDataGenerator(
                new SampleDataGenerator.Options(11, 20, 10, 60, LocalDate.parse("2026-11-01"), 0.0))
            .writeTo(dir.resolve("data"));

    Outcome ingest = run("ingest", data.customers().toString());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(ingest.out())
        .contains("-> s3://landing/landing/customers/customers.jsonl")
        .containsPattern(
            "execution arn:aws:states:local:000000000000:execution:ingest-pipeline:\\S+ SUCCEEDED")
        .containsPattern("  bronze +raw_customers +SUCCEEDED +20 +20 +0")
        .containsPattern("  silver +curated_customers +SUCCEEDED +20 +20 +0");

    // A file dropped straight into the landing bucket through the S3 API is picked up by serve.
    var s3 =
        LocalS3Servers.forHome(LakehouseHome.open(dir.resolve("home")), ProjectFiles.locate())
            .client();
    s3.putObject(b -> b.bucket("landing").key("landing/products/products.jsonl"), data.products());
    Outcome serve = run("serve", "--once");
    assertThat(serve.exitCode()).isZero();
    assertThat(serve.out())
        .contains("new object s3://landing/landing/products/products.jsonl")
        .containsPattern("  bronze +raw_products +SUCCEEDED +10 +10 +0")
        .containsPattern("  pipeline +raw_customers +SKIPPED");

    Outcome rejected =
        run(
            "ingest",
            "--table",
            "invoices",
            Files.writeString(dir.resolve("i.jsonl"), "{}\n").toString());
    assertThat(rejected.exitCode()).as("bad input, nothing started").isEqualTo(2);
    assertThat(rejected.out()).isEmpty();
    assertThat(rejected.err())
        .isEqualTo(
            "lakehouse: unknown table 'invoices' for --table: expected customers, products or orders\n");
    // An object under an unknown prefix, as any S3 client can drop it: the router rejects it, the
    // batch succeeds
    // and reports the rejection.
    s3.putObject(
        b -> b.bucket("landing").key("landing/invoices/i.jsonl"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("{}\n"));
    Outcome routed = run("serve", "--once");
    assertThat(routed.exitCode()).isZero();
    assertThat(routed.out())
        .contains(
            "new object s3://landing/landing/invoices/i.jsonl",
            "dev.lakehouse.core.ingest.UnknownTable: ");
    // Started by hand with nothing queued, the ingest machine finds nothing to do.
    Outcome idle = run("run", "--state-machine", "ingest-pipeline");
    assertThat(idle.exitCode()).as(idle.out()).isZero();
    assertThat(idle.out()).contains("\"status\" : \"empty\"");

    Outcome maintenance = run("run", "--state-machine", "maintenance");
    assertThat(maintenance.exitCode()).as(maintenance.out()).isZero();
    assertThat(maintenance.out()).contains("\"tables\" : 10");

    Outcome executions = run("executions");
    assertThat(executions.out().lines().filter(l -> l.startsWith("arn:aws:states:local:")))
        .hasSize(5);
    String routedId =
        routed
            .out()
            .lines()
            .filter(l -> l.startsWith("execution "))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[1];
    Outcome history = run("execution", routedId);
    assertThat(history.out()).contains("ClaimBatch", "NotifyRejections", "RecordBatch", "AckBatch");

    Outcome unknownMachine = run("run", "--state-machine", "nope");
    assertThat(unknownMachine.exitCode()).isEqualTo(2);
    assertThat(unknownMachine.err())
        .isEqualTo(
            "lakehouse: unknown state machine 'nope'; known: ingest-pipeline, maintenance\n");
  }
}
