package dev.lakehouse.local.stack;

import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.s3.LocalS3Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A stand-in for one {@code lakehouse} CLI process, run as a child JVM by {@link
 * LocalS3ServersProcessTest}: waits until the given instant so several children race, gets the
 * home's S3 server, prints its port, and exits (running the shutdown hooks) when a line or end of
 * input arrives on stdin, or after a minute so it never outlives a test.
 *
 * <p>Arguments: home directory, start instant (epoch millis).
 */
public final class S3ServerClientMain {
  private S3ServerClientMain() {}

  public static void main(String[] args) throws Exception {
    LakehouseHome home = LakehouseHome.open(Path.of(args[0]));
    long startAt = Long.parseLong(args[1]);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                return;
              }
              System.exit(3);
            });
    watchdog.setDaemon(true);
    watchdog.start();

    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
    LocalS3Server server = LocalS3Servers.forHome(home, ProjectFiles.locate());
    System.out.println("port=" + server.port() + " pid=" + ProcessHandle.current().pid());
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }
}
