package dev.replcert.layer2.selfcert;

/** The JUnit tag of the slow self-certification tests, which only {@code -Pselfcert} runs. */
final class Selfcert {

  static final String TAG = "selfcert";

  private Selfcert() {}
}
