package dev.lakehouse.core.resources;

/**
 * The Lambda functions of the lakehouse, whoever deploys them: the handler each runs, the name it
 * is deployed under (after the stack's or the local stack's prefix) and the placeholder the state
 * machine files name it by. The CDK app (with its sizing per function) and the local stack (with
 * its in-process handlers) both read this list.
 */
public enum LakehouseFunction {
  INGEST_ROUTER(
      "IngestRouter",
      "IngestRouterHandler",
      "ingest-router",
      "Validates a landed object and routes it to the pipeline for its entity"),
  TABLE_ADMIN(
      "TableAdmin",
      "TableAdminHandler",
      "table-admin",
      "Creates the declared Iceberg tables (CloudFormation custom resource and pipeline step)"),
  MAINTENANCE(
      "Maintenance",
      "MaintenanceHandler",
      "maintenance",
      "Expires snapshots, removes orphan files and rewrites manifests of the lakehouse tables"),
  RUN_RECORDER(
      "RunRecorder",
      "RunRecorderHandler",
      "run-recorder",
      "Records every pipeline step in the pipeline_runs table"),
  /** Deployed once per configured source (RestSourcesConstruct), not by FunctionsConstruct. */
  REST_SOURCE(
      "RestSource",
      "RestSourceHandler",
      "rest-source",
      "Pulls pages of an HTTP JSON API into the landing bucket as JSON Lines");

  public static final String HANDLER_PACKAGE = "dev.lakehouse.functions.";

  private final String id;
  private final String handlerClass;
  private final String nameSuffix;
  private final String description;

  LakehouseFunction(String id, String handlerClass, String nameSuffix, String description) {
    this.id = id;
    this.handlerClass = handlerClass;
    this.nameSuffix = nameSuffix;
    this.description = description;
  }

  /** The function's id in the CDK tree and in its placeholder: {@code IngestRouter}. */
  public String id() {
    return id;
  }

  /** The handler's simple class name: {@code IngestRouterHandler}. */
  public String handlerClass() {
    return handlerClass;
  }

  /**
   * Lambda's handler string: {@code dev.lakehouse.functions.IngestRouterHandler::handleRequest}.
   */
  public String handler() {
    return HANDLER_PACKAGE + handlerClass + "::handleRequest";
  }

  /**
   * The deployed name after the prefix, also the Powertools service name: {@code ingest-router}.
   */
  public String nameSuffix() {
    return nameSuffix;
  }

  public String description() {
    return description;
  }

  /** The placeholder the state machine files invoke it by: {@code IngestRouterFunctionArn}. */
  public String arnPlaceholder() {
    return id + "FunctionArn";
  }
}
