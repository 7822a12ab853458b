package dev.lakehouse.local;

import dev.lakehouse.core.catalog.CatalogSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local lakehouse's home directory ({@code --home}, env {@code LAKEHOUSE_HOME}, default {@code ./.lakehouse}):
 * the SQLite catalog, the warehouse, the landing area and the execution logs all live under it.
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
        throw new HomeException("cannot use lakehouse home " + root + ": it is a file, not a directory");
      }
      Files.createDirectories(root);
      for (String sub : new String[] {"warehouse", "landing", "executions"}) {
        Files.createDirectories(root.resolve(sub));
      }
    } catch (IOException e) {
      throw new HomeException("cannot use lakehouse home " + root + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    if (!Files.isReadable(root) || !Files.isWritable(root)) {
      throw new HomeException("cannot use lakehouse home " + root + ": not readable and writable by this user");
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

  /** The embedded default: JDBC catalog on SQLite with a file-system warehouse. */
  public CatalogSettings catalogSettings() {
    return CatalogSettings.embedded(root);
  }

  /** A home that cannot be created or written. */
  public static final class HomeException extends RuntimeException {
    public HomeException(String message) {
      super(message);
    }
  }
}
