package dev.lakehouse.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForklessLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void itIsTheFileSystemOfFileUrisWhenConfiguredAndNamedByItsConstant() throws Exception {
    Configuration conf = new Configuration();
    conf.set(ForklessLocalFileSystem.PROPERTY, ForklessLocalFileSystem.CLASS_NAME);

    FileSystem fs = FileSystem.newInstance(dir.toUri(), conf);

    assertThat(fs).isInstanceOf(ForklessLocalFileSystem.class);
    assertThat(ForklessLocalFileSystem.CLASS_NAME)
        .isEqualTo(ForklessLocalFileSystem.class.getName());
  }

  @Test
  void filesAndDirectoriesGetTheRequestedPermissionsAndChecksumsAsBefore() throws Exception {
    Configuration conf = new Configuration();
    conf.set(ForklessLocalFileSystem.PROPERTY, ForklessLocalFileSystem.CLASS_NAME);
    conf.set("fs.permissions.umask-mode", "027");
    FileSystem fs = FileSystem.newInstance(dir.toUri(), conf);
    Path file = new Path(dir.resolve("nested/data.parquet").toUri());

    try (FSDataOutputStream out =
        fs.create(file, new FsPermission((short) 0666), true, 4096, (short) 1, 1 << 20, null)) {
      out.write("rows".getBytes(StandardCharsets.UTF_8));
    }
    fs.mkdirs(new Path(dir.resolve("other").toUri()), new FsPermission((short) 0755));

    assertThat(Files.readString(dir.resolve("nested/data.parquet"))).isEqualTo("rows");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("nested/data.parquet"))))
        .isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("other"))))
        .isEqualTo("rwxr-x---");
    assertThat(dir.resolve("nested/.data.parquet.crc")).exists();
  }

  @Test
  void everyModeBitMapsToItsPosixPermission() {
    assertThat(
            PosixFilePermissions.toString(
                ForklessLocalFileSystem.posix(new FsPermission((short) 01754))))
        .isEqualTo("rwxr-xr--");
    assertThat(ForklessLocalFileSystem.posix(new FsPermission((short) 0))).isEmpty();
    assertThat(
            PosixFilePermissions.toString(
                ForklessLocalFileSystem.posix(new FsPermission((short) 0777))))
        .isEqualTo("rwxrwxrwx");
  }
}
