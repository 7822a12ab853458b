package dev.lakehouse.core.admin;

/**
 * An admin or maintenance request whose arguments cannot be acted on; the message says which and
 * why.
 */
public class InvalidArgument extends IllegalArgumentException {
  public InvalidArgument(String message) {
    super(message);
  }

  public InvalidArgument(String message, Throwable cause) {
    super(message, cause);
  }
}
