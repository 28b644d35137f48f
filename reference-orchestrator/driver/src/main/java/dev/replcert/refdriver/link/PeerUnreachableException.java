package dev.replcert.refdriver.link;

/** The peer site did not answer (down, cut off, or too slow for the call's deadline). */
public final class PeerUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PeerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
