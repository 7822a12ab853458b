package dev.lakehouse.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.loader.Placeholders;
import dev.lakehouse.core.jobs.SparkJobs;
import dev.lakehouse.core.resources.LakehouseFunction;
import dev.lakehouse.core.resources.StatePlaceholders;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The local stack binds every placeholder of the real state machine files, from the resource
 * catalogs.
 */
class LocalResourcesTest {
  @Test
  void everyPlaceholderOfTheStateMachineFilesIsBound() throws IOException {
    Set<String> used = new TreeSet<>();
    for (String file : new String[] {"ingest-pipeline", "maintenance"}) {
      String text = Files.readString(ProjectFiles.locate().stateMachine(file));
      used.addAll(StatePlaceholders.in(text));
      // The runner's syntax is CloudFormation's, broader than the project's: on the real files both
      // read the same.
      assertThat(new TreeSet<>(Placeholders.names(text)))
          .as(file)
          .isEqualTo(StatePlaceholders.in(text));
    }
    assertThat(LocalResources.substitutions().keySet()).containsAll(used);
    assertThat(LocalResources.substitutions())
        .containsEntry(
            "IngestRouterFunctionArn",
            "arn:aws:lambda:us-east-1:000000000000:function:lakehouse-ingest-router:live")
        .containsEntry("BronzeJobName", "lakehouse-bronze")
        .containsEntry("SilverOrdersJobName", "lakehouse-silver-orders");
  }

  @Test
  void theJobConstantsAreTheCatalogsNames() {
    Set<String> fromCatalog = new TreeSet<>();
    SparkJobs.all().forEach(spec -> fromCatalog.add(LocalResources.jobName(spec)));
    assertThat(fromCatalog)
        .containsExactlyInAnyOrder(
            LocalResources.BRONZE_JOB,
            LocalResources.SILVER_CUSTOMERS_JOB,
            LocalResources.SILVER_PRODUCTS_JOB,
            LocalResources.SILVER_ORDERS_JOB,
            LocalResources.GOLD_JOB,
            LocalResources.COMPACTION_JOB);
    assertThat(LocalResources.functionName(LakehouseFunction.RUN_RECORDER))
        .isEqualTo(LocalResources.RUN_RECORDER)
        .isEqualTo("lakehouse-run-recorder");
  }
}
