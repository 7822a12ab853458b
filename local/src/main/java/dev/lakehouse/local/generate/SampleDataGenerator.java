package dev.lakehouse.local.generate;

import static dev.lakehouse.local.generate.SampleData.*;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakehouse.core.rules.BusinessRules;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Writes sample customers, products and orders as JSON Lines, shaped as the design document's
 * generator shapes them (its field names, {@code zip} in addresses, naive ISO timestamps meaning
 * UTC, {@code shipped_date} null until an order ships, product {@code attributes}), plus the
 * project's extras (brand, is_active, payment method, currency, updated_at). Deterministic: the
 * same options (seed, counts, as-of date, bad rate) always give byte-identical files, because every
 * value is drawn from one seeded {@link Random} in a fixed order and written with a fixed field
 * order and number format. Orders are written as they are drawn, never held: a file of millions of
 * orders takes the memory of its customers and products.
 */
public final class SampleDataGenerator {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Naive ISO-8601 as the document's generator writes it ({@code datetime.isoformat()}); naive
   * means UTC.
   */
  private static final DateTimeFormatter ISO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Options options;

  /** Where every value is drawn from; {@link #writeTo} swaps it once (see there). */
  private Random random;

  public SampleDataGenerator(Options options) {
    this.options = options;
    this.random = new Random(options.seed);
  }

  /**
   * What to generate. {@code badRate} is the share of records replaced by malformed or invalid
   * ones.
   */
  public record Options(
      long seed, int customers, int products, int orders, LocalDate asOf, double badRate) {
    public Options {
      if (customers < 1 || products < 1 || orders < 0) {
        throw new IllegalArgumentException(
            "need at least 1 customer and 1 product, and 0 or more orders");
      }
      if (badRate < 0 || badRate > 1) {
        throw new IllegalArgumentException("--bad-rate must be between 0 and 1, was " + badRate);
      }
      Objects.requireNonNull(asOf, "asOf");
    }

    public static Options defaults(long seed, LocalDate asOf) {
      return new Options(seed, 1000, 500, 5000, asOf, 0.0);
    }
  }

  /** The files written and how many of their lines were deliberately bad. */
  public record Result(
      Path customers, Path products, Path orders, Map<String, Integer> badRecords) {}

  /**
   * The files have always been drawn in one order: every customer, product and order, and only then
   * each file's bad-record draws (customers', products', orders'). To stream the orders without
   * changing a byte, the orders are drawn from a copy of the generator taken where they start,
   * while the bad-record draws continue where drawing every order leaves the original: with a bad
   * rate, the orders are first drawn once without being kept, to get there. Without one there are
   * no bad-record draws, so the orders are drawn once.
   */
  public Result writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      List<Map<String, Object>> customers = customers();
      List<Map<String, Object>> products = products();
      Random ordersStart = copyOf(random);
      if (options.badRate > 0) {
        for (int i = 1; i <= options.orders; i++) {
          order(i, customers, products);
        }
      }
      Random badRecordDraws = random;
      Map<String, Integer> bad = new LinkedHashMap<>();
      Path c = write(dir.resolve("customers.jsonl"), customers.iterator(), "customers", bad);
      Path p = write(dir.resolve("products.jsonl"), products.iterator(), "products", bad);
      random = ordersStart;
      Iterator<Map<String, Object>> orders =
          new Iterator<>() {
            private int next = 1;

            @Override
            public boolean hasNext() {
              return next <= options.orders;
            }

            @Override
            public Map<String, Object> next() {
              return order(next++, customers, products);
            }
          };
      Path o = writeWith(badRecordDraws, dir.resolve("orders.jsonl"), orders, "orders", bad);
      return new Result(c, p, o, bad);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sample data to " + dir, e);
    }
  }

  /** A generator in the same state as {@code random}, drawing the same values from here on. */
  private static Random copyOf(Random random) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(random);
      }
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (Random) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot copy the generator's state", e);
    }
  }

  private Instant asOfInstant() {
    return options.asOf.atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  private Instant randomInstantWithinDays(int days) {
    long seconds = (long) days * 24 * 3600;
    return asOfInstant()
        .minusSeconds(1 + (long) (random.nextDouble() * seconds))
        .truncatedTo(ChronoUnit.SECONDS);
  }

  List<Map<String, Object>> customers() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= options.customers; i++) {
      String first = pick(FIRST_NAMES);
      String last = pick(LAST_NAMES);
      String[] city = pick(CITIES);
      Instant registered = randomInstantWithinDays(730);
      Map<String, Object> address = new LinkedHashMap<>();
      address.put("street", (100 + random.nextInt(9900)) + " " + pick(STREETS));
      address.put("city", city[0]);
      address.put("state", city[1]);
      address.put("zip", city[2] + String.format("%02d", random.nextInt(100)));
      address.put("country", "USA");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("customer_id", String.format("CUST-%06d", i));
      row.put("email", (first + "." + last + i + "@example.com").toLowerCase());
      row.put("first_name", first);
      row.put("last_name", last);
      row.put(
          "phone", String.format("+1-555-%03d-%04d", random.nextInt(1000), random.nextInt(10000)));
      row.put("address", address);
      row.put("created_at", ISO_SECONDS.format(registered));
      row.put("updated_at", ISO_SECONDS.format(registered));
      row.put("source_system", pick(SOURCE_SYSTEMS));
      rows.add(row);
    }
    return rows;
  }

  List<Map<String, Object>> products() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= options.products; i++) {
      List<String> category = pick(CATEGORIES);
      BigDecimal price = randomMoney(MIN_PRICE, MAX_PRICE);
      BigDecimal cost =
          price
              .multiply(BigDecimal.valueOf(40 + random.nextInt(41)))
              .movePointLeft(2)
              .setScale(2, RoundingMode.HALF_UP);
      Instant created = randomInstantWithinDays(900);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("product_id", String.format("PROD-%05d", i));
      row.put(
          "sku",
          String.format(
              "SKU-%s-%04d",
              category.get(0).substring(0, 3).toUpperCase(java.util.Locale.ROOT), i));
      String brand = pick(BRANDS);
      String subcategory = category.get(1 + random.nextInt(category.size() - 1));
      row.put("name", brand + " " + pick(ADJECTIVES) + " " + subcategory + " " + pick(NOUNS));
      row.put(
          "description",
          "A "
              + subcategory.toLowerCase(java.util.Locale.ROOT)
              + " item from the "
              + category.get(0)
              + " range by "
              + brand);
      row.put("category", category.get(0));
      row.put("subcategory", subcategory);
      row.put("brand", brand);
      row.put("price", price);
      row.put("cost", cost);
      row.put("stock_quantity", random.nextInt(1001));
      row.put("is_active", random.nextInt(100) < 95);
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put(
          "weight", BigDecimal.valueOf(10 + random.nextInt(4991), 2).toPlainString() + " kg");
      attributes.put("color", pick(COLORS));
      attributes.put("warranty", pick(WARRANTY_MONTHS) + " months");
      row.put("attributes", attributes);
      row.put("created_at", ISO_SECONDS.format(created));
      row.put("updated_at", ISO_SECONDS.format(created));
      rows.add(row);
    }
    return rows;
  }

  /** Order number {@code i} (from 1), drawn from the generator's current state. */
  Map<String, Object> order(
      int i, List<Map<String, Object>> customers, List<Map<String, Object>> products) {
    Map<String, Object> customer = customers.get(random.nextInt(customers.size()));
    Instant orderDate = randomInstantWithinDays(365);
    int lines = 1 + random.nextInt(MAX_ITEMS);
    List<Map<String, Object>> items = new ArrayList<>();
    BigDecimal gross = BigDecimal.ZERO;
    BigDecimal net = BigDecimal.ZERO;
    for (int l = 0; l < lines; l++) {
      Map<String, Object> product = products.get(random.nextInt(products.size()));
      int quantity = 1 + random.nextInt(MAX_QUANTITY);
      BigDecimal unitPrice = (BigDecimal) product.get("price");
      BigDecimal discount = weighted(DISCOUNTS, DISCOUNT_WEIGHTS);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("product_id", product.get("product_id"));
      item.put("quantity", quantity);
      item.put("unit_price", unitPrice);
      item.put("discount", discount);
      items.add(item);
      BigDecimal lineGross = unitPrice.multiply(BigDecimal.valueOf(quantity));
      gross = gross.add(lineGross);
      net = net.add(lineGross.multiply(BigDecimal.ONE.subtract(discount)));
    }
    BigDecimal subtotal = net.setScale(2, RoundingMode.HALF_UP);
    BigDecimal tax = BusinessRules.tax(subtotal);
    BigDecimal shipping = BusinessRules.shipping(subtotal);
    @SuppressWarnings("unchecked")
    Map<String, Object> address =
        new LinkedHashMap<>((Map<String, Object>) customer.get("address"));
    Map<String, Object> row = new LinkedHashMap<>();
    String status = weighted(STATUSES, STATUS_WEIGHTS);
    Instant required = orderDate.plus(3 + random.nextInt(8), ChronoUnit.DAYS);
    Instant shipped =
        SHIPPED_STATUSES.contains(status)
            ? orderDate.plus(1 + random.nextInt(5), ChronoUnit.DAYS)
            : null;
    row.put("order_id", String.format("ORD-%07d", i));
    row.put("customer_id", customer.get("customer_id"));
    row.put("order_status", status);
    row.put("order_date", ISO_SECONDS.format(orderDate));
    row.put("required_date", ISO_SECONDS.format(required));
    row.put("shipped_date", shipped == null ? null : ISO_SECONDS.format(shipped));
    row.put("items", items);
    row.put("shipping_address", address);
    row.put("total_amount", subtotal.add(tax).add(shipping));
    row.put("payment_method", pick(PAYMENT_METHODS));
    row.put("currency", "USD");
    row.put(
        "updated_at",
        ISO_SECONDS.format(
            (shipped == null ? orderDate : shipped).plus(random.nextInt(72), ChronoUnit.HOURS)));
    return row;
  }

  private Path write(
      Path file, Iterator<Map<String, Object>> rows, String entity, Map<String, Integer> bad)
      throws IOException {
    return writeWith(random, file, rows, entity, bad);
  }

  /** Writes {@code rows}, each replaced by a bad record with {@code draws} deciding. */
  private Path writeWith(
      Random draws,
      Path file,
      Iterator<Map<String, Object>> rows,
      String entity,
      Map<String, Integer> bad)
      throws IOException {
    int badCount = 0;
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      while (rows.hasNext()) {
        Map<String, Object> row = rows.next();
        String line;
        if (options.badRate > 0 && draws.nextDouble() < options.badRate) {
          line = BadRecords.corrupt(entity, row, draws, JSON);
          badCount++;
        } else {
          line = JSON.writeValueAsString(row);
        }
        out.write(line);
        out.write('\n');
      }
    }
    bad.put(entity, badCount);
    return file;
  }

  private BigDecimal randomMoney(BigDecimal min, BigDecimal max) {
    long cents =
        min.movePointRight(2).longValueExact()
            + (long)
                (random.nextDouble() * (max.subtract(min).movePointRight(2).longValueExact() + 1));
    return BigDecimal.valueOf(cents, 2);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private <T> T weighted(List<T> values, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int roll = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return values.get(i);
      }
    }
    return values.get(values.size() - 1);
  }
}
