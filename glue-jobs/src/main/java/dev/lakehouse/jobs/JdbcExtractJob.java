package dev.lakehouse.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.core.tables.CommitSummary;
import dev.lakehouse.core.tables.SourceEntity;
import dev.lakehouse.core.tables.TableDefinition;
import dev.lakehouse.core.tables.Watermarks;
import dev.lakehouse.jobs.bronze.ParsedRecord;
import dev.lakehouse.jobs.bronze.RecordParser;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bronze from a database: the rows of one table whose watermark column ({@code updated_at}) is past
 * the watermark stored in the bronze table's own commits, appended with lineage in one commit that
 * stores the new watermark.
 *
 * <p>Exactly once: the watermark moves only in the commit that appends the rows up to it, so a run
 * that fails before that commit (whatever it wrote: uncommitted data files are orphans maintenance
 * removes) leaves the watermark where it was, and the next run pulls the same rows again; a run
 * after a committed one pulls only newer rows. Rows are read in watermark order; {@code
 * _source_file} is {@code jdbc:<source>/<table>?updated_at>W} (W the watermark the pull started
 * from, absent on the first) and {@code _source_line} the row's position in the pull, from 1. Rows
 * that do not fit the bronze schema go to quarantine under that source file, replaced by a rerun of
 * the same pull.
 *
 * <p>Rows are compared with {@code >}: a row committed in the database later with an {@code
 * updated_at} at or before the watermark is not seen. Sources whose writers set {@code updated_at}
 * at commit (or a trigger) do not have them.
 */
@Command(
    name = JdbcExtractJob.STEP,
    description = "Extract a database table into its bronze table, incrementally.")
public final class JdbcExtractJob extends BaseSparkJob {
  public static final String STEP = "jdbc-extract";
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--url",
      required = true,
      description = "JDBC URL, e.g. jdbc:postgresql://host:5432/shop.")
  private String url;

  @Option(
      names = "--table",
      required = true,
      description = "customers | products: the bronze table to append to.")
  private String table;

  @Option(
      names = "--source-table",
      description = "The database table (default: --table), e.g. public.customers.")
  private String sourceTable;

  @Option(
      names = "--source",
      description = "Names the database in lineage and in the watermark (default: db).")
  private String source = "db";

  @Option(names = "--user", description = "Database user.")
  private String user;

  @Option(
      names = "--password-env",
      description = "Environment variable holding the database password.")
  private String passwordEnv;

  @Option(
      names = "--password-secret",
      description =
          "Secrets Manager secret with the credentials: JSON with "
              + "password (and username, as RDS writes them), or the password as plain text.")
  private String passwordSecret;

  @Option(
      names = "--watermark-column",
      description = "Monotonic change timestamp (default: updated_at).")
  private String watermarkColumn = "updated_at";

  private Runnable beforeCommit = () -> {};

  public static void main(String[] args) {
    JobMain.run(new JdbcExtractJob(), args);
  }

  public static JdbcExtractJob fromArgs(String... args) {
    return JobMain.parse(new JdbcExtractJob(), args);
  }

  /**
   * Runs just before the bronze commit; tests make it fail to prove a failed run loads nothing
   * twice.
   */
  public JdbcExtractJob beforeCommit(Runnable action) {
    this.beforeCommit = action;
    return this;
  }

  @Override
  public String source() {
    return "jdbc:" + source + "/" + dbTable();
  }

  @Override
  public JobResult execute(SparkSession spark) {
    Instant started = Instant.now();
    String executionId = common.executionIdOrNew();
    SourceEntity entity = entity();
    for (String name : List.of(dbTable(), watermarkColumn)) {
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "' is not a plain SQL identifier (letters, digits, '_', "
                + "one optional schema.)");
      }
    }
    if (!source.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException(
          "--source must be 1-64 of a-z, 0-9, '_' and '-', was '" + source + "'");
    }
    TableDefinition bronze = entity.bronze();
    Table iceberg = LakehouseSpark.icebergCatalog(spark).loadTable(bronze.identifier());
    String watermarkKey = CommitSummary.jdbcWatermark(source);
    Optional<Instant> from = Watermarks.newestText(iceberg, watermarkKey).map(Instant::parse);
    String sourceFile = source() + from.map(w -> "?" + watermarkColumn + ">" + w).orElse("");

    StructType schema = spark.table(bronze.qualifiedName()).schema();
    RecordParser parser = new RecordParser(schema, false);
    Pull pull = pull(from, schema);
    if (pull.rows().isEmpty()) {
      return JobResult.skipped(
              STEP,
              bronze.name(),
              "no rows of "
                  + dbTable()
                  + " changed after "
                  + from.map(Instant::toString).orElse("the start"),
              started)
          .withSnapshotId(
              iceberg.currentSnapshot() == null ? null : iceberg.currentSnapshot().snapshotId());
    }

    Timestamp now = Timestamp.from(Instant.now());
    String[] columns = schema.fieldNames();
    List<Row> good = new ArrayList<>();
    List<Row> bad = new ArrayList<>();
    for (int i = 0; i < pull.rows().size(); i++) {
      ObjectNode node = pull.rows().get(i);
      long line = i + 1L;
      String raw = node.toString();
      RecordParser.Parsed parsed = parser.parse(node);
      JsonNode id = node.get(entity.idColumn());
      String key = id == null || id.isNull() ? null : id.asText();
      if (parsed.ok()) {
        good.add(
            ParsedRecord.of(sourceFile, line, raw, key, parsed.values())
                .toBronzeRow(columns, now, executionId));
      } else {
        bad.add(
            Quarantine.row(
                bronze.name(), STEP, sourceFile, line, key, raw, parsed.error(), executionId, now));
      }
    }
    long rejected =
        Quarantine.replace(
            spark, STEP, List.of(sourceFile), spark.createDataFrame(bad, Quarantine.schema(spark)));
    beforeCommit.run();
    String to = pull.newest().orElse(from.orElse(Instant.EPOCH)).toString();
    LakehouseSpark.write(
        () ->
            spark
                .createDataFrame(good, schema)
                .writeTo(bronze.qualifiedName())
                .option("snapshot-property." + watermarkKey, to)
                .option("snapshot-property." + CommitSummary.SOURCE_FILE, sourceFile)
                .option("snapshot-property." + CommitSummary.EXECUTION_ID, executionId)
                .append());
    iceberg.refresh();
    Long snapshotId =
        Optional.ofNullable(iceberg.currentSnapshot()).map(Snapshot::snapshotId).orElse(null);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("source", source());
    details.put("watermarkFrom", from.map(Instant::toString).orElse(null));
    details.put("watermarkTo", to);
    return JobResult.succeeded(STEP, bronze.name(), started)
        .withCounts(pull.rows().size(), good.size(), rejected)
        .withSnapshotId(snapshotId)
        .withDetails(details);
  }

  /**
   * The rows pulled, as JSON objects keyed by lower-case column name, and the newest watermark
   * value among them.
   */
  record Pull(List<ObjectNode> rows, Optional<Instant> newest) {}

  private Pull pull(Optional<Instant> from, StructType schema) {
    String sql =
        "SELECT * FROM "
            + dbTable()
            + (from.isPresent() ? " WHERE " + watermarkColumn + " > ?" : "")
            + " ORDER BY "
            + watermarkColumn
            + " NULLS FIRST";
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (passwordEnv != null) {
      String password = System.getenv(passwordEnv);
      if (password == null) {
        throw new IllegalArgumentException(
            "environment variable " + passwordEnv + " (--password-env) is not set");
      }
      props.setProperty("password", password);
    }
    if (passwordSecret != null) {
      credentialsFromSecret(props);
    }
    List<ObjectNode> rows = new ArrayList<>();
    Instant newest = null;
    try (Connection c = DriverManager.getConnection(url, props);
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(1000);
      if (from.isPresent()) {
        ps.setObject(1, OffsetDateTime.ofInstant(from.get(), ZoneOffset.UTC));
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          ObjectNode row = JSON.createObjectNode();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
            row.set(name, value(rs, i, md.getColumnType(i), isMap(schema, name)));
          }
          JsonNode mark = row.get(watermarkColumn.toLowerCase(Locale.ROOT));
          if (mark != null && mark.isTextual()) {
            Instant at = instant(mark.asText());
            newest = newest == null || at.isAfter(newest) ? at : newest;
          }
          rows.add(row);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read " + dbTable() + " from " + redacted(url) + ": " + e.getMessage(), e);
    }
    return new Pull(rows, Optional.ofNullable(newest));
  }

  /**
   * A column's value as the JSON the bronze parser reads: timestamps as ISO-8601 UTC, numbers
   * exact, JSON text (a json/jsonb column) as the object it holds where bronze has a map, anything
   * else as its text.
   */
  private static JsonNode value(ResultSet rs, int i, int sqlType, boolean map) throws SQLException {
    switch (sqlType) {
      case java.sql.Types.TIMESTAMP_WITH_TIMEZONE, java.sql.Types.TIMESTAMP -> {
        OffsetDateTime t =
            sqlType == java.sql.Types.TIMESTAMP_WITH_TIMEZONE
                ? rs.getObject(i, OffsetDateTime.class)
                : Optional.ofNullable(rs.getTimestamp(i))
                    .map(ts -> ts.toInstant().atOffset(ZoneOffset.UTC))
                    .orElse(null);
        return t == null
            ? JSON.nullNode()
            : JSON.getNodeFactory().textNode(t.toInstant().toString());
      }
      default -> {
        Object v = rs.getObject(i);
        if (v == null) {
          return JSON.nullNode();
        }
        if (v instanceof BigDecimal d) {
          return JSON.getNodeFactory().numberNode(d);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
          return JSON.getNodeFactory().numberNode(((Number) v).longValue());
        }
        if (v instanceof Boolean b) {
          return JSON.getNodeFactory().booleanNode(b);
        }
        if (v instanceof Double || v instanceof Float) {
          return JSON.getNodeFactory().numberNode(new BigDecimal(v.toString()));
        }
        String text = v.toString();
        if (map && text.trim().startsWith("{")) {
          try {
            return JSON.readTree(text);
          } catch (java.io.IOException notJson) {
            // left as text: the parser quarantines the row with the reason
          }
        }
        return JSON.getNodeFactory().textNode(text);
      }
    }
  }

  /**
   * The secret's password (and username, unless --user gave one): JSON as RDS writes it, or plain
   * text.
   */
  private void credentialsFromSecret(Properties props) {
    String secret;
    try (var client =
        software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.create()) {
      secret = client.getSecretValue(b -> b.secretId(passwordSecret)).secretString();
    }
    JsonNode json = null;
    if (secret != null && secret.trim().startsWith("{")) {
      try {
        json = JSON.readTree(secret);
      } catch (java.io.IOException plainText) {
        json = null;
      }
    }
    if (json == null) {
      props.setProperty("password", secret == null ? "" : secret);
      return;
    }
    if (json.hasNonNull("password")) {
      props.setProperty("password", json.get("password").asText());
    }
    if (user == null && json.hasNonNull("username")) {
      props.setProperty("user", json.get("username").asText());
    }
  }

  private static boolean isMap(StructType schema, String column) {
    return Arrays.asList(schema.fieldNames()).contains(column)
        && schema.apply(column).dataType() instanceof MapType;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("watermark value '" + text + "' is not a timestamp", e);
    }
  }

  private SourceEntity entity() {
    SourceEntity e =
        SourceEntity.find(table)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown table '" + table + "': expected customers or products"));
    if (e == SourceEntity.ORDERS) {
      throw new IllegalArgumentException(
          "orders carry nested items, which a flat database table does not have: "
              + "extract customers or products, and land orders as files or from an API");
    }
    return e;
  }

  private String dbTable() {
    return sourceTable != null
        ? sourceTable
        : SourceEntity.find(table).map(SourceEntity::label).orElse(table);
  }

  /** The URL without a password given in it. */
  static String redacted(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
