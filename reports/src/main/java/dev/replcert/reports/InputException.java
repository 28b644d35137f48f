package dev.replcert.reports;

/** A bad argument or an unreadable input; the message names the argument or file and why. */
final class InputException extends Exception {

  InputException(String message) {
    super(message);
  }

  InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
