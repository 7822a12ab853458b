package dev.lakehouse.core.sources.rest;

/**
 * A 2xx answer the source cannot page through: not JSON, or no array of items where the source
 * says.
 */
public final class InvalidApiResponse extends RestSourceException {
  public InvalidApiResponse(String message, Throwable cause) {
    super(message, cause);
  }
}
