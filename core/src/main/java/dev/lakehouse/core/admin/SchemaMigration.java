package dev.lakehouse.core.admin;

import dev.lakehouse.core.tables.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Brings an existing table's top-level columns to its declaration with Iceberg schema evolution, in
 * one schema commit: a column the declaration renamed ({@link TableDefinition#formerNames()}) is
 * renamed (same field id, so old data files read under the new name), a declared column the table
 * lacks is added (optional: old rows read null), and columns are put in declared order. Columns the
 * declaration does not know (added by bronze schema drift) are kept.
 *
 * <p>A drift column may already hold a declared name with another type (a source sent {@code
 * created_at} as text before the declaration knew it as a timestamp): it is renamed aside to {@code
 * _drift_<name>} so its values stay readable, and the declared column takes the name. Nothing is
 * dropped and nothing is rewritten.
 *
 * <p>{@link #changes()} previews; {@link #commit()} applies and returns the same list.
 */
public final class SchemaMigration {
  static final String DRIFT_PREFIX = "_drift_";

  private final Table table;
  private final TableDefinition declared;
  private final List<String> changes = new ArrayList<>();
  private final List<String> added = new ArrayList<>();
  private UpdateSchema update;

  private SchemaMigration(Table table, TableDefinition declared) {
    this.table = table;
    this.declared = declared;
  }

  public static SchemaMigration of(Table table, TableDefinition declared) {
    return new SchemaMigration(table, declared);
  }

  /** What {@link #commit()} would do, without doing it. */
  public List<String> changes() {
    plan();
    return List.copyOf(changes);
  }

  /**
   * Applies the migration in one schema commit (none when the table already matches); returns what
   * changed.
   */
  public List<String> commit() {
    plan();
    if (!changes.isEmpty()) {
      update.commit();
      table.refresh();
    }
    return List.copyOf(changes);
  }

  private void plan() {
    changes.clear();
    added.clear();
    update = table.updateSchema();
    Schema current = table.schema();
    // Name each declared column will have in the current schema before this commit (moves use those
    // names).
    List<String> currentNames = new ArrayList<>();
    for (Types.NestedField field : declared.schema().columns()) {
      currentNames.add(reconcile(current, field));
    }
    reorder(current, currentNames);
  }

  /**
   * Returns the name the declared column goes by in {@code current} (or its new name when added).
   */
  private String reconcile(Schema current, Types.NestedField field) {
    String name = field.name();
    Types.NestedField existing = current.findField(name);
    if (existing != null && !existing.type().equals(field.type()) && isDrift(existing)) {
      update.renameColumn(name, DRIFT_PREFIX + name);
      changes.add(
          "renamed drift column " + name + " (" + existing.type() + ") to " + DRIFT_PREFIX + name);
      existing = null;
    }
    if (existing != null) {
      requireSameType(existing, field);
      return name;
    }
    for (Map.Entry<String, String> rename : declared.formerNames().entrySet()) {
      Types.NestedField former = current.findField(rename.getKey());
      if (rename.getValue().equals(name) && former != null) {
        requireSameType(former, field);
        update.renameColumn(former.name(), name);
        changes.add("renamed " + former.name() + " to " + name);
        return former.name();
      }
    }
    if (field.isRequired()) {
      throw new IllegalStateException(
          declared.name()
              + ": cannot add required column "
              + name
              + " to an existing table; declare it optional");
    }
    update.addColumn(name, field.type(), field.doc());
    added.add(name);
    changes.add("added " + name + " " + field.type());
    return name;
  }

  /**
   * Without moves, existing columns keep their places and added ones go to the end in the order
   * added; columns are moved only when that would not give the declared order.
   */
  private void reorder(Schema current, List<String> names) {
    List<String> resulting = new ArrayList<>();
    for (Types.NestedField column : current.columns()) {
      if (names.contains(column.name())) {
        resulting.add(column.name());
      }
    }
    resulting.removeAll(added);
    resulting.addAll(added);
    if (resulting.equals(names)) {
      return;
    }
    update.moveFirst(names.get(0));
    for (int i = 1; i < names.size(); i++) {
      update.moveAfter(names.get(i), names.get(i - 1));
    }
    changes.add("ordered columns as declared");
  }

  private static boolean isDrift(Types.NestedField field) {
    return field.doc() != null && field.doc().startsWith("added by schema drift");
  }

  private void requireSameType(Types.NestedField existing, Types.NestedField field) {
    Type have = existing.type();
    Type want = field.type();
    boolean same = have.isPrimitiveType() ? have.equals(want) : have.typeId() == want.typeId();
    if (!same) {
      throw new IllegalStateException(
          declared.name()
              + ": column "
              + existing.name()
              + " is "
              + have
              + " but the declaration wants "
              + field.name()
              + " "
              + want
              + "; migrate it by hand (lakehouse describe "
              + declared.name()
              + ")");
    }
  }
}
