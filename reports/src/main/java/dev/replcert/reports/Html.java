package dev.replcert.reports;

/**
 * HTML escaping. Every string that came from a run record or the plan goes through here: test
 * names, failure messages and attachments are free text and routinely contain {@code <}.
 */
final class Html {

  private Html() {}

  /** Safe in element content and in quoted attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A CSS class name derived from an enum label, e.g. "NOT CERTIFIED" -> "not-certified". */
  static String cssClass(String label) {
    return label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
