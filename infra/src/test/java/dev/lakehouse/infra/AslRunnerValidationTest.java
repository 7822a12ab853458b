package dev.lakehouse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.asl.AslLoader;
import dev.lakehouse.asl.StateMachine;
import dev.lakehouse.asl.model.State;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The definitions CDK deploys (the real files in statemachines/) load in the project's ASL runner
 * and pass every check it makes at load time, so what the local stack runs is what AWS runs. The
 * runner substitutes {@code ${Name}} placeholders textually, as CDK's definitionSubstitutions do;
 * each gets a value of the shape CDK inserts (an ARN or a job name).
 */
class AslRunnerValidationTest {

  @Test
  void theIngestPipelineValidatesWithItsStates() {
    StateMachine machine = load(Artifacts.INGEST_ASL);

    assertThat(machine.name()).isEqualTo("ingest-pipeline");
    assertThat(machine.definition().startAt()).isEqualTo("ClaimBatch");
    assertThat(machine.definition().stateNames())
        .containsExactly(
            "ClaimBatch",
            "BatchReady",
            "WaitForBatchWindow",
            "ClaimAfterWindow",
            "NothingToIngest",
            "AnyRejected",
            "NotifyRejections",
            "AnyAccepted",
            "Bronze",
            "MoreQueued",
            "ClaimMore",
            "CustomersChanged",
            "SilverCustomers",
            "ProductsChanged",
            "SilverProducts",
            "OrdersChanged",
            "SilverOrders",
            "Gold",
            "RecordBatch",
            "AckBatch",
            "Loaded");
    assertThat(machine.resources())
        .containsExactlyInAnyOrder(
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::glue:startJobRun.sync",
            "arn:aws:states:::sns:publish");
  }

  @Test
  void theMaintenanceMachineValidatesWithItsStatesAndThoseOfItsMap() {
    StateMachine machine = load(Artifacts.MAINTENANCE_ASL);

    assertThat(machine.name()).isEqualTo("maintenance");
    assertThat(machine.definition().startAt()).isEqualTo("ListTables");
    assertThat(machine.definition().stateNames())
        .containsExactly("ListTables", "MaintainTables", "Summary");
    State.Map map = (State.Map) machine.definition().state("MaintainTables");
    assertThat(map.processor().startAt()).isEqualTo("ExpireSnapshots");
    assertThat(map.processor().stateNames())
        .containsExactly(
            "ExpireSnapshots",
            "RewriteManifests",
            "ListFromTheStart",
            "RemoveOrphanFiles",
            "MoreFilesToList",
            "Compact");
    assertThat(machine.resources())
        .containsExactlyInAnyOrder(
            "arn:aws:states:::lambda:invoke", "arn:aws:states:::glue:startJobRun.sync");
  }

  private static StateMachine load(String file) {
    Path path = TestStacks.infraDir().getParent().resolve(file);
    Map<String, String> substitutions = new TreeMap<>();
    for (String placeholder : AslDefinition.read(path).placeholders()) {
      substitutions.put(placeholder, valueFor(placeholder));
    }
    return AslLoader.load(path, substitutions);
  }

  /**
   * A value shaped like the one CDK substitutes; a new kind of placeholder has to be added here on
   * purpose.
   */
  private static String valueFor(String placeholder) {
    if (placeholder.endsWith("FunctionArn")) {
      return "arn:aws:lambda:eu-west-1:123456789012:function:" + placeholder + ":live";
    }
    if (placeholder.endsWith("JobName")) {
      return "lakehouse-dev-" + placeholder;
    }
    if (placeholder.endsWith("TopicArn")) {
      return "arn:aws:sns:eu-west-1:123456789012:" + placeholder;
    }
    throw new IllegalArgumentException("no test value for placeholder " + placeholder);
  }
}
