package dev.replcert.harness.junit;

/** The environment for the configured mode could not be found or started. */
public final class EnvironmentUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EnvironmentUnavailableException(String message) {
    super(message);
  }

  public EnvironmentUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
