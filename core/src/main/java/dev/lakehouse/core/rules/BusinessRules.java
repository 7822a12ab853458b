package dev.lakehouse.core.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The e-commerce business rules, declared once: the silver and gold SQL, the Athena named queries,
 * the sample-data generator and the tests' independent oracles all read them here. Money is DECIMAL
 * with two places.
 */
public final class BusinessRules {
  /** Every order status a source may send (the design document's). */
  public static final List<String> ORDER_STATUSES =
      List.of("pending", "processing", "shipped", "delivered", "cancelled", "returned");

  /**
   * The one status whose orders are not revenue: excluded from gold metrics and customer lifetime
   * value.
   */
  public static final String CANCELLED = "cancelled";

  /** Sales tax on an order's subtotal, rounded half-up to the cent. */
  public static final BigDecimal TAX_RATE = new BigDecimal("0.08");

  /** Orders whose subtotal is above this ship free. */
  public static final BigDecimal FREE_SHIPPING_ABOVE = new BigDecimal("100.00");

  public static final BigDecimal SHIPPING_FEE = new BigDecimal("9.99");

  /**
   * Customer segments by lifetime value, highest first: a customer is in the first whose floor it
   * reaches.
   */
  public static final List<Segment> SEGMENTS =
      List.of(
          new Segment("vip", new BigDecimal("20000.00")),
          new Segment("high", new BigDecimal("10000.00")),
          new Segment("medium", new BigDecimal("5000.00")));

  /** Any revenue below the lowest floor. */
  public static final String LOW_SEGMENT = "low";

  /** No revenue at all. */
  public static final String NO_SEGMENT = "none";

  /** Every segment name, highest first. */
  public static List<String> segmentNames() {
    List<String> names = new java.util.ArrayList<>(SEGMENTS.stream().map(Segment::name).toList());
    names.add(LOW_SEGMENT);
    names.add(NO_SEGMENT);
    return List.copyOf(names);
  }

  /** A named segment and the lifetime value it starts at. */
  public record Segment(String name, BigDecimal floor) {}

  private BusinessRules() {}

  public static boolean countsAsRevenue(String orderStatus) {
    return !CANCELLED.equals(orderStatus);
  }

  public static BigDecimal tax(BigDecimal subtotal) {
    return subtotal.multiply(TAX_RATE).setScale(2, RoundingMode.HALF_UP);
  }

  public static BigDecimal shipping(BigDecimal subtotal) {
    return subtotal.compareTo(FREE_SHIPPING_ABOVE) > 0 ? new BigDecimal("0.00") : SHIPPING_FEE;
  }

  public static String segment(BigDecimal lifetimeValue) {
    for (Segment s : SEGMENTS) {
      if (lifetimeValue.compareTo(s.floor()) >= 0) {
        return s.name();
      }
    }
    return lifetimeValue.signum() > 0 ? LOW_SEGMENT : NO_SEGMENT;
  }

  /** The same rules as SQL (Spark and Trino/Athena alike), over the given column expressions. */
  public static final class Sql {
    private Sql() {}

    /** True for an order that counts as revenue. */
    public static String countsAsRevenue(String statusColumn) {
      return statusColumn + " <> '" + CANCELLED + "'";
    }

    public static String tax(String subtotal) {
      return "CAST(round(" + subtotal + " * " + TAX_RATE.toPlainString() + ", 2) AS DECIMAL(12,2))";
    }

    public static String shipping(String subtotal) {
      return "CAST(CASE WHEN "
          + subtotal
          + " > "
          + FREE_SHIPPING_ABOVE.toPlainString()
          + " THEN 0.00 ELSE "
          + SHIPPING_FEE.toPlainString()
          + " END AS DECIMAL(12,2))";
    }

    public static String segment(String lifetimeValue) {
      StringBuilder sql = new StringBuilder("CASE");
      for (Segment s : SEGMENTS) {
        sql.append(" WHEN ")
            .append(lifetimeValue)
            .append(" >= ")
            .append(s.floor().toPlainString())
            .append(" THEN '")
            .append(s.name())
            .append("'");
      }
      return sql.append(" WHEN ")
          .append(lifetimeValue)
          .append(" > 0 THEN '")
          .append(LOW_SEGMENT)
          .append("' ELSE '")
          .append(NO_SEGMENT)
          .append("' END")
          .toString();
    }
  }
}
