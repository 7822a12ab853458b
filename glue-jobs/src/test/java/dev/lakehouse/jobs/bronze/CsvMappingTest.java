package dev.lakehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakehouse.core.tables.SourceEntity;
import org.junit.jupiter.api.Test;

class CsvMappingTest {
  @Test
  void cellsFollowRfc4180() {
    assertThat(CsvMapping.split("a,\"b,c\",\"say \"\"hi\"\"\","))
        .containsExactly("a", "b,c", "say \"hi\"", "");
    assertThat(CsvMapping.split("x,y\r")).containsExactly("x", "y");
    assertThat(CsvMapping.split("")).containsExactly("");
  }

  @Test
  void customerAddressColumnsBecomeTheAddressMap() {
    CsvMapping mapping =
        new CsvMapping(SourceEntity.CUSTOMERS, " Customer_ID ,EMAIL,street,city,zip,country");

    assertThat(mapping.columns()).isEqualTo(6);
    assertThat(mapping.toJson("C1,ann@example.com,\"1 Main St, Apt 2\",Denver,80202,US"))
        .isEqualTo(
            "{\"customer_id\":\"C1\",\"email\":\"ann@example.com\","
                + "\"address\":{\"street\":\"1 Main St, Apt 2\",\"city\":\"Denver\",\"zip\":\"80202\","
                + "\"country\":\"US\"}}");
  }

  @Test
  void anEmptyCellIsNullAndAnEmptyAddressIsLeftOut() {
    CsvMapping mapping = new CsvMapping(SourceEntity.CUSTOMERS, "customer_id,email,city");

    assertThat(mapping.toJson("C2,,")).isEqualTo("{\"customer_id\":\"C2\",\"email\":null}");
  }

  @Test
  void aLineWithAnotherCellCountThanTheHeaderHasNoRecord() {
    CsvMapping mapping = new CsvMapping(SourceEntity.PRODUCTS, "product_id,name");

    assertThat(mapping.toJson("P1")).isNull();
    assertThat(mapping.toJson("P1,Novel,extra")).isNull();
  }

  @Test
  void onlyCustomersHaveAnAddress() {
    CsvMapping mapping = new CsvMapping(SourceEntity.PRODUCTS, "product_id,city,price");

    assertThat(mapping.toJson("P1,Denver,10.00"))
        .isEqualTo("{\"product_id\":\"P1\",\"city\":\"Denver\",\"price\":\"10.00\"}");
  }

  @Test
  void ordersAreNotAcceptedAsCsv() {
    assertThatThrownBy(() -> new CsvMapping(SourceEntity.ORDERS, "order_id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "orders have nested items and cannot be landed as CSV; use JSON Lines or Parquet");
  }
}
