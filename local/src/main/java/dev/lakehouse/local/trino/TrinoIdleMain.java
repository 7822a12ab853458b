package dev.lakehouse.local.trino;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The main class of a home's Trino process: Trino's own server main, plus a watchdog that ends the
 * process once nobody has queried it for a while. The server outlives the CLI command that started
 * it so the next query attaches at once, but a ~1 GB JVM left running forever after one query would
 * be a surprise. Runs on Trino's Java (24+) with Trino's jars; uses only the JDK itself.
 *
 * <p>Arguments: the activity file the CLI touches around each query, and the idle time in seconds.
 */
public final class TrinoIdleMain {
  private TrinoIdleMain() {}

  public static void main(String[] args) throws Exception {
    Path activity = Path.of(args[0]);
    Duration idle = Duration.ofSeconds(Long.parseLong(args[1]));
    Thread watchdog =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(Math.min(idle.toMillis(), 15_000));
                  Instant last = Files.getLastModifiedTime(activity).toInstant();
                  if (Instant.now().isAfter(last.plus(idle))) {
                    System.err.println(
                        "lakehouse: no query for " + idle.toSeconds() + " s, stopping Trino");
                    System.exit(0);
                  }
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // The activity file is gone (the home was deleted): nobody can query this server
                  // any more.
                  System.err.println(
                      "lakehouse: activity file unreadable (" + e + "), stopping Trino");
                  System.exit(0);
                }
              }
            },
            "lakehouse-idle-stop");
    watchdog.setDaemon(true);
    watchdog.start();
    Class.forName("io.trino.server.TrinoServer")
        .getMethod("main", String[].class)
        .invoke(null, (Object) new String[0]);
  }
}
