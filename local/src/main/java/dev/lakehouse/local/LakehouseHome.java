package dev.lakehouse.local;

import dev.lakehouse.core.catalog.CatalogSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local lakehouse's home directory ({@code --home}, env {@code LAKEHOUSE_HOME}, default {@code
 * ./.lakehouse}): the SQLite catalog, the warehouse, the landing area and the execution logs all
 * live under it.
 */
public final class LakehouseHome {
  public static final String ENV = "LAKEHOUSE_HOME";
  public static final String DEFAULT = ".lakehouse";

  private final Path root;

  private LakehouseHome(Path root) {
    this.root = root;
  }

  /** Opens (creating if needed) a home; fails with a one-line reason if it cannot be used. */
  public static LakehouseHome open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    try {
      if (Files.exists(root) && !Files.isDirectory(root)) {
        throw new HomeException(
            "cannot use lakehouse home " + root + ": it is a file, not a directory");
      }
      Files.createDirectories(root);
      for (String sub : new String[] {"warehouse", "landing", "executions"}) {
        Files.createDirectories(root.resolve(sub));
      }
    } catch (IOException e) {
      throw new HomeException(
          "cannot use lakehouse home "
              + root
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    if (!Files.isReadable(root) || !Files.isWritable(root)) {
      throw new HomeException(
          "cannot use lakehouse home " + root + ": not readable and writable by this user");
    }
    return new LakehouseHome(root);
  }

  public Path root() {
    return root;
  }

  public Path landing() {
    return root.resolve("landing");
  }

  public Path executions() {
    return root.resolve("executions");
  }

  /**
   * Where table files live: on the local S3-compatible server (as on AWS, the default) or in a
   * directory.
   */
  public enum Storage {
    S3,
    FILE
  }

  /**
   * The home's storage, fixed when the home is first used ({@code lakehouse.properties}); {@code
   * requested} may only repeat it.
   */
  public Storage storage(Storage requested) {
    Path file = root.resolve("lakehouse.properties");
    try {
      java.util.Properties props = new java.util.Properties();
      if (Files.exists(file)) {
        try (var in = Files.newBufferedReader(file)) {
          props.load(in);
        }
        Storage existing =
            Storage.valueOf(props.getProperty("storage", "S3").toUpperCase(java.util.Locale.ROOT));
        if (requested != null && requested != existing) {
          throw new HomeException(
              "lakehouse home "
                  + root
                  + " uses --storage "
                  + existing.name().toLowerCase()
                  + "; it cannot be switched to "
                  + requested.name().toLowerCase());
        }
        return existing;
      }
      Storage chosen = requested == null ? Storage.S3 : requested;
      props.setProperty("storage", chosen.name().toLowerCase());
      try (var out = Files.newBufferedWriter(file)) {
        props.store(out, "lakehouse home settings");
      }
      return chosen;
    } catch (IOException e) {
      throw new HomeException("cannot use lakehouse home " + root + ": " + e.getMessage());
    }
  }

  /** File storage: JDBC catalog on SQLite with a file-system warehouse, both in the home. */
  public CatalogSettings fileCatalogSettings() {
    return CatalogSettings.embedded(root);
  }

  /**
   * S3 storage: JDBC catalog on SQLite in the home, warehouse {@code s3://warehouse/} on the local
   * S3 server.
   */
  public CatalogSettings s3CatalogSettings(
      String endpoint, String bucket, String accessKey, String secretKey, String region) {
    return CatalogSettings.builder(dev.lakehouse.core.catalog.CatalogType.JDBC)
        .uri("jdbc:sqlite:" + root.resolve("catalog.db"))
        .warehouse("s3://" + bucket + "/")
        .s3Endpoint(endpoint)
        .s3PathStyle(true)
        .s3Credentials(accessKey, secretKey)
        .region(region)
        .build();
  }

  public Path s3Store() {
    return root.resolve("s3");
  }

  public Path s3StateFile() {
    return root.resolve("s3.server");
  }

  /**
   * Held (an exclusive OS file lock) while a process starts, attaches to or leaves the home's S3
   * server.
   */
  public Path s3LockFile() {
    return root.resolve("s3.lock");
  }

  /**
   * One empty file per process using the home's S3 server, named by its pid: the server's reference
   * count.
   */
  public Path s3Clients() {
    return root.resolve("s3.clients");
  }

  /** A home that cannot be created or written. */
  public static final class HomeException extends RuntimeException {
    public HomeException(String message) {
      super(message);
    }
  }
}
