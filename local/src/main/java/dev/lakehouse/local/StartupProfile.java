package dev.lakehouse.local;

import java.lang.management.ManagementFactory;

/**
 * Where a command's start-up time goes: with {@code LAKEHOUSE_PROFILE} set, each step prints one
 * line to stderr with the seconds since the JVM started (so the JVM's own start is the first
 * figure). Silent otherwise. docs/query.md has the breakdown it measured.
 */
public final class StartupProfile {
  public static final String ENV = "LAKEHOUSE_PROFILE";
  private static final boolean ON = System.getenv(ENV) != null;

  private StartupProfile() {}

  public static void mark(String step) {
    if (ON) {
      double seconds =
          (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
              / 1000.0;
      System.err.printf("lakehouse profile: %6.2f s  %s%n", seconds, step);
    }
  }
}
