package dev.lakehouse.local.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Ways a source system sends bad records. Structural faults (broken JSON, missing id, wrong types)
 * must be caught by bronze; semantic faults (negative quantity, discount ≥ 1, unknown status,
 * impossible date) by silver.
 */
final class BadRecords {
  private BadRecords() {}

  static String corrupt(
      String entity, Map<String, Object> original, Random random, ObjectMapper json) {
    Map<String, Object> row = deepCopy(original);
    int kind = random.nextInt(4);
    try {
      switch (kind) {
        case 0 -> {
          String text = json.writeValueAsString(row);
          return text.substring(0, text.length() / 2); // truncated line: not JSON
        }
        case 1 ->
            row.remove(
                entity.equals("customers")
                    ? "customer_id"
                    : entity.equals("products") ? "product_id" : "order_id");
        case 2 -> wrongType(entity, row);
        default -> semantic(entity, row, random);
      }
      return json.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void wrongType(String entity, Map<String, Object> row) {
    switch (entity) {
      case "customers" -> row.put("created_at", "not-a-date");
      case "products" -> row.put("price", "abc");
      default -> row.put("total_amount", "twelve dollars");
    }
  }

  @SuppressWarnings("unchecked")
  private static void semantic(String entity, Map<String, Object> row, Random random) {
    switch (entity) {
      case "customers" -> row.put("customer_id", "");
      case "products" -> row.put("price", new BigDecimal("-5.00"));
      default -> {
        List<Map<String, Object>> items = (List<Map<String, Object>>) row.get("items");
        switch (random.nextInt(3)) {
          case 0 -> items.get(0).put("quantity", 0);
          case 1 -> items.get(0).put("discount", new BigDecimal("1.50"));
          default -> row.put("order_status", "lost_in_space");
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> row) {
    Map<String, Object> copy = new LinkedHashMap<>();
    row.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m) {
            copy.put(k, deepCopy((Map<String, Object>) m));
          } else if (v instanceof List<?> l) {
            copy.put(
                k,
                l.stream()
                    .map(e -> e instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : e)
                    .toList());
          } else {
            copy.put(k, v);
          }
        });
    return copy;
  }
}
