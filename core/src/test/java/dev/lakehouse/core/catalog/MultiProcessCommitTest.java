package dev.lakehouse.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.tables.LakehouseTables;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two OS processes commit to one table through one SQLite catalog file at the same time. With
 * Iceberg 1.10 this failed every commit with SQLITE_BUSY; 1.12 plus a busy timeout and commit
 * retries must land all of them.
 */
class MultiProcessCommitTest {
  static final int COMMITS_PER_PROCESS = 8;

  @TempDir Path home;

  @Test
  void twoProcessesCommitToOneSqliteCatalogWithoutLosingACommit() throws Exception {
    CatalogSettings settings = CatalogSettings.embedded(home);
    new TableProvisioner(CatalogFactory.create(settings), settings).provision();

    List<Process> writers = new ArrayList<>();
    for (String writer : List.of("a", "b")) {
      writers.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Committer.class.getName(),
                  home.toString(),
                  writer)
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("writer-" + writer + ".log").toFile())
              .start());
    }
    for (Process p : writers) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("writer exit code, see %s", home).isZero();
    }

    Table table =
        CatalogFactory.create(settings).loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
    assertThat(table.snapshots()).hasSize(2 * COMMITS_PER_PROCESS);
    assertThat(table.currentSnapshot().summary())
        .containsEntry("total-data-files", "16")
        .containsEntry("total-records", "16");
  }

  /** Child process: appends one (metadata-only) data file per commit, as fast as it can. */
  public static final class Committer {
    public static void main(String[] args) {
      Path home = Path.of(args[0]);
      String writer = args[1];
      Catalog catalog = CatalogFactory.create(CatalogSettings.embedded(home));
      Table table = catalog.loadTable(LakehouseTables.CURATED_PRODUCTS.identifier());
      for (int i = 0; i < COMMITS_PER_PROCESS; i++) {
        DataFile file =
            DataFiles.builder(table.spec())
                .withPath(table.location() + "/data/" + writer + "-" + i + ".parquet")
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(100)
                .withRecordCount(1)
                .build();
        table.newFastAppend().appendFile(file).commit();
      }
      System.out.println(
          "writer " + writer + " committed " + COMMITS_PER_PROCESS + " via " + File.pathSeparator);
    }
  }
}
