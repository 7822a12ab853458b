package dev.lakehouse.local.stack;

import dev.lakehouse.asl.StateMachine;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.TaskHandlers;
import dev.lakehouse.asl.model.State;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import scala.Tuple4;

/**
 * Where a long run is, on stderr: a line as each task state starts ({@code [5/10] Bronze}), and
 * while a state's Spark jobs run, at most one line per interval with the rows its tasks have read
 * and written and the rate, then the totals when it ends. Counts are Spark's task metrics: rows
 * read from files, tables and shuffles (a row read by two stages counts twice), and rows written as
 * the tasks' output metrics count them. Jobs are told apart by a local property the state's thread
 * sets, so states running side by side (a Map's iterations) keep their own counts.
 */
public final class Progress {
  /** No output at all: the stack's default, and what tests get unless they ask. */
  public static final Progress OFF = new Progress(null, 0, System::nanoTime);

  static final String STATE_PROPERTY = "lakehouse.progress.state";

  private final PrintWriter out;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ThreadLocal<Run> current = new ThreadLocal<>();
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final Map<Integer, Run> stages = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile SparkContext listening;

  /**
   * @param out where the lines go (stderr), or null for none
   * @param intervalNanos least time between two rate lines of one state
   */
  public Progress(PrintWriter out, long intervalNanos, LongSupplier nanoTime) {
    this.out = out;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  /** Lines on {@code err}, a rate line at most every 3 seconds. */
  public static Progress to(PrintWriter err) {
    return new Progress(err, 3_000_000_000L, System::nanoTime);
  }

  // ---------------------------------------------------------------- the lines

  /** {@code [5/10] Bronze}, and the attempt when it is a retry. */
  static String stepLine(int position, int steps, String state, int attempt) {
    return "["
        + position
        + "/"
        + steps
        + "] "
        + state
        + (attempt > 1 ? " (attempt " + attempt + ")" : "");
  }

  /** {@code Bronze: 412,000 rows read, 400,000 written (103,000 rows/s)} while it runs. */
  static String rateLine(String state, long read, long written, long elapsedNanos) {
    return "  " + state + ": " + counts(read, written) + " (" + rate(read, elapsedNanos) + ")";
  }

  /** {@code Bronze: 412,000 rows read, 400,000 written in 4.0 s (103,000 rows/s)} at its end. */
  static String doneLine(String state, long read, long written, long elapsedNanos) {
    return "  "
        + state
        + ": "
        + counts(read, written)
        + String.format(Locale.ROOT, " in %.1f s", elapsedNanos / 1e9)
        + " ("
        + rate(read, elapsedNanos)
        + ")";
  }

  private static String counts(long read, long written) {
    return String.format(Locale.ROOT, "%,d rows read", read)
        + (written > 0 ? String.format(Locale.ROOT, ", %,d written", written) : "");
  }

  private static String rate(long rows, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1_000_000L) / 1e9;
    return String.format(Locale.ROOT, "%,d rows/s", Math.round(rows / seconds));
  }

  /**
   * The tasks of the top-level graph (and of Map and Parallel states, numbered as their parent) in
   * definition order: a state's position among them and their number.
   */
  static Map<String, int[]> positions(StateMachine machine) {
    List<State> work = new ArrayList<>();
    for (State state : machine.definition().states().values()) {
      if (state instanceof State.Task
          || state instanceof State.Map
          || state instanceof State.Parallel) {
        work.add(state);
      }
    }
    Map<String, int[]> positions = new java.util.HashMap<>();
    for (int i = 0; i < work.size(); i++) {
      int[] at = {i + 1, work.size()};
      State state = work.get(i);
      positions.put(state.name(), at);
      if (state instanceof State.Map map) {
        map.processor().stateNames().forEach(n -> positions.putIfAbsent(n, at));
      } else if (state instanceof State.Parallel parallel) {
        parallel.branches().forEach(b -> b.stateNames().forEach(n -> positions.putIfAbsent(n, at)));
      }
    }
    return positions;
  }

  private void print(String line) {
    if (out != null) {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }
  }

  // ---------------------------------------------------------------- the stack's hooks

  /** Every handler of {@code handlers}, printing its step line and counting its Spark work. */
  TaskHandlers wrap(TaskHandlers handlers, Function<String, StateMachine> machines) {
    if (out == null) {
      return handlers;
    }
    Map<String, TaskHandler> wrapped = new java.util.LinkedHashMap<>();
    Map<String, Map<String, int[]>> numbering = new ConcurrentHashMap<>();
    for (String resource : handlers.resources()) {
      TaskHandler delegate = handlers.find(resource).orElseThrow();
      wrapped.put(
          resource,
          invocation -> {
            String machine = invocation.context().path("StateMachine").path("Name").asText();
            StateMachine definition = machines.apply(machine);
            int[] at =
                definition == null
                    ? null
                    : numbering
                        .computeIfAbsent(machine, m -> positions(definition))
                        .get(invocation.stateName());
            if (at != null) {
              print(stepLine(at[0], at[1], invocation.stateName(), invocation.retryCount() + 1));
            }
            Run run =
                new Run(
                    invocation.stateName(), "run-" + ids.incrementAndGet(), nanoTime.getAsLong());
            runs.put(run.key, run);
            current.set(run);
            try {
              return delegate.invoke(invocation);
            } finally {
              current.remove();
              finish(run);
            }
          });
    }
    return TaskHandlers.of(wrapped);
  }

  /**
   * The session the jobs get: listened to, and their jobs tagged with the state running on this
   * thread.
   */
  Supplier<SparkSession> spark(Supplier<SparkSession> session) {
    if (out == null) {
      return session;
    }
    return () -> {
      SparkSession spark = session.get();
      SparkContext context = spark.sparkContext();
      synchronized (this) {
        if (listening != context) {
          context.addSparkListener(new Listener());
          listening = context;
        }
      }
      Run run = current.get();
      if (run != null) {
        run.context = context;
        context.setLocalProperty(STATE_PROPERTY, run.key);
      }
      return spark;
    };
  }

  private void finish(Run run) {
    SparkContext context = run.context;
    if (context != null) {
      context.setLocalProperty(STATE_PROPERTY, null);
      try {
        // Task-end events reach listeners asynchronously: let them arrive before the totals. The
        // bus is Spark-internal (private[spark], public in bytecode).
        context.listenerBus().waitUntilEmpty(2_000);
      } catch (java.util.concurrent.TimeoutException | RuntimeException late) {
        // the totals may miss the last tasks; the pipeline is not held up for a progress line
      }
    }
    runs.remove(run.key);
    stages.values().removeIf(r -> r == run);
    long read = run.read();
    long written = run.written();
    if (read > 0 || written > 0) {
      print(doneLine(run.state, read, written, nanoTime.getAsLong() - run.started));
    }
  }

  private void report(Run run) {
    long now = nanoTime.getAsLong();
    long read = run.read();
    long written = run.written();
    if (read == 0 && written == 0) {
      return; // a job that has not read anything yet says nothing new
    }
    synchronized (run) {
      if (now - run.lastLine < intervalNanos) {
        return;
      }
      run.lastLine = now;
    }
    print(rateLine(run.state, read, written, now - run.started));
  }

  /** One task state's Spark work: finished tasks' counts plus those of tasks still running. */
  static final class Run {
    final String state;
    final String key;
    final long started;
    volatile SparkContext context;
    long lastLine;
    final AtomicLong doneRead = new AtomicLong();
    final AtomicLong doneWritten = new AtomicLong();
    final Map<Long, long[]> running = new ConcurrentHashMap<>();
    final java.util.Set<Long> ended = ConcurrentHashMap.newKeySet();

    Run(String state, String key, long started) {
      this.state = state;
      this.key = key;
      this.started = started;
      this.lastLine = started;
    }

    long read() {
      return doneRead.get() + running.values().stream().mapToLong(v -> v[0]).sum();
    }

    long written() {
      return doneWritten.get() + running.values().stream().mapToLong(v -> v[1]).sum();
    }
  }

  /** The task metrics of rows read: from files and tables, and from a shuffle. */
  private static final java.util.Set<String> READ =
      java.util.Set.of(
          "internal.metrics.input.recordsRead", "internal.metrics.shuffle.read.recordsRead");

  private final class Listener extends SparkListener {
    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
      String key =
          event.properties() == null ? null : event.properties().getProperty(STATE_PROPERTY);
      Run run = key == null ? null : runs.get(key);
      if (run != null) {
        stages.put(event.stageInfo().stageId(), run);
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
      Run run = stages.get(event.stageId());
      if (run == null || event.taskMetrics() == null) {
        return;
      }
      run.ended.add(event.taskInfo().taskId());
      run.running.remove(event.taskInfo().taskId());
      run.doneRead.addAndGet(
          event.taskMetrics().inputMetrics().recordsRead()
              + event.taskMetrics().shuffleReadMetrics().recordsRead());
      run.doneWritten.addAndGet(event.taskMetrics().outputMetrics().recordsWritten());
      report(run);
    }

    /** Heartbeats (every 10 s in local mode) carry running tasks' metrics: a long read shows. */
    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
      var updates = scala.collection.JavaConverters.seqAsJavaList(event.accumUpdates());
      for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> update : updates) {
        Run run = stages.get((Integer) update._2());
        if (run == null || run.ended.contains((Long) update._1())) {
          continue;
        }
        long[] counts = new long[2];
        for (AccumulableInfo info : scala.collection.JavaConverters.seqAsJavaList(update._4())) {
          String name = info.name().isDefined() ? info.name().get() : "";
          Object value = info.update().isDefined() ? info.update().get() : null;
          if (value instanceof Long n && READ.contains(name)) {
            counts[0] += n;
          } else if (value instanceof Long n
              && name.equals("internal.metrics.output.recordsWritten")) {
            counts[1] = n;
          }
        }
        run.running.put((Long) update._1(), counts);
        report(run);
      }
    }
  }
}
