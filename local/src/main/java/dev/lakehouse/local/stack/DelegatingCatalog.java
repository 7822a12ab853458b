package dev.lakehouse.local.stack;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;

/**
 * A catalog that asks its supplier for the real one on every call. The local stack hands this to
 * the Lambda handlers so that, once Spark is running, they commit through Spark's catalog instance:
 * one catalog per process on the SQLite file, and no stale table caches between a job and a
 * handler.
 */
final class DelegatingCatalog implements Catalog, SupportsNamespaces {
  private final Supplier<Catalog> delegate;

  DelegatingCatalog(Supplier<Catalog> delegate) {
    this.delegate = delegate;
  }

  private Catalog catalog() {
    return delegate.get();
  }

  private SupportsNamespaces namespaces() {
    return (SupportsNamespaces) delegate.get();
  }

  @Override
  public String name() {
    return catalog().name();
  }

  @Override
  public List<TableIdentifier> listTables(Namespace namespace) {
    return catalog().listTables(namespace);
  }

  @Override
  public Table createTable(TableIdentifier identifier, Schema schema) {
    return catalog().createTable(identifier, schema);
  }

  @Override
  public TableBuilder buildTable(TableIdentifier identifier, Schema schema) {
    return catalog().buildTable(identifier, schema);
  }

  @Override
  public boolean tableExists(TableIdentifier identifier) {
    return catalog().tableExists(identifier);
  }

  @Override
  public boolean dropTable(TableIdentifier identifier, boolean purge) {
    return catalog().dropTable(identifier, purge);
  }

  @Override
  public void renameTable(TableIdentifier from, TableIdentifier to) {
    catalog().renameTable(from, to);
  }

  @Override
  public Table loadTable(TableIdentifier identifier) {
    return catalog().loadTable(identifier);
  }

  @Override
  public void invalidateTable(TableIdentifier identifier) {
    catalog().invalidateTable(identifier);
  }

  @Override
  public void createNamespace(Namespace namespace, Map<String, String> metadata) {
    namespaces().createNamespace(namespace, metadata);
  }

  @Override
  public List<Namespace> listNamespaces(Namespace namespace) throws NoSuchNamespaceException {
    return namespaces().listNamespaces(namespace);
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(Namespace namespace)
      throws NoSuchNamespaceException {
    return namespaces().loadNamespaceMetadata(namespace);
  }

  @Override
  public boolean dropNamespace(Namespace namespace) throws NamespaceNotEmptyException {
    return namespaces().dropNamespace(namespace);
  }

  @Override
  public boolean setProperties(Namespace namespace, Map<String, String> properties)
      throws NoSuchNamespaceException {
    return namespaces().setProperties(namespace, properties);
  }

  @Override
  public boolean removeProperties(Namespace namespace, Set<String> properties)
      throws NoSuchNamespaceException {
    return namespaces().removeProperties(namespace, properties);
  }

  @Override
  public boolean namespaceExists(Namespace namespace) {
    return namespaces().namespaceExists(namespace);
  }
}
