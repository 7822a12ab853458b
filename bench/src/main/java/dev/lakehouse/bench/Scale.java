package dev.lakehouse.bench;

/**
 * The scale factors: SF1 is the seed scale of {@code lakehouse generate} (5,000 orders).
 */
public enum Scale {
  SF1(5_000),
  SF100(500_000),
  SF1000(5_000_000);

  private final int orders;

  Scale(int orders) {
    this.orders = orders;
  }

  public int orders() {
    return orders;
  }

  /**
   * One customer per five orders, as the generator's defaults have it (1,000 customers for 5,000
   * orders).
   */
  public int customers() {
    return orders / 5;
  }

  /** The generator's default catalogue: the product count does not grow with order volume. */
  public int products() {
    return 500;
  }
}
