package dev.lakehouse.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.ExecutionStatus;
import dev.lakehouse.asl.TaskFailedException;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.TaskInvocation;
import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.json.Intrinsics;
import dev.lakehouse.asl.json.Json;
import dev.lakehouse.asl.json.JsonPaths;
import dev.lakehouse.asl.json.PayloadTemplate;
import dev.lakehouse.asl.model.Catcher;
import dev.lakehouse.asl.model.ChoiceRule;
import dev.lakehouse.asl.model.ErrorNames;
import dev.lakehouse.asl.model.Io;
import dev.lakehouse.asl.model.Retrier;
import dev.lakehouse.asl.model.State;
import dev.lakehouse.asl.model.StateGraph;
import dev.lakehouse.asl.model.StatesError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes states. One instance serves one run of one execution; Map iterations and Parallel
 * branches run on {@link RunContext#executor()} threads and share it.
 *
 * <p>Control flow uses three exception kinds: {@link StatesError} (a named ASL error, subject to
 * Retry and Catch unless it is States.Runtime), {@link Terminated} (execution stopped or timed out:
 * nothing may catch it) and {@link Scope.Cancelled} (a sibling branch failed: unwind quietly).
 */
public final class Interpreter {
  private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);

  /**
   * How often a thread blocked on a task/branch re-checks for stop requests and the execution
   * deadline.
   */
  private static final long POLL_MILLIS = 50;

  private final RunContext run;

  public Interpreter(RunContext run) {
    this.run = run;
  }

  /** A state's result: its output and the next state, or null when the (sub-)machine ends. */
  private record Step(String next, JsonNode output) {}

  /** Execution stopped (StopExecution) or exceeded its TimeoutSeconds. Not catchable by ASL. */
  private static final class Terminated extends RuntimeException {
    final ExecutionStatus status;
    final String error;
    final String errorCause;

    Terminated(ExecutionStatus status, String error, String cause) {
      super(error, null, false, false);
      this.status = status;
      this.error = error;
      this.errorCause = cause;
    }
  }

  /** Runs the top-level machine from {@code startAt} (StartAt, or the failed state on redrive). */
  public JsonNode runTopLevel(StateGraph graph, String startAt, JsonNode input) {
    String current = startAt;
    JsonNode data = input;
    while (true) {
      Step step;
      try {
        step = runState(graph.state(current), data, Scope.ROOT);
      } catch (StatesError e) {
        throw new ExecutionFailure(ExecutionStatus.FAILED, e.error(), e.cause(), current, data);
      } catch (Terminated t) {
        throw new ExecutionFailure(t.status, t.error, t.errorCause, current, data);
      }
      run.onTopLevelStep().run();
      if (step.next() == null) {
        return step.output();
      }
      current = step.next();
      data = step.output();
    }
  }

  private JsonNode runGraph(StateGraph graph, JsonNode input, Scope scope) {
    String current = graph.startAt();
    JsonNode data = input;
    while (true) {
      Step step = runState(graph.state(current), data, scope);
      if (step.next() == null) {
        return step.output();
      }
      current = step.next();
      data = step.output();
    }
  }

  // ---------------------------------------------------------------- one state

  private Step runState(State state, JsonNode input, Scope scope) {
    checkActive(scope);
    Instant entered = now();
    record(EventType.StateEntered, state.name(), scope, input, null, null, null, null, null);
    if (scope == Scope.ROOT) {
      // Persist before the state runs: if the process dies inside it, the store shows where it was.
      run.onTopLevelStep().run();
    }
    LOG.debug("{} entering {} {}", run.executionName(), scope.path(), state.name());
    Step step;
    try {
      step = dispatch(state, input, scope, entered);
    } catch (StatesError e) {
      record(
          EventType.StateExited,
          state.name(),
          scope,
          null,
          null,
          e.error(),
          e.cause(),
          since(entered),
          null);
      throw e;
    }
    record(
        EventType.StateExited,
        state.name(),
        scope,
        null,
        step.output(),
        null,
        null,
        since(entered),
        null);
    return step;
  }

  private Step dispatch(State state, JsonNode input, Scope scope, Instant entered) {
    if (state instanceof State.Task task) {
      return withErrorHandling(
          task.name(),
          task.retry(),
          task.catchers(),
          task.next(),
          input,
          scope,
          retryCount -> runTask(task, input, scope, entered, retryCount));
    }
    if (state instanceof State.Parallel parallel) {
      return withErrorHandling(
          parallel.name(),
          parallel.retry(),
          parallel.catchers(),
          parallel.next(),
          input,
          scope,
          retryCount -> runParallel(parallel, input, scope, entered, retryCount));
    }
    if (state instanceof State.Map map) {
      return withErrorHandling(
          map.name(),
          map.retry(),
          map.catchers(),
          map.next(),
          input,
          scope,
          retryCount -> runMap(map, input, scope, entered, retryCount));
    }
    if (state instanceof State.Pass pass) {
      return new Step(pass.next(), runPass(pass, input, entered));
    }
    if (state instanceof State.Choice choice) {
      return runChoice(choice, input, entered);
    }
    if (state instanceof State.Wait wait) {
      return new Step(wait.next(), runWait(wait, input, scope, entered));
    }
    if (state instanceof State.Succeed succeed) {
      return new Step(null, outputPath(succeed.io(), inputPath(succeed.io(), input)));
    }
    State.Fail fail = (State.Fail) state;
    throw new StatesError(
        failField(fail.error(), fail.errorPath(), "ErrorPath", input, fail.name(), entered),
        failField(fail.cause(), fail.causePath(), "CausePath", input, fail.name(), entered));
  }

  private interface Attempt {
    JsonNode run(int retryCount);
  }

  /**
   * Retry then Catch, per spec: the first Retrier whose ErrorEquals matches decides (each Retrier
   * counts its own attempts); when it is exhausted, or none matches, the first matching Catcher
   * decides.
   */
  private Step withErrorHandling(
      String stateName,
      List<Retrier> retriers,
      List<Catcher> catchers,
      String next,
      JsonNode input,
      Scope scope,
      Attempt attempt) {
    int[] attempts = new int[retriers.size()];
    int retryCount = 0;
    while (true) {
      try {
        return new Step(next, attempt.run(retryCount));
      } catch (StatesError e) {
        int r = firstMatch(retriers.stream().map(Retrier::errorEquals).toList(), e);
        if (r >= 0 && attempts[r] < retriers.get(r).maxAttempts()) {
          Retrier retrier = retriers.get(r);
          Duration delay = retrier.baseDelay(attempts[r]);
          if (retrier.jitterStrategy() == Retrier.JitterStrategy.FULL) {
            delay = Duration.ofMillis((long) (run.random().nextDouble() * delay.toMillis()));
          }
          attempts[r]++;
          retryCount++;
          ObjectNode details =
              Json.object()
                  .put("retrier", r)
                  .put("attempt", attempts[r])
                  .put("delayMillis", delay.toMillis());
          record(
              EventType.RetryScheduled,
              stateName,
              scope,
              null,
              null,
              e.error(),
              e.cause(),
              null,
              details);
          sleep(delay, scope);
          continue;
        }
        int c = firstMatch(catchers.stream().map(Catcher::errorEquals).toList(), e);
        if (c < 0) {
          throw e;
        }
        Catcher catcher = catchers.get(c);
        ObjectNode errorOutput = Json.object().put("Error", e.error());
        if (e.cause() != null) {
          errorOutput.put("Cause", e.cause());
        }
        // The error output goes into the state's *raw* input, as ResultPath does for results.
        JsonNode output =
            catcher.resultPath() == null ? input : catcher.resultPath().set(input, errorOutput);
        record(
            EventType.ErrorCaught,
            stateName,
            scope,
            null,
            output,
            e.error(),
            e.cause(),
            null,
            Json.object().put("catcher", c).put("next", catcher.next()));
        return new Step(catcher.next(), output);
      }
    }
  }

  /**
   * ErrorEquals matching. Developer guide, "Error names": States.ALL matches every error name and
   * States.TaskFailed every name but States.Timeout; no other name is a wildcard (a Parallel
   * branch's or Map iteration's error keeps its own name, so States.BranchFailed matches only
   * itself). States.Runtime is terminal: "not retriable, and will always cause the execution to
   * fail", so nothing matches it, not even an ErrorEquals naming it (recorded on AWS: a
   * ["States.Runtime"] catcher does not catch it).
   */
  static int firstMatch(List<List<String>> errorEquals, StatesError e) {
    if (ErrorNames.RUNTIME.equals(e.error())) {
      return -1;
    }
    for (int i = 0; i < errorEquals.size(); i++) {
      for (String name : errorEquals.get(i)) {
        boolean match =
            name.equals(e.error())
                || name.equals(ErrorNames.ALL)
                || (name.equals(ErrorNames.TASK_FAILED) && !ErrorNames.TIMEOUT.equals(e.error()));
        if (match) {
          return i;
        }
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- Task

  private JsonNode runTask(
      State.Task task, JsonNode rawInput, Scope scope, Instant entered, int retryCount) {
    Io io = task.io();
    JsonNode effective = inputPath(io, rawInput);
    ObjectNode context = context(task.name(), entered, retryCount);
    JsonNode parameters =
        io.parameters() == null ? effective : io.parameters().apply(effective, context);
    TaskHandler handler =
        run.handlers()
            .apply(task.resource())
            .orElseThrow(
                () ->
                    new StatesError(
                        ErrorNames.RUNTIME,
                        "No task handler registered for resource '" + task.resource() + "'"));
    Integer timeout = task.timeoutSeconds();
    if (task.timeoutSecondsPath() != null) {
      JsonNode t = JsonPaths.read(task.timeoutSecondsPath(), effective, context).orElse(null);
      if (t == null || !t.canConvertToExactIntegral() || t.asLong() <= 0) {
        throw new StatesError(
            ErrorNames.RUNTIME,
            "TimeoutSecondsPath '"
                + task.timeoutSecondsPath()
                + "' must select a positive integer, got "
                + (t == null ? "nothing" : Json.write(t)));
      }
      timeout = t.asInt();
    }
    ObjectNode details = Json.object().put("resource", task.resource());
    if (timeout != null) {
      details.put("timeoutSeconds", timeout);
    }
    record(
        EventType.TaskScheduled, task.name(), scope, parameters, null, null, null, null, details);
    TaskInvocation invocation =
        new TaskInvocation(
            task.resource(), parameters.deepCopy(), task.name(), context, run.executionId());
    Instant started = now();
    JsonNode result;
    try {
      result = invoke(handler, invocation, timeout, scope);
    } catch (StatesError e) {
      EventType type =
          ErrorNames.TIMEOUT.equals(e.error()) ? EventType.TaskTimedOut : EventType.TaskFailed;
      record(type, task.name(), scope, null, null, e.error(), e.cause(), since(started), null);
      throw e;
    }
    record(
        EventType.TaskSucceeded,
        task.name(),
        scope,
        null,
        result,
        null,
        null,
        since(started),
        null);
    return processResult(io, rawInput, result, context);
  }

  /**
   * Runs the handler on a worker thread so that TimeoutSeconds can be enforced and stop requests
   * honoured: on timeout the worker is interrupted and abandoned (a handler ignoring interrupts
   * finishes unobserved).
   */
  private JsonNode invoke(
      TaskHandler handler, TaskInvocation invocation, Integer timeoutSeconds, Scope scope) {
    Future<JsonNode> future = run.executor().submit(() -> handler.invoke(invocation));
    long deadlineNanos =
        timeoutSeconds == null
            ? Long.MAX_VALUE
            : System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      while (true) {
        checkActive(scope);
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          throw new StatesError(
              ErrorNames.TIMEOUT, "Task timed out after " + timeoutSeconds + " seconds");
        }
        try {
          return future.get(
              Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)),
              TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillRunning) {
          // loop: re-check stop requests, the execution deadline and the task timeout
        }
      }
    } catch (ExecutionException e) {
      throw taskError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checkActive(scope);
      throw new Scope.Cancelled();
    } finally {
      if (!future.isDone()) {
        future.cancel(true);
      }
    }
  }

  /** Maps what a handler threw to an ASL error name (see {@link TaskHandler}). */
  private static StatesError taskError(Throwable t) {
    if (t instanceof TaskFailedException f) {
      return new StatesError(f.error(), f.cause());
    }
    if (t instanceof StatesError e) {
      return e;
    }
    if (t instanceof Exception) {
      String name =
          t.getClass().getSimpleName().isEmpty()
              ? t.getClass().getName()
              : t.getClass().getSimpleName();
      return new StatesError(name, t.getMessage() == null ? t.toString() : t.getMessage());
    }
    // java.lang.Error (OutOfMemoryError, AssertionError...): not something a workflow should catch.
    return new StatesError(ErrorNames.RUNTIME, "Task handler threw " + t);
  }

  // ---------------------------------------------------------------- Parallel and Map

  private JsonNode runParallel(
      State.Parallel parallel, JsonNode rawInput, Scope scope, Instant entered, int retryCount) {
    Io io = parallel.io();
    JsonNode effective = inputPath(io, rawInput);
    ObjectNode context = context(parallel.name(), entered, retryCount);
    JsonNode branchInput =
        io.parameters() == null ? effective : io.parameters().apply(effective, context);
    Scope group = scope.group();
    List<Callable<JsonNode>> branches = new ArrayList<>();
    for (int i = 0; i < parallel.branches().size(); i++) {
      int index = i;
      StateGraph branch = parallel.branches().get(i);
      Scope branchScope = group.child(parallel.name() + ".branch[" + i + "]");
      branches.add(
          () ->
              runChild(
                  branch,
                  branchInput,
                  branchScope,
                  parallel.name(),
                  index,
                  EventType.ParallelBranchStarted,
                  EventType.ParallelBranchSucceeded,
                  EventType.ParallelBranchFailed));
    }
    ArrayNode results = runConcurrently(branches, 0, scope, group);
    return processResult(io, rawInput, results, context);
  }

  private JsonNode runMap(
      State.Map map, JsonNode rawInput, Scope scope, Instant entered, int retryCount) {
    Io io = map.io();
    JsonNode effective = inputPath(io, rawInput);
    ObjectNode context = context(map.name(), entered, retryCount);
    JsonNode items = JsonPaths.read(map.itemsPath(), effective, context).orElse(null);
    if (items == null || !items.isArray()) {
      throw new StatesError(
          ErrorNames.RUNTIME,
          "ItemsPath '"
              + map.itemsPath()
              + "' must select an array, got "
              + (items == null ? "nothing" : Json.write(items)));
    }
    Scope group = scope.group();
    List<Callable<JsonNode>> iterations = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      int index = i;
      JsonNode item = items.get(i);
      Scope iterationScope = group.child(map.name() + "[" + i + "]");
      iterations.add(
          () -> {
            JsonNode iterationInput = item;
            PayloadTemplate selector = map.itemSelector();
            if (selector != null) {
              ObjectNode itemContext =
                  Json.object().setAll(context); // shallow: only "Map" is added
              itemContext.putObject("Map").putObject("Item").put("Index", index).set("Value", item);
              iterationInput = selector.apply(effective, itemContext);
            }
            return runChild(
                map.processor(),
                iterationInput,
                iterationScope,
                map.name(),
                index,
                EventType.MapIterationStarted,
                EventType.MapIterationSucceeded,
                EventType.MapIterationFailed);
          });
    }
    ArrayNode results = runConcurrently(iterations, map.maxConcurrency(), scope, group);
    return processResult(io, rawInput, results, context);
  }

  private JsonNode runChild(
      StateGraph graph,
      JsonNode input,
      Scope scope,
      String stateName,
      int index,
      EventType started,
      EventType succeeded,
      EventType failed) {
    Instant start = now();
    ObjectNode details = Json.object().put("index", index);
    record(started, stateName, scope, input, null, null, null, null, details);
    try {
      JsonNode output = runGraph(graph, input, scope);
      record(succeeded, stateName, scope, null, output, null, null, since(start), details);
      return output;
    } catch (StatesError e) {
      record(failed, stateName, scope, null, null, e.error(), e.cause(), since(start), details);
      throw e;
    }
  }

  /**
   * Runs {@code calls} on the executor with at most {@code limit} in flight (0 = unlimited) and
   * returns their results in call order. The first failure cancels the group (siblings stop at
   * their next state or are interrupted) and is rethrown under its own error name.
   */
  private ArrayNode runConcurrently(
      List<Callable<JsonNode>> calls, int limit, Scope scope, Scope group) {
    ExecutorCompletionService<JsonNode> completion =
        new ExecutorCompletionService<>(run.executor());
    Map<Future<JsonNode>, Integer> indexes = new HashMap<>();
    JsonNode[] results = new JsonNode[calls.size()];
    int submitted = 0;
    int running = 0;
    int done = 0;
    try {
      while (done < calls.size()) {
        while (submitted < calls.size() && (limit == 0 || running < limit)) {
          indexes.put(completion.submit(calls.get(submitted)), submitted);
          submitted++;
          running++;
        }
        Future<JsonNode> finished = null;
        while (finished == null) {
          checkActive(scope);
          finished = completion.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        running--;
        done++;
        try {
          results[indexes.get(finished)] = finished.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new StatesError(ErrorNames.RUNTIME, "Branch failed: " + cause);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.cancel();
      checkActive(scope);
      throw new Scope.Cancelled();
    } catch (CancellationException e) {
      group.cancel();
      throw new Scope.Cancelled();
    } finally {
      if (done < calls.size()) {
        group.cancel();
        indexes.keySet().forEach(f -> f.cancel(true));
      }
    }
    ArrayNode array = Json.NODES.arrayNode();
    for (JsonNode result : results) {
      array.add(result);
    }
    return array;
  }

  // ---------------------------------------------------------------- Pass, Choice, Wait, Fail

  private JsonNode runPass(State.Pass pass, JsonNode rawInput, Instant entered) {
    Io io = pass.io();
    JsonNode effective = inputPath(io, rawInput);
    if (io.parameters() != null) {
      effective = io.parameters().apply(effective, context(pass.name(), entered, 0));
    }
    JsonNode result = pass.result() != null ? pass.result().deepCopy() : effective;
    return outputPath(io, resultPath(io, rawInput, result));
  }

  private Step runChoice(State.Choice choice, JsonNode rawInput, Instant entered) {
    JsonNode effective = inputPath(choice.io(), rawInput);
    ObjectNode context = context(choice.name(), entered, 0);
    for (ChoiceRule.Branch branch : choice.choices()) {
      if (ChoiceEvaluator.matches(branch.rule(), effective, context)) {
        return new Step(branch.next(), outputPath(choice.io(), effective));
      }
    }
    if (choice.defaultNext() != null) {
      return new Step(choice.defaultNext(), outputPath(choice.io(), effective));
    }
    throw new StatesError(
        ErrorNames.NO_CHOICE_MATCHED,
        "No Choice Rule matched and no Default is specified in state '" + choice.name() + "'");
  }

  private JsonNode runWait(State.Wait wait, JsonNode rawInput, Scope scope, Instant entered) {
    JsonNode effective = inputPath(wait.io(), rawInput);
    ObjectNode context = context(wait.name(), entered, 0);
    Duration duration;
    if (wait.seconds() != null) {
      duration = Duration.ofSeconds(wait.seconds());
    } else if (wait.secondsPath() != null) {
      JsonNode s = JsonPaths.read(wait.secondsPath(), effective, context).orElse(null);
      if (s == null || !s.canConvertToExactIntegral() || s.asLong() < 0) {
        throw new StatesError(
            ErrorNames.RUNTIME,
            "SecondsPath '"
                + wait.secondsPath()
                + "' must select a non-negative integer, got "
                + (s == null ? "nothing" : Json.write(s)));
      }
      duration = Duration.ofSeconds(s.asLong());
    } else {
      Instant until = wait.timestamp();
      if (until == null) {
        JsonNode t = JsonPaths.read(wait.timestampPath(), effective, context).orElse(null);
        until = t != null && t.isTextual() ? Json.parseTimestamp(t.textValue()).orElse(null) : null;
        if (until == null) {
          throw new StatesError(
              ErrorNames.RUNTIME,
              "TimestampPath '"
                  + wait.timestampPath()
                  + "' must select an RFC 3339 timestamp, got "
                  + (t == null ? "nothing" : Json.write(t)));
        }
      }
      duration = Duration.between(now(), until);
      if (duration.isNegative()) {
        duration = Duration.ZERO;
      }
    }
    record(
        EventType.WaitStarted,
        wait.name(),
        scope,
        null,
        null,
        null,
        null,
        null,
        Json.object().put("waitMillis", duration.toMillis()));
    sleep(duration, scope);
    return outputPath(wait.io(), effective);
  }

  private String failField(
      String literal,
      String path,
      String field,
      JsonNode input,
      String stateName,
      Instant entered) {
    if (path == null) {
      return literal;
    }
    JsonNode context = context(stateName, entered, 0);
    // Validated at load time, so parsing again cannot fail; evaluation failures are States.Runtime.
    JsonNode value =
        path.startsWith("States.")
            ? Intrinsics.parse(path).evaluate(input, context)
            : JsonPaths.read(path, input, context).orElse(null);
    if (value == null || !value.isTextual()) {
      throw new StatesError(
          ErrorNames.RUNTIME,
          field
              + " '"
              + path
              + "' must select a string, got "
              + (value == null ? "nothing" : Json.write(value)));
    }
    return value.textValue();
  }

  // ---------------------------------------------------------------- input/output processing

  private static JsonNode inputPath(Io io, JsonNode rawInput) {
    return select(io.inputPath(), rawInput, "InputPath");
  }

  private static JsonNode outputPath(Io io, JsonNode output) {
    return select(io.outputPath(), output, "OutputPath");
  }

  /** InputPath/OutputPath: null means {} (spec), a path that selects nothing is States.Runtime. */
  private static JsonNode select(String path, JsonNode data, String field) {
    if (path == null) {
      return Json.object();
    }
    return JsonPaths.read(path, data, null)
        .orElseThrow(
            () ->
                new StatesError(
                    ErrorNames.RUNTIME,
                    "Invalid path '"
                        + path
                        + "' : The "
                        + field
                        + " '"
                        + path
                        + "' could not be found in the input '"
                        + Json.write(data)
                        + "'"));
  }

  private static JsonNode resultPath(Io io, JsonNode rawInput, JsonNode result) {
    return io.resultPath() == null ? rawInput : io.resultPath().set(rawInput, result);
  }

  /** ResultSelector → ResultPath → OutputPath, the tail of the spec's processing order. */
  private static JsonNode processResult(
      Io io, JsonNode rawInput, JsonNode result, JsonNode context) {
    JsonNode selected =
        io.resultSelector() == null ? result : io.resultSelector().apply(result, context);
    return outputPath(io, resultPath(io, rawInput, selected));
  }

  // ---------------------------------------------------------------- context object, time, history

  private ObjectNode context(String stateName, Instant entered, int retryCount) {
    ObjectNode context = Json.object();
    context
        .putObject("Execution")
        .put("Id", run.executionId())
        .put("Name", run.executionName())
        .put("RoleArn", "arn:aws:iam::000000000000:role/local-step-functions")
        .put("StartTime", Json.timestamp(run.executionStartTime()))
        .put("RedriveCount", run.redriveCount())
        .set("Input", run.executionInput());
    context
        .putObject("StateMachine")
        .put("Id", run.stateMachineArn())
        .put("Name", run.stateMachineName());
    context
        .putObject("State")
        .put("Name", stateName)
        .put("EnteredTime", Json.timestamp(entered))
        .put("RetryCount", retryCount);
    return context;
  }

  /**
   * Stop requests and the execution deadline end everything; a cancelled scope ends just its
   * branch.
   */
  private void checkActive(Scope scope) {
    String[] abort = run.abortRequest().get();
    if (abort != null) {
      throw new Terminated(ExecutionStatus.ABORTED, abort[0], abort[1]);
    }
    if (run.deadline() != null && !now().isBefore(run.deadline())) {
      throw timedOut();
    }
    if (scope.isCancelled()) {
      throw new Scope.Cancelled();
    }
  }

  private Terminated timedOut() {
    return new Terminated(
        ExecutionStatus.TIMED_OUT,
        ErrorNames.TIMEOUT,
        "Execution timed out after " + run.timeoutSeconds() + " seconds");
  }

  /** Sleeps via the injected sleeper, but never past the execution deadline. */
  private void sleep(Duration duration, Scope scope) {
    checkActive(scope);
    try {
      if (run.deadline() != null) {
        Duration remaining = Duration.between(now(), run.deadline());
        if (duration.compareTo(remaining) >= 0) {
          run.sleeper().sleep(remaining);
          throw timedOut();
        }
      }
      if (!duration.isZero()) {
        run.sleeper().sleep(duration);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checkActive(scope);
      throw new Scope.Cancelled();
    }
    checkActive(scope);
  }

  private Instant now() {
    return run.clock().instant();
  }

  private long since(Instant start) {
    return Duration.between(start, now()).toMillis();
  }

  private void record(
      EventType type,
      String stateName,
      Scope scope,
      JsonNode input,
      JsonNode output,
      String error,
      String cause,
      Long durationMillis,
      JsonNode details) {
    run.history()
        .add(
            now(),
            type,
            stateName,
            scope.path(),
            input,
            output,
            error,
            cause,
            durationMillis,
            details);
  }
}
