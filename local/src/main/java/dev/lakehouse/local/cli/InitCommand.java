package dev.lakehouse.local.cli;

import dev.lakehouse.core.admin.TableProvisioner;
import dev.lakehouse.local.LocalLakehouse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "init",
    description = {
      "Create the namespace and every declared table, and migrate tables of an earlier",
      "release in place (column renames and additions, no data rewritten). Safe to run again."
    })
final class InitCommand implements Callable<Integer> {
  @ParentCommand LakehouseCli cli;

  @Override
  public Integer call() {
    LocalLakehouse lakehouse = cli.lakehouse();
    TableProvisioner.Result result =
        new TableProvisioner(lakehouse.catalog(), lakehouse.settings()).provision();
    var out = cli.spec.commandLine().getOut();
    out.println("lakehouse home: " + lakehouse.home().root());
    out.println("catalog: " + lakehouse.settings());
    if (!result.changedAnything()) {
      out.println(
          "already initialised: all "
              + result.existing().size()
              + " tables exist, nothing changed");
      return 0;
    }
    result.created().forEach(t -> out.println("created " + t));
    result
        .migrated()
        .forEach((t, changes) -> out.println("migrated " + t + ": " + String.join("; ", changes)));
    result
        .propertiesAdded()
        .forEach((t, added) -> out.println("properties added to " + t + ": " + added));
    if (!result.existing().isEmpty()) {
      out.println("already present: " + String.join(", ", result.existing()));
    }
    return 0;
  }
}
