package dev.lakehouse.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.core.rules.BusinessRules;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gold computed independently of the pipeline: plain Java BigDecimal over the landed JSON files,
 * following the business rules as written in the issue (HALF_UP cents, 8% tax, free shipping above
 * 100.00, cancelled orders excluded, segments by lifetime value). Rows are
 * "date|metric_type|dimension_value|value|count".
 */
final class ExpectedGold {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private ExpectedGold() {}

  static List<String> from(Path products, Path orders) throws IOException {
    Map<String, String> category = new HashMap<>();
    for (JsonNode p : read(products)) {
      category.put(p.get("product_id").asText(), p.get("category").asText());
    }
    Map<String, JsonNode> latest = new HashMap<>();
    for (JsonNode o : read(orders)) {
      latest.put(o.get("order_id").asText(), o); // the last occurrence wins
    }
    Map<String, BigDecimal> lifetime = new HashMap<>();
    Map<String, BigDecimal> net = new HashMap<>();
    for (JsonNode o : latest.values()) {
      BigDecimal sum = BigDecimal.ZERO;
      for (JsonNode item : o.get("items")) {
        sum = sum.add(lineNet(item));
      }
      BigDecimal subtotal = sum.setScale(2, RoundingMode.HALF_UP);
      BigDecimal tax = subtotal.multiply(new BigDecimal("0.08")).setScale(2, RoundingMode.HALF_UP);
      BigDecimal shipping =
          subtotal.compareTo(new BigDecimal("100.00")) > 0
              ? new BigDecimal("0.00")
              : new BigDecimal("9.99");
      BigDecimal orderNet = subtotal.add(tax).add(shipping);
      net.put(o.get("order_id").asText(), orderNet);
      if (!cancelled(o)) {
        lifetime.merge(o.get("customer_id").asText(), orderNet, BigDecimal::add);
      }
    }
    Map<String, BigDecimal[]> metrics = new TreeMap<>();
    for (JsonNode o : latest.values()) {
      if (cancelled(o)) {
        continue;
      }
      String date =
          utc(o.get("order_date").asText()).atZone(ZoneOffset.UTC).toLocalDate().toString();
      BigDecimal orderNet = net.get(o.get("order_id").asText());
      add(metrics, date + "|daily_revenue|all", orderNet);
      add(
          metrics,
          date
              + "|segment_revenue|"
              + segment(lifetime.getOrDefault(o.get("customer_id").asText(), BigDecimal.ZERO)),
          orderNet);
      for (JsonNode item : o.get("items")) {
        add(
            metrics,
            date
                + "|category_revenue|"
                + category.getOrDefault(item.get("product_id").asText(), "unknown"),
            lineNet(item));
      }
    }
    List<String> rows = new ArrayList<>();
    metrics.forEach(
        (key, acc) ->
            rows.add(
                key
                    + "|"
                    + acc[0].setScale(2, RoundingMode.HALF_UP).toPlainString()
                    + "|"
                    + acc[1].toPlainString()));
    return rows;
  }

  static String segment(BigDecimal lifetimeValue) {
    return BusinessRules.segment(lifetimeValue);
  }

  private static BigDecimal lineNet(JsonNode item) {
    BigDecimal discount =
        item.hasNonNull("discount") ? decimal(item.get("discount")) : BigDecimal.ZERO;
    return decimal(item.get("unit_price"))
        .multiply(BigDecimal.valueOf(item.get("quantity").asLong()))
        .multiply(BigDecimal.ONE.subtract(discount));
  }

  private static boolean cancelled(JsonNode order) {
    return !BusinessRules.countsAsRevenue(order.get("order_status").asText());
  }

  /** Money as a JSON number or a decimal string, never through double. */
  static BigDecimal decimal(JsonNode value) {
    return value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText());
  }

  /** ISO-8601 with an offset or Z, or naive (T or space) meaning UTC. */
  static Instant utc(String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException naive) {
      return java.time.LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
  }

  private static void add(Map<String, BigDecimal[]> metrics, String key, BigDecimal value) {
    BigDecimal[] acc =
        metrics.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
    acc[0] = acc[0].add(value);
    acc[1] = acc[1].add(BigDecimal.ONE);
  }

  private static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }
}
