package dev.lakehouse.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakehouse.core.tables.LakehouseTables;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BusinessRulesTest {
  @Test
  void moneyRulesToTheCent() {
    assertThat(BusinessRules.tax(new BigDecimal("100.00"))).isEqualTo(new BigDecimal("8.00"));
    assertThat(BusinessRules.tax(new BigDecimal("12.31")))
        .isEqualTo(new BigDecimal("0.98")); // 0.9848
    assertThat(BusinessRules.tax(new BigDecimal("0.0625")))
        .isEqualTo(new BigDecimal("0.01")); // 0.005 half-up
    assertThat(BusinessRules.shipping(new BigDecimal("100.00"))).isEqualTo(new BigDecimal("9.99"));
    assertThat(BusinessRules.shipping(new BigDecimal("100.01"))).isEqualTo(new BigDecimal("0.00"));
  }

  @Test
  void segmentsByLifetimeValue() {
    assertThat(BusinessRules.segment(new BigDecimal("20000.00"))).isEqualTo("vip");
    assertThat(BusinessRules.segment(new BigDecimal("19999.99"))).isEqualTo("high");
    assertThat(BusinessRules.segment(new BigDecimal("5000.00"))).isEqualTo("medium");
    assertThat(BusinessRules.segment(new BigDecimal("0.01"))).isEqualTo("low");
    assertThat(BusinessRules.segment(new BigDecimal("0.00"))).isEqualTo("none");
    assertThat(BusinessRules.segmentNames())
        .containsExactly("vip", "high", "medium", "low", "none");
    assertThat(BusinessRules.countsAsRevenue("cancelled")).isFalse();
    assertThat(BusinessRules.countsAsRevenue("returned")).isTrue();
  }

  @Test
  void theSameRulesAsSql() {
    assertThat(BusinessRules.Sql.segment("lifetime_value"))
        .isEqualTo(
            "CASE WHEN lifetime_value >= 20000.00 THEN"
                + " 'vip' WHEN lifetime_value >= 10000.00 THEN 'high' WHEN lifetime_value >= 5000.00 THEN 'medium'"
                + " WHEN lifetime_value > 0 THEN 'low' ELSE 'none' END");
    assertThat(BusinessRules.Sql.tax("subtotal"))
        .isEqualTo("CAST(round(subtotal * 0.08, 2) AS DECIMAL(12,2))");
    assertThat(BusinessRules.Sql.shipping("subtotal"))
        .isEqualTo("CAST(CASE WHEN subtotal > 100.00 THEN 0.00 ELSE 9.99 END AS DECIMAL(12,2))");
    assertThat(BusinessRules.Sql.countsAsRevenue("o.order_status"))
        .isEqualTo("o.order_status <> 'cancelled'");
  }

  @Test
  void mergeKeysComeFromTheDeclarations() {
    assertThat(LakehouseTables.CURATED_CUSTOMERS.businessKey())
        .containsExactly("customer_id", "_valid_from");
    assertThat(LakehouseTables.CURATED_CUSTOMERS.entityKey()).containsExactly("customer_id");
    assertThat(LakehouseTables.CURATED_ORDER_ITEMS.entityKey())
        .containsExactly("order_id", "line_number");
    assertThat(LakehouseTables.AGG_DAILY_METRICS.entityKey())
        .containsExactly("metric_date", "metric_type", "dimension_key", "dimension_value");
  }
}
