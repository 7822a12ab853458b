package dev.lakehouse.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.asl.Sleeper;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.history.History;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Everything the interpreter needs about one run of an execution (a start or a redrive).
 *
 * @param deadline execution-level TimeoutSeconds expressed on {@code clock}, or null
 * @param abortRequest set (to the error/cause pair) when someone stops the execution
 * @param onTopLevelStep called when a top-level state is entered and when it completes (checkpoints
 *     to the store)
 */
public record RunContext(
    String executionId,
    String executionName,
    JsonNode executionInput,
    Instant executionStartTime,
    int redriveCount,
    String stateMachineName,
    String stateMachineArn,
    Function<String, Optional<TaskHandler>> handlers,
    Clock clock,
    Sleeper sleeper,
    Random random,
    ExecutorService executor,
    History history,
    Instant deadline,
    Integer timeoutSeconds,
    AtomicReference<String[]> abortRequest,
    Runnable onTopLevelStep) {}
