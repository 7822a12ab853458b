package dev.lakehouse.asl;

import java.time.Duration;

/**
 * Blocks for Wait states and retry back-off. Injected so tests can record delays instead of
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
