package dev.lakehouse.infra;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.glue.CfnDataCatalogEncryptionSettings;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The Glue Data Catalog side: the {@value LakehouseTables#NAMESPACE} database, optional catalog
 * encryption with the stack's key, and the Iceberg tables. Tables are not CloudFormation resources:
 * a custom resource calls the TableAdmin Lambda ({@code TableProvisioner} in core), so {@link
 * LakehouseTables} stays the one declaration of every table.
 */
public final class CatalogConstruct extends Construct {
  /** The custom resource's {@code operation} property, understood by {@code TableAdminHandler}. */
  public static final String CREATE_TABLES = "createTables";

  private final CfnDatabase database;
  private final StorageConstruct storage;

  public CatalogConstruct(
      Construct scope, String id, StorageConstruct storage, LakehouseConfig config) {
    super(scope, id);
    this.storage = storage;
    this.database =
        CfnDatabase.Builder.create(this, "Database")
            .catalogId(Aws.ACCOUNT_ID)
            .databaseInput(
                CfnDatabase.DatabaseInputProperty.builder()
                    .name(LakehouseTables.NAMESPACE)
                    .description(
                        "E-commerce lakehouse: bronze (raw), silver (curated), gold (aggregated) and operations "
                            + "Iceberg tables. Tables are created by the TableAdmin function from the declarations in core.")
                    .locationUri(storage.warehouseUri())
                    .build())
            .build();

    if (config.catalogEncryption()) {
      // Account- and region-wide: there is one setting per catalog, so this changes how every
      // catalog client in the
      // account and region encrypts, and those clients then need this stack's key; deleting the
      // stack (in dev, the
      // key too) leaves the catalog encrypted with a key that is gone. Hence opt-in
      // (docs/deploy.md).
      CfnDataCatalogEncryptionSettings.Builder.create(this, "Encryption")
          .catalogId(Aws.ACCOUNT_ID)
          .dataCatalogEncryptionSettings(
              CfnDataCatalogEncryptionSettings.DataCatalogEncryptionSettingsProperty.builder()
                  .encryptionAtRest(
                      CfnDataCatalogEncryptionSettings.EncryptionAtRestProperty.builder()
                          .catalogEncryptionMode("SSE-KMS")
                          .sseAwsKmsKeyId(storage.key().getKeyArn())
                          .build())
                  .connectionPasswordEncryption(
                      CfnDataCatalogEncryptionSettings.ConnectionPasswordEncryptionProperty
                          .builder()
                          .kmsKeyId(storage.key().getKeyArn())
                          .returnConnectionPasswordEncrypted(true)
                          .build())
                  .build())
          .build();
    }
  }

  /**
   * Creates the declared tables through {@code tableAdmin} (its alias). The property {@code tables}
   * lists every declared table, so adding a table to {@link LakehouseTables} updates the resource
   * and creates the new table; existing tables are left alone (the provisioner is idempotent), and
   * deleting the stack never drops a table.
   */
  public CustomResource provisionTables(IFunction tableAdmin, LakehouseConfig config) {
    Role frameworkRole =
        Role.Builder.create(this, "TablesProviderRole")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description(
                "CloudFormation custom-resource framework for the lakehouse tables: invokes TableAdmin only")
            .build();
    LogGroup frameworkLogs =
        LogGroup.Builder.create(this, "TablesProviderLogs")
            .encryptionKey(storage.key())
            .retention(config.logRetention())
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    frameworkLogs.grantWrite(frameworkRole);
    Provider provider =
        Provider.Builder.create(this, "TablesProvider")
            .onEventHandler(tableAdmin)
            .frameworkOnEventRole(frameworkRole)
            .logGroup(frameworkLogs)
            .build();
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("operation", CREATE_TABLES);
    properties.put("namespace", LakehouseTables.NAMESPACE);
    properties.put("tables", LakehouseTables.all().stream().map(TableDefinition::name).toList());
    CustomResource tables =
        CustomResource.Builder.create(this, "Tables")
            .serviceToken(provider.getServiceToken())
            .resourceType("Custom::LakehouseTables")
            .properties(properties)
            // Tables hold data: never drop them with the stack.
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    tables.getNode().addDependency(database);
    return tables;
  }

  public CfnDatabase database() {
    return database;
  }

  public String databaseName() {
    return LakehouseTables.NAMESPACE;
  }
}
