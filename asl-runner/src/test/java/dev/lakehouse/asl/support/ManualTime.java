package dev.lakehouse.asl.support;

import dev.lakehouse.asl.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when something sleeps on it: tests assert exact delays and never really
 * wait.
 */
public final class ManualTime extends Clock implements Sleeper {
  private final AtomicReference<Instant> now;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  public ManualTime(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public ManualTime() {
    this(Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
  }

  public void advance(Duration duration) {
    now.updateAndGet(n -> n.plus(duration));
  }

  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
