package dev.lakehouse.infra;

import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.Zone;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lakeformation.CfnDataLakeSettings;
import software.amazon.awscdk.services.lakeformation.CfnPermissions;
import software.amazon.awscdk.services.lakeformation.CfnResource;
import software.constructs.Construct;

/**
 * Optional Lake Formation governance ({@code lakehouse:lakeFormation=true}): registers the
 * warehouse bucket, sets the data lake administrators, and grants each role Lake Formation
 * permissions matching its IAM ones. Off by default: Lake Formation settings are account-wide and,
 * once a location is registered, every reader needs a grant.
 */
public final class GovernanceConstruct extends Construct {
  private final List<CfnPermissions> permissions = new ArrayList<>();
  private final Role dataAccessRole;

  public GovernanceConstruct(
      Construct scope,
      String id,
      LakehouseConfig config,
      StorageConstruct storage,
      IRole tableAdmin,
      Map<String, IRole> dataRoles) {
    super(scope, id);
    CfnDataLakeSettings settings = null;
    if (!config.lakeFormationAdmins().isEmpty()) {
      settings =
          CfnDataLakeSettings.Builder.create(this, "Settings")
              .admins(
                  config.lakeFormationAdmins().stream()
                      .map(
                          arn ->
                              CfnDataLakeSettings.DataLakePrincipalProperty.builder()
                                  .dataLakePrincipalIdentifier(arn)
                                  .build())
                      .toList())
              .build();
    }
    // Lake Formation reads and writes the registered location with the role it was registered with
    // (credential
    // vending to Athena, Glue, EMR). The service-linked role cannot be named in the stack key's
    // policy before it
    // exists, and the warehouse is encrypted with that key: register with a data-access role of our
    // own instead,
    // allowed on the warehouse prefixes and, in the key policy itself, on the key.
    this.dataAccessRole =
        Role.Builder.create(this, "WarehouseDataAccessRole")
            .assumedBy(new ServicePrincipal("lakeformation.amazonaws.com"))
            .description(
                "Lake Formation data access to the lakehouse warehouse (registered location)")
            .build();
    List<String> zones = Access.zonePrefixes(EnumSet.allOf(Zone.class));
    dataAccessRole.addToPolicy(Access.s3Objects(storage.warehouseBucket(), Access.S3_WRITE, zones));
    dataAccessRole.addToPolicy(Access.s3List(storage.warehouseBucket(), zones));
    dataAccessRole.addToPolicy(Access.kms(storage.key(), Access.KMS_WRITE));
    storage
        .key()
        .addToResourcePolicy(
            PolicyStatement.Builder.create()
                .sid("LakeFormationDataAccess")
                .principals(List.of(new ArnPrincipal(dataAccessRole.getRoleArn())))
                .actions(Access.KMS_WRITE)
                .resources(List.of("*"))
                .build());
    CfnResource location =
        CfnResource.Builder.create(this, "WarehouseLocation")
            .resourceArn(storage.warehouseBucket().getBucketArn())
            .useServiceLinkedRole(false)
            .roleArn(dataAccessRole.getRoleArn())
            .build();

    CfnPermissions locationAccess =
        grant(
            "TableAdminLocation",
            tableAdmin,
            CfnPermissions.ResourceProperty.builder()
                .dataLocationResource(
                    CfnPermissions.DataLocationResourceProperty.builder()
                        .catalogId(Aws.ACCOUNT_ID)
                        .s3Resource(storage.warehouseBucket().getBucketArn())
                        .build())
                .build(),
            List.of("DATA_LOCATION_ACCESS"));
    locationAccess.addDependency(location);
    grant("TableAdminDatabase", tableAdmin, database(), List.of("CREATE_TABLE", "DESCRIBE"));
    grant(
        "TableAdminTables",
        tableAdmin,
        allTables(),
        List.of("ALTER", "DESCRIBE", "SELECT", "INSERT"));
    dataRoles.forEach(
        (name, role) -> {
          grant(name + "Database", role, database(), List.of("DESCRIBE"));
          grant(
              name + "Tables",
              role,
              allTables(),
              List.of("SELECT", "INSERT", "DELETE", "ALTER", "DESCRIBE"));
        });
    for (CfnPermissions p : permissions) {
      if (settings != null) {
        p.addDependency(settings);
      }
    }
    List<IRole> all = new ArrayList<>(dataRoles.values());
    all.add(tableAdmin);
    // Lake Formation vends temporary credentials for registered locations; the action has no
    // resource scope.
    all.forEach(
        r ->
            r.addToPrincipalPolicy(
                PolicyStatement.Builder.create()
                    .actions(List.of("lakeformation:GetDataAccess"))
                    .resources(List.of("*"))
                    .build()));
  }

  private static CfnPermissions.ResourceProperty database() {
    return CfnPermissions.ResourceProperty.builder()
        .databaseResource(
            CfnPermissions.DatabaseResourceProperty.builder()
                .catalogId(Aws.ACCOUNT_ID)
                .name(LakehouseTables.NAMESPACE)
                .build())
        .build();
  }

  private static CfnPermissions.ResourceProperty allTables() {
    return CfnPermissions.ResourceProperty.builder()
        .tableResource(
            CfnPermissions.TableResourceProperty.builder()
                .catalogId(Aws.ACCOUNT_ID)
                .databaseName(LakehouseTables.NAMESPACE)
                .tableWildcard(CfnPermissions.TableWildcardProperty.builder().build())
                .build())
        .build();
  }

  private CfnPermissions grant(
      String id, IRole role, CfnPermissions.ResourceProperty resource, List<String> perms) {
    CfnPermissions p =
        CfnPermissions.Builder.create(this, id)
            .dataLakePrincipal(
                CfnPermissions.DataLakePrincipalProperty.builder()
                    .dataLakePrincipalIdentifier(role.getRoleArn())
                    .build())
            .resource(resource)
            .permissions(perms)
            .build();
    permissions.add(p);
    return p;
  }

  /** The role Lake Formation uses to read and write the registered warehouse. */
  public Role dataAccessRole() {
    return dataAccessRole;
  }

  public List<CfnPermissions> permissions() {
    return List.copyOf(permissions);
  }
}
