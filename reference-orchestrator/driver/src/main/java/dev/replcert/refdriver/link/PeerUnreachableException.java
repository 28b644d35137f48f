package dev.replcert.refdriver.link;

/** The peer site did not answer (down, cut off, or too slow for the call's deadline). */
public final class PeerUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  public PeerUnreachableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public PeerUnreachableException(String message, Throwable cause, boolean timedOut) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** The call ran out of time (rather than finding the peer down). */
  public boolean timedOut() {
    return timedOut;
  }
}
