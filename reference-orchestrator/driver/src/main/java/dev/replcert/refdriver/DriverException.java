package dev.replcert.refdriver;

/** A driver operation failed with a code of the csi-addons / CSI error tables and a message. */
public final class DriverException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public DriverException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public DriverException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
