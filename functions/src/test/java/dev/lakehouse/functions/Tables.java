package dev.lakehouse.functions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;

/** Writes test rows into curated_products (unpartitioned) through Iceberg generics, no Spark. */
final class Tables {
  static final OffsetDateTime T = OffsetDateTime.parse("2026-11-01T10:00:00Z");

  private Tables() {}

  static Record product(Table table, String id, String price) {
    GenericRecord r = GenericRecord.create(table.schema());
    r.setField("product_id", id);
    r.setField("product_name", "Product " + id);
    r.setField("category", "books");
    r.setField("price", new BigDecimal(price));
    r.setField("stock_quantity", 5);
    r.setField("is_active", true);
    r.setField("updated_at", T);
    r.setField("_source_file", "s3://landing/landing/products/p.jsonl");
    r.setField("_updated_at", T);
    return r;
  }

  static DataFile write(Table table, List<Record> rows) {
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    String path =
        table.locationProvider().newDataLocation("test-" + UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        factory.newDataWriter(
            table.encryption().encrypt(table.io().newOutputFile(path)), table.spec(), null);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }

  static long append(Table table, Record... rows) {
    DataFile file = write(table, List.of(rows));
    table.newAppend().appendFile(file).commit();
    return table.currentSnapshot().snapshotId();
  }
}
