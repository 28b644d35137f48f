package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.link.proto.Reject;

/** A delta the secondary will not apply, and why. */
final class Rejection extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Reject reason;

  Rejection(Reject reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  Reject reason() {
    return reason;
  }
}
