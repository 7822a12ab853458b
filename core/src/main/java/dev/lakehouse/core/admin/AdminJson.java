package dev.lakehouse.core.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * How the admin records read as JSON, wherever they are answered (the table-admin Lambda, the CLI):
 * record components in declaration order, nulls kept (except where a record says otherwise),
 * numbers keeping their Java type (a snapshot id stays a long), instants as ISO-8601 UTC strings
 * ({@link Instant#toString}).
 */
public final class AdminJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(
              new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

  private AdminJson() {}
}
