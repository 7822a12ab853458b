package dev.lakehouse.functions.support;

import dev.lakehouse.core.admin.InvalidArgument;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a JSON payload (a map as the Lambda runtime or the local runner deserializes it).
 */
public final class Args {
  private final Map<String, Object> map;

  public Args(Map<String, Object> map) {
    this.map = map == null ? Map.of() : map;
  }

  public Map<String, Object> raw() {
    return map;
  }

  public boolean has(String name) {
    Object v = map.get(name);
    return v != null && !(v instanceof String s && s.isBlank());
  }

  public String string(String name) {
    Object v = map.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Map || v instanceof List) {
      throw new InvalidArgument("'" + name + "' must be a string, was " + v);
    }
    String s = v.toString();
    return s.isBlank() ? null : s;
  }

  public String requireString(String name) {
    String s = string(name);
    if (s == null) {
      throw new InvalidArgument("missing argument '" + name + "'");
    }
    return s;
  }

  public Long longValue(String name) {
    Object v = map.get(name);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    if (v instanceof Number n) {
      if (n instanceof Double || n instanceof Float) {
        double d = n.doubleValue();
        if (d != Math.rint(d)) {
          throw new InvalidArgument("'" + name + "' must be a whole number, was " + v);
        }
      }
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new InvalidArgument("'" + name + "' must be a number, was '" + v + "'");
    }
  }

  public Integer intValue(String name) {
    Long v = longValue(name);
    if (v == null) {
      return null;
    }
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new InvalidArgument("'" + name + "' is out of range: " + v);
    }
    return v.intValue();
  }

  public Double doubleValue(String name) {
    Object v = map.get(name);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new InvalidArgument("'" + name + "' must be a number, was '" + v + "'");
    }
  }

  public boolean bool(String name, boolean fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("true")) {
      return true;
    }
    if (s.equals("false")) {
      return false;
    }
    throw new InvalidArgument("'" + name + "' must be true or false, was '" + v + "'");
  }

  @SuppressWarnings("unchecked")
  public Args child(String name) {
    Object v = map.get(name);
    return v instanceof Map<?, ?> m ? new Args((Map<String, Object>) m) : new Args(Map.of());
  }

  public Object get(String name) {
    return map.get(name);
  }
}
