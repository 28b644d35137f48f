package dev.replcert.harness.volume;

/**
 * A read, write or flush the storage did not perform. The {@link Kind} is what a DR test reasons
 * about: a write refused because the volume was demoted is the expected end of a writer, not a
 * harness failure.
 */
public final class VolumeIoException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the storage refused or failed. */
  public enum Kind {
    /** The storage refused a write: the volume is secondary, demoted or mounted read-only. */
    READ_ONLY,
    /** The storage refused the call because this client is fenced. */
    FENCED,
    /** The storage could not be reached or did not answer in time. */
    UNAVAILABLE,
    /** The offset or length lies outside the volume. */
    OUT_OF_RANGE,
    /** Any other failure. */
    IO
  }

  private final Kind kind;

  public VolumeIoException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public VolumeIoException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return "VolumeIoException[" + kind + "]: " + getMessage();
  }
}
