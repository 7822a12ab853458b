package dev.lakehouse.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Local implementation of a Task {@code Resource} (e.g. {@code arn:aws:states:::lambda:invoke}).
 *
 * <p>Return the task result (what the real service integration returns, e.g. {@code {"Payload":
 * ...}} for lambda:invoke). Throw {@link TaskFailedException} for a named error that Retry/Catch
 * can match. Any other exception becomes an error named by its class simple name (as Lambda reports
 * {@code errorType}), with the message as cause. Handlers run on a worker thread and are
 * interrupted when the task times out or the execution is stopped.
 */
@FunctionalInterface
public interface TaskHandler {
  JsonNode invoke(TaskInvocation invocation) throws TaskFailedException;
}
