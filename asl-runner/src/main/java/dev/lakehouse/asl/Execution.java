package dev.lakehouse.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.history.EventType;
import dev.lakehouse.asl.history.History;
import dev.lakehouse.asl.history.HistoryEvent;
import dev.lakehouse.asl.history.HistoryTable;
import dev.lakehouse.asl.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One execution: its status, result and history. The object is live while the execution runs
 * (history grows, status changes) and is what {@link dev.lakehouse.asl.history.ExecutionStore}s
 * persist.
 */
public final class Execution {
  private final String id;
  private final String name;
  private final String stateMachineName;
  private final JsonNode input;
  private final Instant startTime;
  private final History history;
  private final AtomicReference<String[]> abortRequest = new AtomicReference<>();

  private volatile ExecutionStatus status;
  private volatile JsonNode output;
  private volatile String error;
  private volatile String cause;
  private volatile Instant stopTime;
  private volatile int redriveCount;
  private volatile Instant redriveTime;
  private volatile RedrivePoint redrivePoint;

  /**
   * The process running this execution while it is RUNNING: how another process tells a crash from
   * progress.
   */
  private volatile Long ownerPid = ProcessHandle.current().pid();

  /**
   * Error of an execution whose process ended (killed, crashed, machine lost) before the execution
   * did.
   */
  public static final String PROCESS_DIED = "Local.ProcessDied";

  /** Where a redrive restarts: the top-level state that was running when the execution failed. */
  public record RedrivePoint(String stateName, JsonNode input) {}

  Execution(
      String id,
      String name,
      String stateMachineName,
      JsonNode input,
      Instant startTime,
      History history) {
    this.id = id;
    this.name = name;
    this.stateMachineName = stateMachineName;
    this.input = input;
    this.startTime = startTime;
    this.history = history;
    this.status = ExecutionStatus.RUNNING;
  }

  /**
   * {@code arn:aws:states:local:000000000000:execution:<stateMachine>:<name>}; unchanged by
   * redrives.
   */
  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String stateMachineName() {
    return stateMachineName;
  }

  public ExecutionStatus status() {
    return status;
  }

  public JsonNode input() {
    return input;
  }

  /** The output of a SUCCEEDED execution, else null. */
  public JsonNode output() {
    return output;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return cause;
  }

  public Instant startTime() {
    return startTime;
  }

  /** Null while RUNNING. */
  public Instant stopTime() {
    return stopTime;
  }

  public int redriveCount() {
    return redriveCount;
  }

  public Instant redriveTime() {
    return redriveTime;
  }

  public RedrivePoint redrivePoint() {
    return redrivePoint;
  }

  public List<HistoryEvent> history() {
    return history.events();
  }

  /** The history as a readable table with per-state timings. */
  public String historyTable() {
    return HistoryTable.format(this);
  }

  History historyLog() {
    return history;
  }

  AtomicReference<String[]> abortRequest() {
    return abortRequest;
  }

  // ---------------------------------------------------------------- transitions (Runner only)

  synchronized void succeeded(JsonNode output, Instant at) {
    this.status = ExecutionStatus.SUCCEEDED;
    this.output = output;
    this.stopTime = at;
    this.redrivePoint = null;
  }

  synchronized void failed(
      ExecutionStatus status, String error, String cause, Instant at, RedrivePoint point) {
    this.status = status;
    this.error = error;
    this.cause = cause;
    this.stopTime = at;
    this.redrivePoint = point;
  }

  synchronized void redriving(Instant at) {
    this.status = ExecutionStatus.RUNNING;
    this.ownerPid = ProcessHandle.current().pid();
    this.error = null;
    this.cause = null;
    this.stopTime = null;
    this.redriveCount++;
    this.redriveTime = at;
    this.abortRequest.set(null);
  }

  /**
   * True when this execution says RUNNING but the process running it is gone: nobody will ever
   * finish it. An execution written before owners were recorded is never judged abandoned.
   */
  public boolean abandoned() {
    Long pid = ownerPid;
    return status == ExecutionStatus.RUNNING
        && pid != null
        && pid != ProcessHandle.current().pid()
        && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Ends an abandoned execution as FAILED at the top-level state it was in, so it can be redriven
   * from there as AWS redrives a failed one (states that completed are not run again).
   */
  synchronized void failAbandoned(Instant at) {
    HistoryEvent last = null;
    for (HistoryEvent event : history.events()) {
      if (event.type() == EventType.StateEntered
          && (event.scope() == null || event.scope().isEmpty())) {
        last = event;
      }
    }
    RedrivePoint point = last == null ? null : new RedrivePoint(last.stateName(), last.input());
    String cause =
        "the process running this execution (pid "
            + ownerPid
            + ") ended before it finished"
            + (point == null
                ? ""
                : "; it was in state " + point.stateName() + ", redrive it to continue from there");
    failed(ExecutionStatus.FAILED, PROCESS_DIED, cause, at, point);
    history.add(
        at, EventType.ExecutionFailed, null, "", null, null, PROCESS_DIED, cause, null, null);
  }

  // ---------------------------------------------------------------- JSON

  public synchronized ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("executionArn", id);
    node.put("name", name);
    node.put("stateMachineName", stateMachineName);
    node.put("status", status.name());
    node.put("startDate", Json.timestamp(startTime));
    if (stopTime != null) {
      node.put("stopDate", Json.timestamp(stopTime));
    }
    node.put("redriveCount", redriveCount);
    if (ownerPid != null) {
      node.put("ownerPid", ownerPid);
    }
    if (redriveTime != null) {
      node.put("redriveDate", Json.timestamp(redriveTime));
    }
    node.set("input", input);
    if (output != null) {
      node.set("output", output);
    }
    if (error != null) {
      node.put("error", error);
    }
    if (cause != null) {
      node.put("cause", cause);
    }
    if (redrivePoint != null) {
      node.putObject("redrivePoint")
          .put("stateName", redrivePoint.stateName())
          .set("input", redrivePoint.input());
    }
    node.set("history", history.toJson());
    return node;
  }

  public static Execution fromJson(JsonNode node) {
    Execution e =
        new Execution(
            node.get("executionArn").asText(),
            node.get("name").asText(),
            node.get("stateMachineName").asText(),
            node.get("input"),
            Instant.parse(node.get("startDate").asText()),
            History.fromJson(node.get("history")));
    e.status = ExecutionStatus.valueOf(node.get("status").asText());
    e.stopTime = node.has("stopDate") ? Instant.parse(node.get("stopDate").asText()) : null;
    e.redriveCount = node.path("redriveCount").asInt(0);
    e.ownerPid = node.hasNonNull("ownerPid") ? node.get("ownerPid").asLong() : null;
    e.redriveTime =
        node.has("redriveDate") ? Instant.parse(node.get("redriveDate").asText()) : null;
    e.output = node.get("output");
    e.error = node.hasNonNull("error") ? node.get("error").asText() : null;
    e.cause = node.hasNonNull("cause") ? node.get("cause").asText() : null;
    JsonNode point = node.get("redrivePoint");
    e.redrivePoint =
        point == null
            ? null
            : new RedrivePoint(point.get("stateName").asText(), point.get("input"));
    return e;
  }

  @Override
  public String toString() {
    return "Execution[" + id + ", " + status + (error == null ? "" : ", " + error) + "]";
  }
}
