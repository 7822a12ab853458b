package dev.lakehouse.local.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** An error and its cause as the one line a person needs. */
public final class Failures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final java.util.regex.Pattern RECORDED =
      java.util.regex.Pattern.compile("([A-Za-z0-9_.]+): (\\{.*)", java.util.regex.Pattern.DOTALL);

  private Failures() {}

  /**
   * {@code error: message}, first line only. A Glue or Lambda task's cause is the service's JSON
   * answer; its message ({@code ErrorMessage}, {@code errorMessage}) is the part a person needs.
   */
  public static String oneLine(String error, String cause) {
    if (error == null && cause != null) {
      // The run recorder's message is "Error: Cause"; the cause may be such a JSON answer.
      java.util.regex.Matcher recorded = RECORDED.matcher(cause);
      if (recorded.matches()) {
        return oneLine(recorded.group(1), recorded.group(2));
      }
    }
    String message = cause == null ? "" : cause;
    try {
      JsonNode json = JSON.readTree(message);
      for (String field : List.of("ErrorMessage", "errorMessage")) {
        if (json != null && json.hasNonNull(field)) {
          message = json.get(field).asText();
          break;
        }
      }
    } catch (JsonProcessingException plainText) {
      // the cause is a sentence already
    }
    String line = error == null ? message : error + (message.isBlank() ? "" : ": " + message);
    int newline = line.indexOf('\n');
    return newline < 0 ? line : line.substring(0, newline);
  }
}
