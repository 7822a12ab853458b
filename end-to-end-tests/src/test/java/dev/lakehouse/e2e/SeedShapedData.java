package dev.lakehouse.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Records written the way the design document's Python generator writes them when its dicts go
 * through {@code json.dumps(record, default=str)}: {@code datetime} values become naive {@code
 * 2026-09-01 20:25:00.123456} (or {@code isoformat()} with a T where the generator calls it),
 * {@code Decimal} values become strings, totals keep their sub-cent digits, addresses carry {@code
 * zip}, unshipped orders have {@code shipped_date: null}, and every record carries the generator's
 * own {@code _ingestion_timestamp}. Independent of the project's generator on purpose.
 */
final class SeedShapedData {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FIRST = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda"
  };
  private static final String[] LAST = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis"
  };
  private static final String[][] CITIES = {
    {"New York", "NY"},
    {"Los Angeles", "CA"},
    {"Chicago", "IL"},
    {"Houston", "TX"},
    {"Phoenix", "AZ"},
    {"Philadelphia", "PA"}
  };
  private static final String[] CATEGORIES = {
    "Electronics", "Clothing", "Home & Garden", "Sports", "Books", "Toys"
  };
  private static final String[] STATUSES = {
    "pending", "processing", "shipped", "delivered", "cancelled"
  };
  static final LocalDateTime NOW = LocalDateTime.parse("2026-11-01T12:00:00.250000");

  record Files3(Path customers, Path products, Path orders) {}

  private final Random random;

  SeedShapedData(long seed) {
    this.random = new Random(seed);
  }

  Files3 write(Path dir, int customers, int products, int orders) throws IOException {
    Files.createDirectories(dir);
    List<ObjectNode> cs = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      String first = FIRST[random.nextInt(FIRST.length)];
      String last = LAST[random.nextInt(LAST.length)];
      String[] city = CITIES[random.nextInt(CITIES.length)];
      ObjectNode c = JSON.createObjectNode();
      c.put("customer_id", "CUST-" + hex8());
      c.put(
          "email",
          first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + i + "@email.com");
      c.put("first_name", first);
      c.put("last_name", last);
      c.put(
          "phone",
          "+1-"
              + (200 + random.nextInt(800))
              + "-"
              + (100 + random.nextInt(900))
              + "-"
              + (1000 + random.nextInt(9000)));
      ObjectNode address = c.putObject("address");
      address.put("street", (100 + random.nextInt(9900)) + " Main Street");
      address.put("city", city[0]);
      address.put("state", city[1]);
      address.put("zip", String.valueOf(10000 + random.nextInt(90000)));
      address.put("country", "USA");
      c.put("created_at", NOW.minusDays(1 + random.nextInt(365)).toString()); // isoformat(): a T
      c.put("updated_at", NOW.toString());
      c.put("source_system", new String[] {"web", "mobile", "store"}[random.nextInt(3)]);
      c.put("_ingestion_timestamp", str(NOW));
      cs.add(c);
    }
    List<ObjectNode> ps = new ArrayList<>();
    for (int i = 0; i < products; i++) {
      String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
      BigDecimal price = BigDecimal.valueOf(999 + random.nextInt(99000), 2);
      BigDecimal cost =
          price
              .multiply(BigDecimal.valueOf(30 + random.nextInt(41)))
              .movePointLeft(2)
              .setScale(2, java.math.RoundingMode.HALF_UP);
      ObjectNode p = JSON.createObjectNode();
      p.put("product_id", "PROD-" + hex8());
      p.put(
          "sku",
          String.format("SKU-%s-%04d", category.substring(0, 3).toUpperCase(Locale.ROOT), i));
      p.put("name", category + " General Product " + i);
      p.put("description", "High quality " + category.toLowerCase(Locale.ROOT) + " product");
      p.put("category", category);
      p.put("subcategory", "General");
      p.put("price", price.toPlainString()); // Decimal through default=str: a string
      p.put("cost", cost.toPlainString());
      p.put("stock_quantity", random.nextInt(1001));
      ObjectNode attributes = p.putObject("attributes");
      attributes.put(
          "weight",
          String.format(Locale.ROOT, "%d.%02d kg", random.nextInt(50), random.nextInt(100)));
      attributes.put("color", new String[] {"Black", "White", "Red", "Blue"}[random.nextInt(4)]);
      attributes.put("warranty", new int[] {12, 24, 36}[random.nextInt(3)] + " months");
      p.put("created_at", str(NOW.minusDays(1 + random.nextInt(365))));
      p.put("updated_at", str(NOW));
      p.put("_ingestion_timestamp", str(NOW));
      ps.add(p);
    }
    List<ObjectNode> os = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      ObjectNode customer = cs.get(random.nextInt(cs.size()));
      ObjectNode o = JSON.createObjectNode();
      o.put("order_id", "ORD-" + hex8());
      o.put("customer_id", customer.get("customer_id").asText());
      String status = STATUSES[random.nextInt(STATUSES.length)];
      LocalDateTime orderDate =
          NOW.minusDays(random.nextInt(91))
              .minusHours(random.nextInt(24))
              .minusMinutes(random.nextInt(60))
              .withNano(random.nextInt(1_000_000) * 1000);
      o.put("order_status", status);
      o.put("order_date", str(orderDate));
      o.put("required_date", str(orderDate.plusDays(3 + random.nextInt(8))));
      if (status.equals("shipped") || status.equals("delivered")) {
        o.put("shipped_date", str(orderDate.plusDays(1 + random.nextInt(5))));
      } else {
        o.putNull("shipped_date");
      }
      ArrayNode items = o.putArray("items");
      BigDecimal total = BigDecimal.ZERO;
      int lines = 1 + random.nextInt(5);
      for (int l = 0; l < lines; l++) {
        ObjectNode product = ps.get(random.nextInt(ps.size()));
        int quantity = 1 + random.nextInt(3);
        BigDecimal unitPrice = new BigDecimal(product.get("price").asText());
        BigDecimal discount = BigDecimal.valueOf(random.nextInt(21), 2);
        total =
            total.add(
                unitPrice
                    .multiply(BigDecimal.valueOf(quantity))
                    .multiply(BigDecimal.ONE.subtract(discount)));
        ObjectNode item = items.addObject();
        item.put("product_id", product.get("product_id").asText());
        item.put("quantity", quantity);
        item.put("unit_price", unitPrice.toPlainString());
        item.put("discount", discount.toPlainString());
      }
      o.set("shipping_address", customer.get("address").deepCopy());
      o.put(
          "total_amount",
          total
              .toPlainString()); // four decimal places, as the generator's Decimal arithmetic gives
      o.put("_ingestion_timestamp", str(NOW));
      os.add(o);
    }
    return new Files3(
        lines(dir.resolve("customers.jsonl"), cs),
        lines(dir.resolve("products.jsonl"), ps),
        lines(dir.resolve("orders.jsonl"), os));
  }

  /** Python's str(datetime): a space, and microseconds only when there are any. */
  static String str(LocalDateTime t) {
    String text =
        t.toLocalDate()
            + " "
            + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    return t.getNano() == 0 ? text : text + String.format(".%06d", t.getNano() / 1000);
  }

  private String hex8() {
    return String.format("%08X", random.nextInt() & 0xffffffffL);
  }

  private static Path lines(Path file, List<ObjectNode> rows) throws IOException {
    StringBuilder out = new StringBuilder();
    for (ObjectNode row : rows) {
      out.append(JSON.writeValueAsString(row)).append('\n');
    }
    return Files.writeString(file, out);
  }
}
