package dev.lakehouse.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.asl.TaskHandler;
import dev.lakehouse.asl.TaskInvocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code arn:aws:states:::sns:publish} → one JSON line per message in {@code
 * <home>/outbox/sns.jsonl}.
 */
public final class SnsOutbox implements TaskHandler {
  static final String RESOURCE = "arn:aws:states:::sns:publish";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  SnsOutbox(Path file) {
    this.file = file;
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation) {
    String id =
        publish(
            invocation.parameters().path("TopicArn").asText(),
            invocation.parameters().path("Subject").asText(null),
            invocation.parameters().path("Message").asText());
    ObjectNode answer = JSON.createObjectNode();
    answer.put("MessageId", id);
    return answer;
  }

  public synchronized String publish(String topicArn, String subject, String message) {
    String id = UUID.randomUUID().toString();
    ObjectNode line = JSON.createObjectNode();
    line.put("MessageId", id);
    line.put("TopicArn", topicArn);
    line.put("Subject", subject);
    line.put("Message", message);
    line.put("Timestamp", Instant.now().toString());
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return id;
  }

  /** Every message published so far, oldest first. */
  public synchronized List<JsonNode> messages() {
    List<JsonNode> out = new ArrayList<>();
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          out.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
