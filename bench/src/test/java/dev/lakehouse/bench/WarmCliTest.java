package dev.lakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.LocalLakehouse;
import dev.lakehouse.local.stack.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query_warm_seconds} times the real warm path: {@code lakehouse sql} in a fresh JVM,
 * answered by a query endpoint on a warm session. The whole harness runs in {@link BenchSmokeTest};
 * this checks the warm measurement alone, on an empty file-storage home.
 */
class WarmCliTest {
  @TempDir Path dir;

  @Test
  void theWarmCliIsAnsweredByTheServeEndpoint() throws Exception {
    LakehouseHome home = LakehouseHome.open(dir.resolve("home"));
    home.storage(LakehouseHome.Storage.FILE);
    LocalLakehouse lakehouse = new LocalLakehouse(home, home.fileCatalogSettings());
    new TableProvisioner(lakehouse.catalog(), lakehouse.settings()).provision();
    lakehouse.spark();

    Path log = dir.resolve("logs/cli-warm.log");
    double seconds = Harness.warmCli(new ChildJvm(ProjectFiles.locate()), lakehouse, log);

    assertThat(seconds).isPositive();
    assertThat(Files.readString(log)).isEqualTo("count(1)\n0\n");
    assertThat(Files.exists(home.root().resolve("run/serve.json"))).isFalse();
  }
}
