package dev.lakehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.Execution;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.local.LakehouseHome;
import dev.lakehouse.local.generate.SampleDataGenerator;
import dev.lakehouse.local.stack.LocalStack;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakehouse:compute=emr-serverless} on one machine: the EMR Serverless form of the ingest
 * definition (derived from the same file) run by the local runner, its job tasks on the same Spark
 * jobs as the Glue form's, and gold the same as an independent computation.
 */
class EmrServerlessPipelineEndToEndTest {
  @TempDir Path dir;

  @Test
  void theEmrServerlessFormLoadsDroppedFilesToTheSameGold() throws Exception {
    var data = new SampleDataGenerator(PipelineEndToEndTest.DATA).writeTo(dir.resolve("data"));
    try (LocalStack stack =
        LocalStack.builder(LakehouseHome.open(dir.resolve("home"))).emrServerless(true).build()) {
      assertThat(stack.machine(LocalStack.INGEST_PIPELINE).resources())
          .containsExactlyInAnyOrder(
              "arn:aws:states:::lambda:invoke",
              "arn:aws:states:::emr-serverless:startJobRun.sync",
              "arn:aws:states:::sns:publish");
      for (Path file : List.of(data.customers(), data.products(), data.orders())) {
        Execution execution =
            stack.ingest(stack.upload(file, file.getFileName().toString().replace(".jsonl", "")));
        assertThat(execution.status())
            .as(execution.historyTable())
            .isEqualTo(ExecutionStatus.SUCCEEDED);
        String entity = file.getFileName().toString().replace(".jsonl", "");
        String silver = "Silver" + Character.toUpperCase(entity.charAt(0)) + entity.substring(1);
        assertThat(PipelineEndToEndTest.statesEntered(execution))
            .contains("ClaimBatch", "Bronze", silver, "Gold", "RecordBatch", "AckBatch", "Loaded")
            .containsOnlyOnce(silver)
            .filteredOn(s -> s.startsWith("Silver"))
            .containsExactly(silver);
        assertThat(execution.output().path("bronze").path("state").asText()).isEqualTo("SUCCESS");
      }
      assertThat(PipelineEndToEndTest.gold(stack.lakehouse().spark()))
          .isEqualTo(ExpectedGold.from(data.products(), data.orders()));
    }
  }
}
