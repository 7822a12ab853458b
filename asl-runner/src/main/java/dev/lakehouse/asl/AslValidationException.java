package dev.lakehouse.asl;

/**
 * A definition was rejected at load time. {@link #location()} names the state (e.g. {@code State
 * 'Route'}, {@code State 'Fanout/Inner'} for a state inside a Map) or {@code State machine}; {@link
 * #reason()} says why.
 */
public class AslValidationException extends RuntimeException {
  private final String location;
  private final String reason;

  public AslValidationException(String location, String reason) {
    this(location, reason, null);
  }

  public AslValidationException(String location, String reason, Throwable cause) {
    super(location + ": " + reason, cause);
    this.location = location;
    this.reason = reason;
  }

  public String location() {
    return location;
  }

  public String reason() {
    return reason;
  }
}
