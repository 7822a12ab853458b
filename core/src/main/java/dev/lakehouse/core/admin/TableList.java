package dev.lakehouse.core.admin;

import java.util.List;

/** Every declared table with its zone: what the maintenance state machine maps over. */
public record TableList(String namespace, List<Entry> tables) {

  public record Entry(String table, String zone) {}
}
