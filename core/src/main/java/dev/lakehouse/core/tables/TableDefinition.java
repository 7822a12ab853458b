package dev.lakehouse.core.tables;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The single declaration of one lakehouse table: schema (with stable field ids), hidden
 * partitioning, sort order and table properties. Jobs, Lambdas, the CDK app and tests all read
 * tables from here, never from literals.
 */
public final class TableDefinition {
  private final String name;
  private final Zone zone;
  private final String description;
  private final Schema schema;
  private final PartitionSpec spec;
  private final SortOrder sortOrder;
  private final Map<String, String> properties;
  private final List<String> businessKey;
  private final Map<String, String> formerNames;

  private TableDefinition(Builder builder) {
    this.name = Objects.requireNonNull(builder.name, "name");
    this.zone = Objects.requireNonNull(builder.zone, "zone");
    this.description = Objects.requireNonNull(builder.description, "description");
    this.schema = requireCatalogAssignedIds(name, Objects.requireNonNull(builder.schema, "schema"));
    this.spec = builder.spec == null ? PartitionSpec.unpartitioned() : builder.spec.apply(schema);
    this.sortOrder =
        builder.sortOrder == null ? SortOrder.unsorted() : builder.sortOrder.apply(schema);
    this.properties = TableProperties.forTable(zone, !spec.isUnpartitioned(), builder.properties);
    this.businessKey = List.copyOf(builder.businessKey);
    this.formerNames = Map.copyOf(builder.formerNames);
    formerNames.forEach(
        (former, current) -> {
          if (schema.findField(current) == null) {
            throw new IllegalArgumentException(
                name + ": renamed column " + current + " is not in the schema");
          }
          if (schema.findField(former) != null) {
            throw new IllegalArgumentException(
                name + ": former name " + former + " is still a column");
          }
        });
    for (String column : businessKey) {
      if (schema.findField(column) == null) {
        throw new IllegalArgumentException(
            name + ": business key column " + column + " is not in the schema");
      }
    }
  }

  /**
   * A catalog assigns fresh field ids when it creates a table (top-level fields first, then nested
   * ones). Declaring the very ids it will assign keeps the source honest: the ids read here are the
   * ids in every data file.
   */
  private static Schema requireCatalogAssignedIds(String table, Schema declared) {
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    Schema assigned =
        org.apache.iceberg.types.TypeUtil.assignFreshIds(declared, next::incrementAndGet);
    if (!assigned.asStruct().equals(declared.asStruct())) {
      throw new IllegalStateException(
          table
              + ": declared field ids differ from the ids a catalog assigns on create; "
              + "declare them as "
              + assigned);
    }
    return declared;
  }

  public static Builder builder(String name, Zone zone) {
    return new Builder(name, zone);
  }

  public String name() {
    return name;
  }

  public Zone zone() {
    return zone;
  }

  public String description() {
    return description;
  }

  public Schema schema() {
    return schema;
  }

  public PartitionSpec spec() {
    return spec;
  }

  public SortOrder sortOrder() {
    return sortOrder;
  }

  /**
   * Table properties to create the table with (format version, codecs, file sizes, retention, write
   * modes).
   */
  public Map<String, String> properties() {
    return properties;
  }

  /**
   * Columns that identify one business entity (e.g. {@code order_id}); empty for append-only logs.
   */
  public List<String> businessKey() {
    return businessKey;
  }

  /**
   * The business key without the history columns of a versioned (SCD2) table: what identifies the
   * entity in a batch and what a MERGE matches on ({@code customer_id} for curated_customers, keyed
   * by customer_id and _valid_from). The same as {@link #businessKey()} for every other table.
   */
  public List<String> entityKey() {
    return businessKey.stream().filter(c -> !c.startsWith("_")).toList();
  }

  /**
   * Earlier names of columns, former → current: how a table created by an earlier release is
   * migrated in place (Iceberg renames by field id, so data files and snapshots stay readable). See
   * {@code TableProvisioner}.
   */
  public Map<String, String> formerNames() {
    return formerNames;
  }

  public TableIdentifier identifier() {
    return TableIdentifier.of(LakehouseTables.NAMESPACE, name);
  }

  /**
   * Fully qualified name as Spark SQL and Athena see it: {@code ecommerce_lakehouse.raw_orders}.
   */
  public String qualifiedName() {
    return LakehouseTables.NAMESPACE + "." + name;
  }

  @Override
  public String toString() {
    return qualifiedName();
  }

  public static final class Builder {
    private final String name;
    private final Zone zone;
    private String description;
    private Schema schema;
    private Function<Schema, PartitionSpec> spec;
    private Function<Schema, SortOrder> sortOrder;
    private Map<String, String> properties = Map.of();
    private List<String> businessKey = List.of();
    private final Map<String, String> formerNames = new java.util.LinkedHashMap<>();

    private Builder(String name, Zone zone) {
      this.name = name;
      this.zone = zone;
    }

    public Builder description(String value) {
      this.description = value;
      return this;
    }

    public Builder schema(Schema value) {
      this.schema = value;
      return this;
    }

    public Builder partitionedBy(Function<PartitionSpec.Builder, PartitionSpec.Builder> fields) {
      this.spec = s -> fields.apply(PartitionSpec.builderFor(s)).build();
      return this;
    }

    public Builder sortedBy(Function<SortOrder.Builder, SortOrder.Builder> fields) {
      this.sortOrder = s -> fields.apply(SortOrder.builderFor(s)).build();
      return this;
    }

    /** Properties that differ from the zone defaults in {@link TableProperties}. */
    public Builder properties(Map<String, String> value) {
      this.properties = Map.copyOf(value);
      return this;
    }

    public Builder businessKey(String... columns) {
      this.businessKey = List.of(columns);
      return this;
    }

    /** Records that column {@code current} was called {@code former} in an earlier release. */
    public Builder renamed(String former, String current) {
      this.formerNames.put(former, current);
      return this;
    }

    public TableDefinition build() {
      return new TableDefinition(this);
    }
  }
}
