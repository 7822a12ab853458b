package dev.lakehouse.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.admin.AdminJson;
import dev.lakehouse.core.admin.InvalidArgument;
import dev.lakehouse.core.admin.TableAdmin;
import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.functions.support.Args;
import dev.lakehouse.functions.support.Clients;
import dev.lakehouse.functions.support.Telemetry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Table administration by operation name: {@code {"operation": "snapshots", "table":
 * "curated_orders", ...}}; see docs/functions.md for each operation's arguments and answer. Also a
 * CloudFormation custom resource (CDK provider framework): {@code RequestType} Create/Update with
 * {@code ResourceProperties.operation = createTables} creates the declared tables; Delete keeps
 * them.
 */
public final class TableAdminHandler extends SnapStartHandler {
  public static final List<String> OPERATIONS =
      List.of(
          "listTables",
          "createTables",
          "describe",
          "snapshots",
          "history",
          "timeTravel",
          "diff",
          "rollback",
          "addColumn",
          "renameColumn",
          "widenColumn",
          "addPartitionField",
          "removePartitionField",
          "tag");

  /**
   * Stable, so an Update of the custom resource never looks like a replacement to CloudFormation.
   */
  public static final String PHYSICAL_RESOURCE_ID = "lakehouse-tables-" + LakehouseTables.NAMESPACE;

  /** The admin records as the answer map, written as {@link AdminJson} says. */
  private static final ObjectMapper JSON = AdminJson.MAPPER;

  private static final TypeReference<Map<String, Object>> ANSWER = new TypeReference<>() {};

  private final Supplier<TableAdmin> admin;

  public TableAdminHandler() {
    this.admin =
        Clients.Lazy.of(
            () ->
                new TableAdmin(
                    Clients.catalog().get(), Clients.settings().get(), Clock.systemUTC()));
    registerForSnapStart();
  }

  public TableAdminHandler(TableAdmin admin) {
    this.admin = () -> admin;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Args args = new Args(event);
    if (args.has("RequestType")) {
      return customResource(args, context);
    }
    String operation = args.string("operation");
    return Telemetry.invoke(
        "TableAdmin",
        operation == null ? "none" : operation,
        context,
        correlationId(event, context),
        rec -> {
          if (operation != null && args.has("table")) {
            rec.annotate("Table", args.string("table"));
          }
          return dispatch(operation, args);
        });
  }

  Map<String, Object> dispatch(String operation, Args a) {
    return JSON.convertValue(result(operation, a), ANSWER);
  }

  private Object result(String operation, Args a) {
    if (operation == null) {
      throw new InvalidArgument("missing 'operation'; one of " + OPERATIONS);
    }
    TableAdmin s = admin.get();
    return switch (operation) {
      case "listTables" -> s.inspect().listTables();
      case "createTables" -> s.createTables();
      case "describe" -> s.inspect().describe(a.requireString("table"));
      case "snapshots" -> s.inspect().snapshots(a.requireString("table"));
      case "history" -> s.inspect().history(a.requireString("table"));
      case "timeTravel" ->
          s.timeTravel(a.requireString("table"))
              .snapshot(a.longValue("snapshotId"))
              .asOf(a.string("asOf"))
              .limit(a.intValue("limit"))
              .execute();
      case "diff" ->
          s.diff(a.requireString("table"))
              .from(a.longValue("fromSnapshotId"))
              .fromAsOf(a.string("fromAsOf"))
              .to(a.longValue("toSnapshotId"))
              .toAsOf(a.string("toAsOf"))
              .sample(a.intValue("sampleSize"))
              .by(a.has("keyColumns") ? List.of(a.string("keyColumns").split("\\s*,\\s*")) : null)
              .execute();
      case "rollback" ->
          s.rollback(a.requireString("table"))
              .toSnapshot(a.longValue("snapshotId"))
              .asOf(a.string("asOf"))
              .by(a.string("actor"))
              .because(a.string("reason"))
              .executionId(a.string("executionId"))
              .recomputeGold(a.bool("recomputeGold", false))
              .execute();
      case "tag" ->
          s.tag(a.requireString("table"))
              .named(a.string("name"))
              .snapshot(a.longValue("snapshotId"))
              .retainDays(a.intValue("retainDays"))
              .execute();
      case "addColumn" ->
          s.schema(a.requireString("table"))
              .addColumn(a.string("column"), a.string("type"), a.string("doc"));
      case "renameColumn" ->
          s.schema(a.requireString("table")).renameColumn(a.string("column"), a.string("newName"));
      case "widenColumn" ->
          s.schema(a.requireString("table")).widenColumn(a.string("column"), a.string("type"));
      case "addPartitionField" ->
          s.partitioning(a.requireString("table"))
              .addField(a.string("transform"), a.string("name"));
      case "removePartitionField" ->
          s.partitioning(a.requireString("table")).removeField(a.string("field"));
      default ->
          throw new InvalidArgument("unknown operation '" + operation + "'; one of " + OPERATIONS);
    };
  }

  /**
   * CloudFormation custom resource through the CDK provider framework: answer PhysicalResourceId
   * and Data.
   */
  private Map<String, Object> customResource(Args event, Context context) {
    String requestType = event.string("RequestType");
    String requestId = event.string("RequestId");
    return Telemetry.invoke(
        "TableAdmin",
        "customResource." + requestType,
        context,
        requestId == null ? correlationId(event.raw(), context) : requestId,
        rec -> {
          Map<String, Object> out = new LinkedHashMap<>();
          Map<String, Object> data = new LinkedHashMap<>();
          switch (requestType) {
            case "Create", "Update" -> {
              String operation = event.child("ResourceProperties").string("operation");
              if (!"createTables".equals(operation)) {
                throw new InvalidArgument(
                    "custom resource supports ResourceProperties.operation = createTables, not '"
                        + operation
                        + "'");
              }
              TableProvisioner.Result result = admin.get().createTables();
              data.put("Namespace", result.namespace());
              data.put("Created", String.join(",", result.created()));
              data.put("Existing", String.join(",", result.existing()));
              data.put(
                  "TableCount", String.valueOf(result.created().size() + result.existing().size()));
              rec.count("TablesCreated", result.created().size());
              out.put("PhysicalResourceId", PHYSICAL_RESOURCE_ID);
            }
            case "Delete" -> {
              // The tables hold the data: deleting the stack never drops them.
              String physical = event.string("PhysicalResourceId");
              out.put("PhysicalResourceId", physical == null ? PHYSICAL_RESOURCE_ID : physical);
              data.put("Retained", "true");
            }
            default ->
                throw new InvalidArgument(
                    "unknown RequestType '" + requestType + "'; expected Create, Update or Delete");
          }
          out.put("Data", data);
          return out;
        });
  }
}
