package dev.replcert.reports;

/** Markdown escaping for text from run records and the plan, as GitHub renders it in a PR. */
final class Markdown {

  private Markdown() {}

  /**
   * Inline text, safe in a table cell: markdown punctuation is backslash-escaped, HTML characters
   * become entities (GitHub would otherwise render or strip tags), newlines become {@code <br>} so
   * a multi-line message stays in its cell.
   */
  static String text(String s) {
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
        case '\\', '`', '*', '_', '[', ']', '|', '#' -> b.append('\\').append(c);
        case '\r' -> {}
        case '\n' -> b.append("<br>");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A fenced code block whose fence is longer than any backtick run inside the content. */
  static String codeBlock(String language, String content) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < content.length(); i++) {
      run = content.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(Math.max(3, longest + 1));
    String body = content.endsWith("\n") ? content : content + "\n";
    return fence + language + "\n" + body + fence + "\n";
  }
}
