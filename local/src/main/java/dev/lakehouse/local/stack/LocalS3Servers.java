package dev.lakehouse.local.stack;

import dev.lakehouse.core.s3.LocalS3Server;
import dev.lakehouse.local.LakehouseHome;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One S3-compatible server per lakehouse home: attached if another process (e.g. {@code lakehouse serve}) runs it,
 * reused within this JVM, otherwise started and stopped when this JVM exits. Its objects live under the home.
 */
public final class LocalS3Servers {
  private static final Map<Path, LocalS3Server> RUNNING = new HashMap<>();

  private LocalS3Servers() {}

  public static synchronized LocalS3Server forHome(LakehouseHome home, ProjectFiles files) {
    LocalS3Server server = RUNNING.get(home.root());
    if (server != null) {
      return server;
    }
    server = LocalS3Server.attach(home.s3StateFile()).orElse(null);
    if (server == null) {
      server = LocalS3Server.start(files.s3MockJar(), home.s3Store(), true, home.s3StateFile());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    server.bucket(LocalResources.LANDING_BUCKET);
    server.bucket(LocalResources.WAREHOUSE_BUCKET);
    RUNNING.put(home.root(), server);
    return server;
  }
}
