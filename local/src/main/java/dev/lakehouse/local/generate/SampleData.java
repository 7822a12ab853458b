package dev.lakehouse.local.generate;

import dev.lakehouse.core.rules.BusinessRules;
import java.math.BigDecimal;
import java.util.List;

/**
 * The vocabulary of generated data: names, places, catalogue, statuses and the value ranges drawn
 * from.
 */
final class SampleData {
  private SampleData() {}

  static final List<String> FIRST_NAMES =
      List.of(
          "James",
          "Mary",
          "John",
          "Patricia",
          "Robert",
          "Jennifer",
          "Michael",
          "Linda",
          "William",
          "Elizabeth",
          "David",
          "Barbara",
          "Richard",
          "Susan",
          "Joseph",
          "Jessica",
          "Thomas",
          "Sarah",
          "Charles",
          "Karen",
          "Daniel",
          "Nancy",
          "Matthew",
          "Lisa",
          "Anthony",
          "Betty",
          "Mark",
          "Margaret",
          "Donald",
          "Sandra");

  static final List<String> LAST_NAMES =
      List.of(
          "Smith",
          "Johnson",
          "Williams",
          "Brown",
          "Jones",
          "Garcia",
          "Miller",
          "Davis",
          "Rodriguez",
          "Martinez",
          "Hernandez",
          "Lopez",
          "Gonzalez",
          "Wilson",
          "Anderson",
          "Thomas",
          "Taylor",
          "Moore",
          "Jackson",
          "Martin",
          "Lee",
          "Perez",
          "Thompson",
          "White",
          "Harris",
          "Sanchez",
          "Clark",
          "Ramirez",
          "Lewis",
          "Robinson");

  /** City, state, postal prefix. */
  static final List<String[]> CITIES =
      List.of(
          new String[] {"New York", "NY", "100"},
          new String[] {"Los Angeles", "CA", "900"},
          new String[] {"Chicago", "IL", "606"},
          new String[] {"Houston", "TX", "770"},
          new String[] {"Phoenix", "AZ", "850"},
          new String[] {"Philadelphia", "PA", "191"},
          new String[] {"San Antonio", "TX", "782"},
          new String[] {"San Diego", "CA", "921"},
          new String[] {"Dallas", "TX", "752"},
          new String[] {"Seattle", "WA", "981"},
          new String[] {"Denver", "CO", "802"},
          new String[] {"Boston", "MA", "021"},
          new String[] {"Miami", "FL", "331"},
          new String[] {"Atlanta", "GA", "303"},
          new String[] {"Portland", "OR", "972"});

  static final List<String> STREETS =
      List.of(
          "Main St",
          "Oak Ave",
          "Maple Dr",
          "Cedar Ln",
          "Pine St",
          "Elm St",
          "Washington Blvd",
          "Park Ave",
          "Lake Rd",
          "Hill St");

  /** Category, its subcategories. */
  static final List<List<String>> CATEGORIES =
      List.of(
          List.of("Electronics", "Phones", "Laptops", "Audio", "Cameras"),
          List.of("Clothing", "Men", "Women", "Kids", "Shoes"),
          List.of("Home & Garden", "Furniture", "Kitchen", "Decor", "Garden"),
          List.of("Sports", "Fitness", "Outdoor", "Team Sports", "Cycling"),
          List.of("Books", "Fiction", "Non-Fiction", "Children", "Textbooks"),
          List.of("Beauty", "Skincare", "Makeup", "Fragrance", "Hair"),
          List.of("Toys", "Games", "Puzzles", "Dolls", "Building Sets"),
          List.of("Grocery", "Snacks", "Beverages", "Pantry", "Organic"));

  static final List<String> BRANDS =
      List.of(
          "Acme",
          "Globex",
          "Initech",
          "Umbrella",
          "Stark",
          "Wayne",
          "Wonka",
          "Hooli",
          "Vandelay",
          "Soylent");

  static final List<String> ADJECTIVES =
      List.of(
          "Classic",
          "Premium",
          "Essential",
          "Deluxe",
          "Compact",
          "Smart",
          "Eco",
          "Pro",
          "Ultra",
          "Everyday");

  static final List<String> NOUNS =
      List.of(
          "Set",
          "Kit",
          "Pack",
          "Edition",
          "Model",
          "Series",
          "Bundle",
          "Collection",
          "Item",
          "Special");

  /** Order statuses (the business rules') with their weights in percent, in the same order. */
  static final List<String> STATUSES = BusinessRules.ORDER_STATUSES;

  static final int[] STATUS_WEIGHTS = {8, 10, 20, 50, 8, 4};

  static {
    if (STATUS_WEIGHTS.length != STATUSES.size()) {
      throw new IllegalStateException("one weight per order status: " + STATUSES);
    }
  }

  /** Statuses of an order that has left the warehouse: only these have a shipped_date. */
  static final java.util.Set<String> SHIPPED_STATUSES =
      java.util.Set.of("shipped", "delivered", "returned");

  static final List<String> SOURCE_SYSTEMS = List.of("web", "mobile", "store");

  static final List<String> COLORS = List.of("Black", "White", "Red", "Blue", "Green", "Silver");

  static final List<Integer> WARRANTY_MONTHS = List.of(12, 24, 36);

  static final List<String> PAYMENT_METHODS =
      List.of("credit_card", "debit_card", "paypal", "apple_pay", "bank_transfer");

  /** Line discounts with weights: most lines are at full price. */
  static final List<BigDecimal> DISCOUNTS =
      List.of(
          new BigDecimal("0.00"),
          new BigDecimal("0.05"),
          new BigDecimal("0.10"),
          new BigDecimal("0.15"),
          new BigDecimal("0.20"),
          new BigDecimal("0.25"));

  static final int[] DISCOUNT_WEIGHTS = {60, 12, 12, 8, 5, 3};

  static final BigDecimal MIN_PRICE = new BigDecimal("5.00");
  static final BigDecimal MAX_PRICE = new BigDecimal("999.99");
  static final int MAX_QUANTITY = 5;
  static final int MAX_ITEMS = 5;
}
