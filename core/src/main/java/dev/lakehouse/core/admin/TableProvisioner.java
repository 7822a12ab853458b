package dev.lakehouse.core.admin;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/**
 * Creates the namespace and every declared table that does not exist yet, and migrates tables
 * created by an earlier release to the current declaration. Idempotent: a second run changes
 * nothing, and the result says what was created and what was migrated. Migration is Iceberg schema
 * evolution only (see {@link SchemaMigration}): no data file is rewritten, every snapshot stays
 * readable.
 */
public final class TableProvisioner {
  private final Catalog catalog;
  private final CatalogSettings settings;

  public TableProvisioner(Catalog catalog, CatalogSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /** What {@link #provision} did, in {@code namespace}. */
  /**
   * @param migrated per existing table, the schema changes that brought it to its declaration
   * @param propertiesAdded per existing table, the declared properties it lacked and was given
   */
  public record Result(
      String namespace,
      boolean namespaceCreated,
      List<String> created,
      List<String> existing,
      Map<String, List<String>> migrated,
      Map<String, Map<String, String>> propertiesAdded) {
    public boolean changedAnything() {
      return namespaceCreated
          || !created.isEmpty()
          || !migrated.isEmpty()
          || !propertiesAdded.isEmpty();
    }
  }

  public Result provision() {
    return provision(LakehouseTables.all());
  }

  /**
   * The namespace property that records which declarations the catalog was last provisioned for:
   * {@link #declarationsFingerprint} of them.
   */
  public static final String PROVISIONED_PROPERTY = "lakehouse.provisioned-declarations";

  /**
   * {@link #provision} unless the catalog was provisioned for exactly these declarations already
   * (its namespace property says so) and every declared table is listed: then empty, at the cost of
   * two catalog queries instead of loading every table's metadata. A home from an earlier release
   * (no or another fingerprint) or with a table dropped is provisioned in full.
   */
  public java.util.Optional<Result> provisionUnlessCurrent() {
    List<TableDefinition> tables = LakehouseTables.all();
    String fingerprint = declarationsFingerprint(tables);
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return java.util.Optional.of(provision(tables));
    }
    Namespace ns = Namespace.of(LakehouseTables.NAMESPACE);
    if (namespaces.namespaceExists(ns)
        && fingerprint.equals(namespaces.loadNamespaceMetadata(ns).get(PROVISIONED_PROPERTY))) {
      java.util.Set<String> listed = new java.util.HashSet<>();
      catalog.listTables(ns).forEach(id -> listed.add(id.name()));
      if (tables.stream().allMatch(t -> listed.contains(t.name()))) {
        return java.util.Optional.empty();
      }
    }
    Result result = provision(tables);
    namespaces.setProperties(ns, Map.of(PROVISIONED_PROPERTY, fingerprint));
    return java.util.Optional.of(result);
  }

  /**
   * A digest of everything provisioning creates or migrates a table from: names, schemas, specs,
   * sort orders, properties and former names. Any change to a declaration changes it.
   */
  public static String declarationsFingerprint(List<TableDefinition> tables) {
    StringBuilder text = new StringBuilder();
    for (TableDefinition t : tables) {
      text.append(t.name())
          .append('|')
          .append(t.zone())
          .append('|')
          .append(org.apache.iceberg.SchemaParser.toJson(t.schema()))
          .append('|')
          .append(org.apache.iceberg.PartitionSpecParser.toJson(t.spec()))
          .append('|')
          .append(org.apache.iceberg.SortOrderParser.toJson(t.sortOrder()))
          .append('|')
          .append(new java.util.TreeMap<>(t.properties()))
          .append('|')
          .append(new java.util.TreeMap<>(t.formerNames()))
          .append('|')
          .append(t.description())
          .append('\n');
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Result provision(List<TableDefinition> tables) {
    boolean namespaceCreated = ensureNamespace();
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    Map<String, List<String>> migrated = new java.util.LinkedHashMap<>();
    Map<String, Map<String, String>> propertiesAdded = new java.util.LinkedHashMap<>();
    for (TableDefinition table : tables) {
      if (catalog.tableExists(table.identifier())) {
        existing.add(table.name());
        Table loaded = catalog.loadTable(table.identifier());
        List<String> changes = SchemaMigration.of(loaded, table).commit();
        if (!changes.isEmpty()) {
          migrated.put(table.name(), changes);
        }
        Map<String, String> added = addMissingProperties(loaded, table);
        if (!added.isEmpty()) {
          propertiesAdded.put(table.name(), added);
        }
        continue;
      }
      try {
        catalog
            .buildTable(table.identifier(), table.schema())
            .withPartitionSpec(table.spec())
            .withSortOrder(table.sortOrder())
            .withLocation(settings.tableLocation(table.zone().warehousePrefix(), table.name()))
            .withProperties(table.properties())
            .withProperty("comment", table.description())
            .create();
        created.add(table.name());
      } catch (AlreadyExistsException raced) {
        // Another process created it between our check and our create: that is the outcome we
        // wanted.
        existing.add(table.name());
      }
    }
    return new Result(
        LakehouseTables.NAMESPACE,
        namespaceCreated,
        List.copyOf(created),
        List.copyOf(existing),
        Map.copyOf(migrated),
        Map.copyOf(propertiesAdded));
  }

  /**
   * Gives a table of an earlier release the properties declared since, in one commit (none when it
   * has them all). A property the table has is left as it is, whatever its value: an operator's
   * setting wins over the declaration's.
   */
  private static Map<String, String> addMissingProperties(Table table, TableDefinition declared) {
    Map<String, String> missing = new java.util.TreeMap<>();
    declared
        .properties()
        .forEach(
            (key, value) -> {
              // Reserved ones (format-version) are table metadata, never among its properties.
              if (!org.apache.iceberg.TableProperties.RESERVED_PROPERTIES.contains(key)
                  && !table.properties().containsKey(key)) {
                missing.put(key, value);
              }
            });
    if (!missing.isEmpty()) {
      var update = table.updateProperties();
      missing.forEach(update::set);
      update.commit();
    }
    return missing;
  }

  private boolean ensureNamespace() {
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return false;
    }
    Namespace ns = Namespace.of(LakehouseTables.NAMESPACE);
    if (namespaces.namespaceExists(ns)) {
      return false;
    }
    try {
      namespaces.createNamespace(
          ns,
          Map.of("comment", "E-commerce lakehouse: bronze, silver, gold and operations tables"));
      return true;
    } catch (AlreadyExistsException raced) {
      return false;
    }
  }
}
