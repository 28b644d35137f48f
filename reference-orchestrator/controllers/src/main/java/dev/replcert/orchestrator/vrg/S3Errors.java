package dev.replcert.orchestrator.vrg;

/** One line about an S3 failure for a condition message: the cause chain's messages, no keys. */
final class S3Errors {

  private S3Errors() {}

  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (!text.toString().contains(m)) {
        text.append(text.length() == 0 ? "" : ": ").append(m);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return text.toString();
  }
}
