package dev.lakehouse.core.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system (checksums included) without a child process per file. Without
 * Hadoop's native library, which nothing here ships, {@link RawLocalFileSystem} sets the
 * permissions of every file and directory it creates by running {@code chmod} in a new process: a
 * fork of the whole JVM for each data file, delete file, manifest and checksum file. On a {@code
 * --storage file} home that was most of a small MERGE's write (a JFR profile: 0.5 of 0.65 s in
 * {@code ProcessImpl.forkAndExec}). This one sets the same permissions in-process. Selected for
 * {@code file:} URIs by {@link #PROPERTY} in the local Spark session and the file-warehouse
 * catalogs; S3 and Glue never use it.
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
  /** The Hadoop property that makes it the file system for {@code file:} URIs. */
  public static final String PROPERTY = "fs.file.impl";

  /**
   * This class's name, a constant so that code without Hadoop on its class path (a Lambda) can name
   * it without loading it.
   */
  public static final String CLASS_NAME = "dev.lakehouse.core.catalog.ForklessLocalFileSystem";

  // PosixFilePermission's order (owner read … others execute) is the order of the mode's bits,
  // 0400 down to 0001.
  private static final PosixFilePermission[] BY_BIT = PosixFilePermission.values();

  public ForklessLocalFileSystem() {
    super(new InProcessPermissions());
  }

  /** The permission bits of {@code permission} (sticky bit aside) as java.nio sees them. */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    short mode = permission.toShort();
    for (int i = 0; i < BY_BIT.length; i++) {
      if ((mode & (1 << (BY_BIT.length - 1 - i))) != 0) {
        set.add(BY_BIT[i]);
      }
    }
    return set;
  }

  static final class InProcessPermissions extends RawLocalFileSystem {
    @Override
    public void setPermission(Path path, FsPermission permission) throws IOException {
      Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission));
    }
  }
}
