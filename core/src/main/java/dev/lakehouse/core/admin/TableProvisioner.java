package dev.lakehouse.core.admin;

import dev.lakehouse.core.catalog.CatalogSettings;
import dev.lakehouse.core.tables.LakehouseTables;
import dev.lakehouse.core.tables.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/**
 * Creates the namespace and every declared table that does not exist yet. Idempotent: tables that exist are left
 * untouched (their data and evolved schema are the truth from then on), and the result says which were created.
 */
public final class TableProvisioner {
  private final Catalog catalog;
  private final CatalogSettings settings;

  public TableProvisioner(Catalog catalog, CatalogSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /** What {@link #provision} did. */
  public record Result(boolean namespaceCreated, List<String> created, List<String> existing) {
    public boolean changedAnything() {
      return namespaceCreated || !created.isEmpty();
    }
  }

  public Result provision() {
    return provision(LakehouseTables.all());
  }

  public Result provision(List<TableDefinition> tables) {
    boolean namespaceCreated = ensureNamespace();
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (TableDefinition table : tables) {
      if (catalog.tableExists(table.identifier())) {
        existing.add(table.name());
        continue;
      }
      try {
        catalog.buildTable(table.identifier(), table.schema())
            .withPartitionSpec(table.spec())
            .withSortOrder(table.sortOrder())
            .withLocation(settings.tableLocation(table.zone().warehousePrefix(), table.name()))
            .withProperties(table.properties())
            .withProperty("comment", table.description())
            .create();
        created.add(table.name());
      } catch (AlreadyExistsException raced) {
        // Another process created it between our check and our create: that is the outcome we wanted.
        existing.add(table.name());
      }
    }
    return new Result(namespaceCreated, List.copyOf(created), List.copyOf(existing));
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
      namespaces.createNamespace(ns, Map.of("comment", "E-commerce lakehouse: bronze, silver, gold and operations tables"));
      return true;
    } catch (AlreadyExistsException raced) {
      return false;
    }
  }
}
