package dev.lakehouse.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.ExecutionStore;
import dev.lakehouse.asl.history.History;
import dev.lakehouse.asl.history.InMemoryExecutionStore;
import dev.lakehouse.asl.interpreter.ExecutionFailure;
import dev.lakehouse.asl.interpreter.Interpreter;
import dev.lakehouse.asl.interpreter.RunContext;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.model.ErrorNames;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link StateMachine}s in-process. Thread-safe; one runner can run many executions
 * concurrently.
 *
 * <pre>{@code
 * try (Runner runner = Runner.builder()
 *         .handler("arn:aws:states:::lambda:invoke", invocation -> ...)
 *         .store(new DirectoryExecutionStore(dir))
 *         .build()) {
 *     Execution ex = runner.start(machine, "run-1", "{\"day\": \"2024-01-01\"}");
 * }
 * }</pre>
 */
public final class Runner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

  /**
   * AWS execution names: 1-80 characters; we allow the safe subset so names can be file names too.
   */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,80}");

  private final TaskHandlers handlers;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Random random;
  private final ExecutionStore store;
  private final ExecutorService executor;
  private final Map<String, Thread> runningThreads = new ConcurrentHashMap<>();
  private final Map<String, Execution> running = new ConcurrentHashMap<>();

  private Runner(Builder b) {
    this.handlers = b.handlers.copy();
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.store = b.store;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "asl-worker-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  public static String executionId(StateMachine machine, String name) {
    return "arn:aws:states:local:000000000000:execution:" + machine.name() + ":" + name;
  }

  public Execution start(StateMachine machine, String name, String inputJson) {
    return start(machine, name, parseInput(inputJson));
  }

  /**
   * Runs an execution to completion on the calling thread and returns it (never throws for ASL
   * failures: inspect {@link Execution#status()}).
   *
   * @param name execution name, or null for a random UUID; must be unique in the store
   */
  public Execution start(StateMachine machine, String name, JsonNode input) {
    Execution execution = create(machine, name, input);
    run(machine, execution, machine.definition().startAt(), execution.input());
    return execution;
  }

  /** As {@link #start(StateMachine, String, JsonNode)} but on a runner thread. */
  public CompletableFuture<Execution> startAsync(
      StateMachine machine, String name, JsonNode input) {
    Execution execution = create(machine, name, input);
    return CompletableFuture.supplyAsync(
        () -> {
          run(machine, execution, machine.definition().startAt(), execution.input());
          return execution;
        },
        executor);
  }

  public CompletableFuture<Execution> startAsync(
      StateMachine machine, String name, String inputJson) {
    return startAsync(machine, name, parseInput(inputJson));
  }

  /** Redrives an execution kept in this runner's store. */
  public Execution redrive(StateMachine machine, String executionId) {
    Execution execution =
        store
            .find(executionId)
            .orElseThrow(
                () -> new IllegalArgumentException("Execution does not exist: " + executionId));
    return redrive(machine, execution);
  }

  /**
   * Like AWS RedriveExecution: restarts a FAILED / TIMED_OUT / ABORTED execution at the top-level
   * state that was running when it stopped, with the input that state had. States that had already
   * completed are not re-run; the execution id stays the same, RedriveCount goes up and the history
   * continues.
   */
  public Execution redrive(StateMachine machine, Execution execution) {
    if (!execution.status().isRedrivable()) {
      throw new IllegalStateException(
          "Execution "
              + execution.id()
              + " is "
              + execution.status()
              + "; only FAILED, TIMED_OUT or ABORTED executions can be redriven");
    }
    if (!execution.stateMachineName().equals(machine.name())) {
      throw new IllegalArgumentException(
          "Execution "
              + execution.id()
              + " belongs to state machine '"
              + execution.stateMachineName()
              + "', not '"
              + machine.name()
              + "'");
    }
    Execution.RedrivePoint point = execution.redrivePoint();
    if (point == null) {
      throw new IllegalStateException(
          "Execution " + execution.id() + " has no state to redrive from");
    }
    Instant now = clock.instant();
    execution.redriving(now);
    execution
        .historyLog()
        .add(
            now,
            EventType.ExecutionRedriven,
            point.stateName(),
            "",
            point.input(),
            null,
            null,
            null,
            null,
            Json.object().put("redriveCount", execution.redriveCount()));
    run(machine, execution, point.stateName(), point.input());
    return execution;
  }

  /**
   * Ends every execution of the store whose process died while running it (see {@link
   * Execution#abandoned()}) as FAILED with error {@link Execution#PROCESS_DIED}, redrivable from
   * the state it was in. Returns those executions, so the caller can alert as it does for any
   * failure.
   */
  public List<Execution> failAbandoned() {
    List<Execution> ended = new java.util.ArrayList<>();
    for (Execution execution : store.list()) {
      if (execution.abandoned() && !running.containsKey(execution.id())) {
        execution.failAbandoned(clock.instant());
        store.save(execution);
        ended.add(execution);
        LOG.warn(
            "Execution {} was abandoned by its process: now FAILED ({})",
            execution.id(),
            execution.cause());
      }
    }
    return ended;
  }

  /**
   * Like StopExecution: the execution ends ABORTED at its next state transition (or wakes from a
   * wait).
   */
  public boolean stop(String executionId, String error, String cause) {
    Execution execution = running.get(executionId);
    if (execution == null) {
      return false;
    }
    execution.abortRequest().set(new String[] {error, cause});
    Thread thread = runningThreads.get(executionId);
    if (thread != null) {
      thread.interrupt(); // wakes a Wait / retry back-off sleeping on the top-level thread
    }
    return true;
  }

  public Optional<Execution> describe(String executionId) {
    return store.find(executionId);
  }

  public List<Execution> list() {
    return store.list();
  }

  public ExecutionStore store() {
    return store;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  // ----------------------------------------------------------------

  private static JsonNode parseInput(String inputJson) {
    return inputJson == null || inputJson.isBlank() ? Json.object() : Json.parse(inputJson);
  }

  private Execution create(StateMachine machine, String name, JsonNode input) {
    String executionName = name == null ? UUID.randomUUID().toString() : name;
    if (!NAME.matcher(executionName).matches()) {
      throw new IllegalArgumentException(
          "Invalid execution name '"
              + executionName
              + "': use 1-80 characters among letters, digits, '-', '_' and '.'");
    }
    String id = executionId(machine, executionName);
    if (running.containsKey(id) || store.find(id).isPresent()) {
      throw new IllegalArgumentException("Execution already exists: " + id);
    }
    JsonNode executionInput = input == null ? Json.object() : input.deepCopy();
    Instant now = clock.instant();
    Execution execution =
        new Execution(id, executionName, machine.name(), executionInput, now, new History());
    execution
        .historyLog()
        .add(
            now,
            EventType.ExecutionStarted,
            null,
            "",
            executionInput,
            null,
            null,
            null,
            null,
            Json.object().put("stateMachineArn", machine.arn()));
    running.put(id, execution);
    store.save(execution);
    return execution;
  }

  private void run(StateMachine machine, Execution execution, String startAt, JsonNode input) {
    running.put(execution.id(), execution);
    runningThreads.put(execution.id(), Thread.currentThread());
    Instant runStart = clock.instant();
    Integer timeout = machine.definition().timeoutSeconds();
    RunContext context =
        new RunContext(
            execution.id(),
            execution.name(),
            execution.input(),
            execution.startTime(),
            execution.redriveCount(),
            machine.name(),
            machine.arn(),
            handlers::find,
            clock,
            sleeper,
            random,
            executor,
            execution.historyLog(),
            timeout == null ? null : runStart.plusSeconds(timeout),
            timeout,
            execution.abortRequest(),
            () -> store.save(execution));
    try {
      JsonNode output = new Interpreter(context).runTopLevel(machine.definition(), startAt, input);
      Instant now = clock.instant();
      execution.succeeded(output, now);
      execution
          .historyLog()
          .add(
              now,
              EventType.ExecutionSucceeded,
              null,
              "",
              null,
              output,
              null,
              null,
              millis(execution, now),
              null);
    } catch (ExecutionFailure f) {
      finish(
          execution,
          f.status(),
          f.error(),
          f.cause(),
          new Execution.RedrivePoint(f.stateName(), f.stateInput()));
    } catch (RuntimeException bug) {
      // A defect in the runner or an unexpected exception: fail the execution rather than the
      // caller.
      LOG.error("Execution {} failed unexpectedly", execution.id(), bug);
      finish(
          execution,
          ExecutionStatus.FAILED,
          ErrorNames.RUNTIME,
          bug.toString(),
          execution.redrivePoint());
    } finally {
      runningThreads.remove(execution.id());
      running.remove(execution.id());
      if (execution.abortRequest().get() != null) {
        Thread.interrupted(); // clear an interrupt sent by stop() that nobody consumed
      }
      store.save(execution);
    }
    LOG.info(
        "Execution {} {}{}",
        execution.id(),
        execution.status(),
        execution.error() == null ? "" : " (" + execution.error() + ")");
  }

  private void finish(
      Execution execution,
      ExecutionStatus status,
      String error,
      String cause,
      Execution.RedrivePoint point) {
    Instant now = clock.instant();
    execution.failed(status, error, cause, now, point);
    EventType type =
        switch (status) {
          case TIMED_OUT -> EventType.ExecutionTimedOut;
          case ABORTED -> EventType.ExecutionAborted;
          default -> EventType.ExecutionFailed;
        };
    execution
        .historyLog()
        .add(now, type, null, "", null, null, error, cause, millis(execution, now), null);
  }

  private static long millis(Execution execution, Instant now) {
    Instant from =
        execution.redriveTime() != null ? execution.redriveTime() : execution.startTime();
    return java.time.Duration.between(from, now).toMillis();
  }

  public static final class Builder {
    private final TaskHandlers handlers = new TaskHandlers();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Random random = new Random();
    private ExecutionStore store = new InMemoryExecutionStore();

    public Builder handler(String resourceArn, TaskHandler handler) {
      handlers.register(resourceArn, handler);
      return this;
    }

    public Builder handlers(TaskHandlers registry) {
      registry.resources().forEach(r -> handlers.register(r, registry.find(r).orElseThrow()));
      return this;
    }

    public Builder handlers(Map<String, TaskHandler> map) {
      map.forEach(handlers::register);
      return this;
    }

    /** Time source for timestamps, Wait Timestamp arithmetic and the execution TimeoutSeconds. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Performs Wait states and retry back-off delays. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper);
      return this;
    }

    /** Source of randomness for {@code JitterStrategy: FULL}. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random);
      return this;
    }

    public Builder store(ExecutionStore store) {
      this.store = Objects.requireNonNull(store);
      return this;
    }

    public Runner build() {
      return new Runner(this);
    }
  }
}
