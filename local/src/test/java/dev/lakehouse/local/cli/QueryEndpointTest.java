package dev.lakehouse.local.cli;

import static dev.lakehouse.local.cli.LakehouseCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.LocalLakehouse;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm query path: a serve's endpoint answers {@code lakehouse sql} with the very output the
 * cold path prints, refuses a wrong token, and a serve file left by a dead serve sends the CLI down
 * the cold path. The endpoint runs in this JVM on the CLI tests' file-storage home and session.
 */
class QueryEndpointTest {
  @TempDir Path dir;

  private static final String TOTALS =
      "select count(*) as products, sum(price) as total from ecommerce_lakehouse.curated_products";

  @Test
  void warmAnswersAreTheColdAnswersAndQueriesTakeTurns() throws Exception {
    String h = home();
    Outcome cold = sql(h, TOTALS, "csv");
    assertThat(cold.out()).isEqualTo("products,total\n3,62.55\n");
    Outcome coldError = sql(h, "select * from ecommerce_lakehouse.nope", "table");

    try (QueryEndpoint endpoint = QueryEndpoint.open(lakehouse(h))) {
      Outcome warm = sql(h, TOTALS, "csv");
      assertThat(warm).isEqualTo(cold);
      assertThat(sql(h, TOTALS, "json").out()).isEqualTo("{\"products\":3,\"total\":62.55}\n");
      assertThat(sql(h, TOTALS, "table").out())
          .isEqualTo("products  total\n--------  -----\n3         62.55\n(1 row)\n");
      Outcome warmError = sql(h, "select * from ecommerce_lakehouse.nope", "table");
      assertThat(warmError).isEqualTo(coldError);
      assertThat(warmError.exitCode()).isEqualTo(2);
      assertThat(warmError.err())
          .startsWith("lakehouse: query failed: [TABLE_OR_VIEW_NOT_FOUND]")
          .hasLineCount(1);

      // Two clients at once: the endpoint runs one query after the other, each gets its own rows.
      CompletableFuture<Outcome> a =
          CompletableFuture.supplyAsync(() -> sql(h, TOTALS + " where category = 'Books'", "csv"));
      CompletableFuture<Outcome> b =
          CompletableFuture.supplyAsync(() -> sql(h, TOTALS + " where category = 'Games'", "csv"));
      assertThat(a.get().out()).isEqualTo("products,total\n2,32.55\n");
      assertThat(b.get().out()).isEqualTo("products,total\n1,30.00\n");
      assertThat(endpoint.served()).isEqualTo(6);
    }
    assertThat(Files.exists(dir.resolve("home/run/serve.json"))).isFalse();
  }

  @Test
  void aWrongTokenIsRefusedAndAStaleServeFileFallsBackToTheColdPath() throws Exception {
    String h = home();
    Path serveFile = dir.resolve("home/run/serve.json");
    try (QueryEndpoint endpoint = QueryEndpoint.open(lakehouse(h))) {
      assertThat(Files.getPosixFilePermissions(serveFile))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      assertThat(post(endpoint.port(), "not-the-token")).isEqualTo(403);
      assertThat(post(endpoint.port(), null)).isEqualTo(403);
      assertThat(endpoint.served()).isZero();

      // A serve file whose token the endpoint refuses: the CLI answers cold, and right.
      String advertised = Files.readString(serveFile);
      Files.writeString(
          serveFile, advertised.replaceFirst("\"token\":\"[0-9a-f]+\"", "\"token\":\"abcdef\""));
      assertThat(sql(h, TOTALS, "csv").out()).isEqualTo("products,total\n3,62.55\n");
      assertThat(endpoint.served()).isZero();
    }

    // A serve killed with SIGKILL leaves its file behind: its pid is dead, the CLI answers cold.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(serveFile, "{\"port\":1,\"pid\":" + gone.pid() + ",\"token\":\"abc\"}");
    Outcome stale = sql(h, TOTALS, "csv");
    assertThat(stale.exitCode()).as(stale.err()).isZero();
    assertThat(stale.out()).isEqualTo("products,total\n3,62.55\n");
    // A live pid whose port no longer listens (the port of an endpoint that closed) is stale too.
    int closedPort;
    try (QueryEndpoint closed = QueryEndpoint.open(lakehouse(h))) {
      closedPort = closed.port();
    }
    Files.writeString(
        serveFile,
        "{\"port\":"
            + closedPort
            + ",\"pid\":"
            + ProcessHandle.current().pid()
            + ",\"token\":\"abc\"}");
    assertThat(sql(h, TOTALS, "csv").out()).isEqualTo("products,total\n3,62.55\n");
  }

  record Outcome(int exitCode, String out, String err) {}

  private static Outcome sql(String home, String query, String format) {
    LakehouseCliTest.Outcome o = run("--home", home, "sql", query, "--format", format);
    return new Outcome(o.exitCode(), o.out(), o.err());
  }

  /** A file-storage home with three products: 10.00 + 22.55 in Books, 30.00 in Games. */
  private String home() {
    String h = dir.resolve("home").toString();
    assertThat(run("--home", h, "init").exitCode()).isZero();
    LakehouseCliTest.Outcome insert =
        run(
            "--home",
            h,
            "sql",
            "INSERT INTO ecommerce_lakehouse.curated_products VALUES "
                + String.join(
                    ", ",
                    List.of(
                        LakehouseCliTest.product("p1", "Books", "10.00", "f1"),
                        LakehouseCliTest.product("p2", "Books", "22.55", "f1"),
                        LakehouseCliTest.product("p3", "Games", "30.00", "f1"))));
    assertThat(insert.exitCode()).as(insert.err()).isZero();
    return h;
  }

  private static LocalLakehouse lakehouse(String home) {
    LakehouseHome opened = LakehouseHome.open(Path.of(home));
    return new LocalLakehouse(opened, opened.fileCatalogSettings());
  }

  private static int post(int port, String token) throws Exception {
    HttpURLConnection http =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/sql").toURL().openConnection();
    http.setRequestMethod("POST");
    http.setDoOutput(true);
    if (token != null) {
      http.setRequestProperty(QueryEndpoint.TOKEN_HEADER, token);
    }
    try (var body = http.getOutputStream()) {
      body.write("select 1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return http.getResponseCode();
  }
}
