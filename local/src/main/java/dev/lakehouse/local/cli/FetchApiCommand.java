package dev.lakehouse.local.cli;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.local.stack.LocalRestSource;
import dev.lakehouse.local.stack.LocalStack;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "fetch-api",
    description = {
      "Pull pages of an HTTP JSON API into landing/<table>/ as JSON Lines (the RestSource Lambda, run locally), then",
      "run the ingest pipeline for each object landed. The cursor is kept in the landing bucket under",
      "state/rest/<source>.json, so the next run continues where this one stopped."
    })
final class FetchApiCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Option(
      names = "--url",
      required = true,
      paramLabel = "URL",
      description = "The API's list endpoint.")
  String url;

  @Option(
      names = "--table",
      required = true,
      paramLabel = "customers|products|orders",
      description = "The table the records are for.")
  String table;

  @Option(
      names = "--source",
      paramLabel = "NAME",
      description = "Names the cursor and the landing sub-prefix " + "(default: <table>-api).")
  String source;

  @Option(
      names = "--max-pages",
      paramLabel = "N",
      description = "Pages fetched at most in this run (default 10).")
  Integer maxPages;

  @Option(
      names = "--pagination",
      paramLabel = "cursor|page",
      description =
          "cursor (default): the answer's "
              + "--next-cursor-path names the next page; page: ?page=1, 2, ... until an empty or short page.")
  String pagination;

  @Option(
      names = "--items-path",
      paramLabel = "POINTER",
      description = "JSON pointer to the items array (default /data; \"\" for a bare array).")
  String itemsPath;

  @Option(
      names = "--next-cursor-path",
      paramLabel = "POINTER",
      description = "JSON pointer to the next cursor " + "(default /next_cursor).")
  String nextCursorPath;

  @Option(
      names = "--page-size",
      paramLabel = "N",
      description = "Sent as page_size; in page mode a shorter page ends.")
  Integer pageSize;

  @Option(
      names = "--token-env",
      paramLabel = "VAR",
      description =
          "Environment variable holding the API's bearer "
              + "token (on AWS: a Secrets Manager secret).")
  String tokenEnv;

  @Option(
      names = "--no-ingest",
      description = "Only land the objects; do not run the pipeline for them.")
  boolean noIngest;

  @Override
  public Integer call() {
    String token = null;
    if (tokenEnv != null) {
      token = System.getenv(tokenEnv);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException(
            "environment variable " + tokenEnv + " (--token-env) is not set");
      }
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("source", source != null ? source : table.trim().toLowerCase(Locale.ROOT) + "-api");
    payload.put("url", url);
    payload.put("table", table);
    put(payload, "maxPages", maxPages);
    put(payload, "pagination", pagination);
    put(payload, "itemsPath", itemsPath);
    put(payload, "nextCursorPath", nextCursorPath);
    put(payload, "pageSize", pageSize);
    LocalStack stack = cli.stack();
    Optional<String> bearer = Optional.ofNullable(token);
    LocalRestSource rest = new LocalRestSource(stack, () -> bearer);
    Map<String, Object> answer = rest.run(payload);
    PrintWriter out = cli.spec.commandLine().getOut();
    out.printf(
        "%s: %s page(s), %s record(s) landed in %d object(s), %s page(s) already landed; next %s%n",
        answer.get("source"),
        answer.get("pages"),
        answer.get("records"),
        rest.landed(answer).size(),
        answer.get("alreadyLanded"),
        answer.get("nextCursor") != null
            ? "cursor " + answer.get("nextCursor")
            : answer.get("nextPage") != null
                ? "page " + answer.get("nextPage")
                : "run starts at the first page");
    int failed = 0;
    for (LocalStack.Landed landed : rest.landed(answer)) {
      out.printf("-> s3://%s/%s%n", landed.bucket(), landed.key());
      if (!noIngest) {
        Execution execution = stack.ingest(landed);
        RunReport.print(out, stack, execution);
        failed += execution.status() == ExecutionStatus.SUCCEEDED ? 0 : 1;
      }
    }
    if (failed > 0) {
      cli.spec
          .commandLine()
          .getErr()
          .println(
              "lakehouse: "
                  + failed
                  + " landed object(s) failed in the pipeline; "
                  + "see 'lakehouse executions'");
      return LakehouseCli.EXIT_FAILED;
    }
    return 0;
  }

  private static void put(Map<String, Object> payload, String name, Object value) {
    if (value != null) {
      payload.put(name, value);
    }
  }
}
