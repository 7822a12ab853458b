package dev.lakehouse.core.sources.rest;

/**
 * The API refused a request (a 4xx other than 429), or kept failing it (429, 5xx, no connection)
 * past the retries.
 */
public final class ApiRequestFailed extends RestSourceException {
  private final int status;

  public ApiRequestFailed(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The last HTTP status, or 0 when the last attempt got no answer. */
  public int status() {
    return status;
  }
}
