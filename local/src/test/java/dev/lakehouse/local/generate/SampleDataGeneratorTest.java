package dev.lakehouse.local.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDataGeneratorTest {
  static final LocalDate AS_OF = LocalDate.parse("2026-11-01");
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  @TempDir Path dir;

  @Test
  void sameSeedGivesByteIdenticalFiles() throws IOException {
    var options = new SampleDataGenerator.Options(7, 50, 20, 200, AS_OF, 0.05);
    var a = new SampleDataGenerator(options).writeTo(dir.resolve("a"));
    var b = new SampleDataGenerator(options).writeTo(dir.resolve("b"));
    for (String file : List.of("customers.jsonl", "products.jsonl", "orders.jsonl")) {
      assertThat(Files.readAllBytes(dir.resolve("a").resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
    }
    assertThat(a.badRecords()).isEqualTo(b.badRecords());
    var other =
        new SampleDataGenerator(new SampleDataGenerator.Options(8, 50, 20, 200, AS_OF, 0.05))
            .writeTo(dir.resolve("c"));
    assertThat(Files.readAllBytes(other.orders())).isNotEqualTo(Files.readAllBytes(a.orders()));
  }

  /**
   * The files of two option sets as the generator wrote them before it streamed its orders
   * (SHA-256): with a high bad rate, so that bad records are among every file's lines, and the
   * default counts with 1% bad records. Streaming changed no byte.
   */
  @Test
  void theFilesAreTheSameBytesAsBeforeOrdersWereStreamed() throws IOException {
    var bad =
        new SampleDataGenerator(
                new SampleDataGenerator.Options(3, 50, 7, 3000, LocalDate.parse("2026-01-15"), 0.3))
            .writeTo(dir.resolve("bad"));
    var defaults =
        new SampleDataGenerator(
                new SampleDataGenerator.Options(
                    7, 1000, 500, 5000, LocalDate.parse("2026-12-02"), 0.01))
            .writeTo(dir.resolve("defaults"));

    assertThat(sha256(bad))
        .containsExactly(
            "8ec2ba2c5aa8b71a5afbb237b1bc6f548bfca75e3b7ac9c47197857d881b4967",
            "9b0f40070c5f3403cd4ba1ecea8e814a93f96d60a6dec8d2d70671ce59b7d5fa",
            "81f700c22df93fd531bc238b4766b81b274f717a31cbdf7f50e528639d51450e");
    assertThat(sha256(defaults))
        .containsExactly(
            "ca0214e35d239ff4d8aebeeb690e4c23bb148adc66b6b778301fde8ecf3ff0c8",
            "0adaa09806463928825cce806c9b87eea227c2fce21f45f7cc47edba44c5ee9a",
            "0a1a8c4d58a5e4bc43838dee2ed1b113cd4fadf66b62d35ef8732ba156641444");
  }

  /** SHA-256 of the customers, products and orders files. */
  private static List<String> sha256(SampleDataGenerator.Result files) throws IOException {
    List<String> hashes = new java.util.ArrayList<>();
    for (Path file : List.of(files.customers(), files.products(), files.orders())) {
      hashes.add(sha256(file));
    }
    return hashes;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void cleanDataStaysInTheSeedsRanges() throws IOException {
    var result =
        new SampleDataGenerator(SampleDataGenerator.Options.defaults(7, AS_OF)).writeTo(dir);
    List<JsonNode> customers = read(result.customers());
    List<JsonNode> products = read(result.products());
    List<JsonNode> orders = read(result.orders());
    assertThat(customers).hasSize(1000);
    assertThat(products).hasSize(500);
    assertThat(orders).hasSize(5000);
    assertThat(result.badRecords())
        .containsExactly(
            java.util.Map.entry("customers", 0),
            java.util.Map.entry("products", 0),
            java.util.Map.entry("orders", 0));

    Set<String> customerIds = new HashSet<>();
    customers.forEach(c -> customerIds.add(c.get("customer_id").asText()));
    assertThat(customerIds).hasSize(1000).contains("CUST-000001", "CUST-001000");
    Set<String> categories = new HashSet<>();
    for (JsonNode p : products) {
      BigDecimal price = p.get("price").decimalValue();
      assertThat(price).isBetween(new BigDecimal("5.00"), new BigDecimal("999.99"));
      assertThat(price.scale()).isEqualTo(2);
      assertThat(p.get("cost").decimalValue()).isLessThan(price);
      categories.add(p.get("category").asText());
    }
    assertThat(categories)
        .containsExactlyInAnyOrder(
            "Electronics",
            "Clothing",
            "Home & Garden",
            "Sports",
            "Books",
            "Beauty",
            "Toys",
            "Grocery");

    Instant start = Instant.parse("2025-11-01T00:00:00Z");
    Instant end = Instant.parse("2026-11-01T00:00:00Z");
    Set<String> statuses = new HashSet<>();
    for (JsonNode o : orders) {
      assertThat(customerIds).contains(o.get("customer_id").asText());
      Instant date = naiveUtc(o.get("order_date").asText());
      assertThat(date).isBetween(start, end).isBefore(end);
      String status = o.get("order_status").asText();
      statuses.add(status);
      assertThat(naiveUtc(o.get("required_date").asText())).isAfter(date);
      assertThat(o.get("shipped_date").isNull())
          .as(status)
          .isEqualTo(!List.of("shipped", "delivered", "returned").contains(status));
      assertThat(o.get("items").size()).isBetween(1, 5);
      BigDecimal net = BigDecimal.ZERO;
      for (JsonNode item : o.get("items")) {
        int quantity = item.get("quantity").asInt();
        BigDecimal discount = item.get("discount").decimalValue();
        assertThat(quantity).isBetween(1, 5);
        assertThat(discount).isBetween(BigDecimal.ZERO, new BigDecimal("0.25"));
        net =
            net.add(
                item.get("unit_price")
                    .decimalValue()
                    .multiply(BigDecimal.valueOf(quantity))
                    .multiply(BigDecimal.ONE.subtract(discount)));
      }
      BigDecimal subtotal = net.setScale(2, RoundingMode.HALF_UP);
      BigDecimal tax = subtotal.multiply(new BigDecimal("0.08")).setScale(2, RoundingMode.HALF_UP);
      BigDecimal shipping =
          subtotal.compareTo(new BigDecimal("100.00")) > 0
              ? BigDecimal.ZERO
              : new BigDecimal("9.99");
      assertThat(o.get("total_amount").decimalValue())
          .isEqualByComparingTo(subtotal.add(tax).add(shipping));
    }
    assertThat(statuses)
        .containsExactlyInAnyOrder(
            "pending", "processing", "shipped", "delivered", "cancelled", "returned");
  }

  @Test
  void badRateMixesInMalformedAndInvalidRecords() throws IOException {
    var result =
        new SampleDataGenerator(new SampleDataGenerator.Options(3, 100, 50, 1000, AS_OF, 0.1))
            .writeTo(dir);
    int unparseable = 0;
    for (String line : Files.readAllLines(result.orders())) {
      try {
        JSON.readTree(line);
      } catch (IOException e) {
        unparseable++;
      }
    }
    assertThat(result.badRecords().get("orders")).isBetween(70, 130);
    assertThat(unparseable).isPositive().isLessThan(result.badRecords().get("orders"));
    assertThat(Files.readAllLines(result.orders())).hasSize(1000);
  }

  @Test
  void recordsHaveTheDesignDocumentsFieldsInItsOrder() throws IOException {
    var result =
        new SampleDataGenerator(new SampleDataGenerator.Options(5, 3, 3, 3, AS_OF, 0.0))
            .writeTo(dir);
    assertThat(fieldNames(read(result.customers()).get(0)))
        .containsExactly(
            "customer_id",
            "email",
            "first_name",
            "last_name",
            "phone",
            "address",
            "created_at",
            "updated_at",
            "source_system");
    assertThat(fieldNames(read(result.customers()).get(0).get("address")))
        .containsExactly("street", "city", "state", "zip", "country");
    assertThat(fieldNames(read(result.products()).get(0)))
        .containsExactly(
            "product_id",
            "sku",
            "name",
            "description",
            "category",
            "subcategory",
            "brand",
            "price",
            "cost",
            "stock_quantity",
            "is_active",
            "attributes",
            "created_at",
            "updated_at");
    assertThat(fieldNames(read(result.products()).get(0).get("attributes")))
        .containsExactly("weight", "color", "warranty");
    assertThat(fieldNames(read(result.orders()).get(0)))
        .containsExactly(
            "order_id",
            "customer_id",
            "order_status",
            "order_date",
            "required_date",
            "shipped_date",
            "items",
            "shipping_address",
            "total_amount",
            "payment_method",
            "currency",
            "updated_at");
    assertThat(read(result.orders()).get(0).get("order_date").asText())
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Instant naiveUtc(String text) {
    return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
  }

  private static List<JsonNode> read(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(
            line -> {
              try {
                return JSON.readTree(line);
              } catch (IOException e) {
                throw new AssertionError(line, e);
              }
            })
        .toList();
  }
}
