package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.local.s3.LocalS3Server;
import dev.lakehouse.local.stack.LocalResources;
import dev.lakehouse.local.stack.LocalStack;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.s3.model.S3Object;

@Command(
    name = "serve",
    description = {
      "Keep the local stack up and watch the landing bucket: every object dropped under landing/ (e.g. with",
      "'aws s3 cp orders.jsonl s3://landing/landing/orders/ --endpoint-url http://127.0.0.1:PORT') joins the",
      "ingest queue with the EventBridge 'Object Created' event; what a poll finds loads as one batch. Ctrl-C stops.",
      "While it runs, 'lakehouse sql' on the same home runs its queries on this warm session (loopback only)."
    })
final class ServeCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Option(
      names = "--poll-seconds",
      defaultValue = "2",
      description = "How often to look for new objects (default ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(names = "--once", description = "Process what is in the landing bucket now, then exit.")
  boolean once;

  @Override
  public Integer call() throws Exception {
    LocalStack stack = cli.stackForJobs();
    stack.lakehouse().spark();
    PrintWriter out = cli.spec.commandLine().getOut();
    // Closed by the JVM's exit (Ctrl-C), which also removes the serve file.
    QueryEndpoint endpoint = once ? null : QueryEndpoint.open(stack.lakehouse());
    if (endpoint != null) {
      out.printf(
          "query endpoint: 127.0.0.1:%d ('lakehouse sql' on this home answers from here)%n",
          endpoint.port());
    }
    out.printf(
        "local S3 endpoint: %s (access key %s, secret %s, region %s)%n",
        stack.s3Endpoint(),
        LocalS3Server.ACCESS_KEY,
        LocalS3Server.SECRET_KEY,
        LocalResources.REGION);
    out.printf(
        "drop files with: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws s3 cp FILE s3://%s/landing/orders/ "
            + "--endpoint-url %s --region %s%n",
        LocalS3Server.ACCESS_KEY,
        LocalS3Server.SECRET_KEY,
        LocalResources.LANDING_BUCKET,
        stack.s3Endpoint(),
        LocalResources.REGION);
    out.flush();
    Set<String> seen = new HashSet<>();
    do {
      // Objects dropped since the last look join the ingest queue (EventBridge → SQS on AWS); then
      // batches run.
      int queued = 0;
      for (S3Object object :
          stack
              .s3()
              .listObjectsV2Paginator(
                  b -> b.bucket(LocalResources.LANDING_BUCKET).prefix("landing/"))
              .contents()) {
        if (object.key().endsWith("/") || !seen.add(object.key() + "@" + object.eTag())) {
          continue;
        }
        out.println("new object s3://" + LocalResources.LANDING_BUCKET + "/" + object.key());
        stack.enqueue(
            new LocalStack.Landed(
                LocalResources.LANDING_BUCKET, object.key(), object.eTag().replace("\"", "")));
        queued++;
      }
      if (queued > 0) {
        for (Execution execution : stack.drain()) {
          RunReport.print(out, stack, execution);
        }
      }
      out.flush();
      if (!once) {
        Thread.sleep(pollSeconds * 1000L);
      }
    } while (!once);
    return 0;
  }
}
