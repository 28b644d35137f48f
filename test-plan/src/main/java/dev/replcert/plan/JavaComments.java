package dev.replcert.plan;

/**
 * Blanks out Java comments so that a commented-out {@code @PlanItem("...")} (or one in javadoc)
 * does not count as an implemented test. Comment characters become spaces and newlines stay, so
 * offsets and line numbers are unchanged. String, char and text-block literals are kept as they
 * are, including any comment markers inside them.
 */
final class JavaComments {

  private JavaComments() {}

  static String blank(String src) {
    StringBuilder out = new StringBuilder(src);
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      if (src.startsWith("\"\"\"", i)) {
        i = skipQuoted(src, i + 3, "\"\"\"");
      } else if (c == '"' || c == '\'') {
        i = skipQuoted(src, i + 1, String.valueOf(c));
      } else if (src.startsWith("//", i)) {
        int end = src.indexOf('\n', i);
        i = blankRange(out, i, end < 0 ? n : end);
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        i = blankRange(out, i, end < 0 ? n : end + 2);
      } else {
        i++;
      }
    }
    return out.toString();
  }

  /** Index just past the closing delimiter; backslash escapes the next character. */
  private static int skipQuoted(String src, int from, String close) {
    int i = from;
    while (i < src.length()) {
      if (src.charAt(i) == '\\') {
        i += 2;
      } else if (src.startsWith(close, i)) {
        return i + close.length();
      } else if (close.length() == 1 && src.charAt(i) == '\n') {
        return i; // unterminated ordinary literal: do not swallow the rest of the file
      } else {
        i++;
      }
    }
    return src.length();
  }

  private static int blankRange(StringBuilder out, int from, int to) {
    for (int i = from; i < to; i++) {
      if (out.charAt(i) != '\n' && out.charAt(i) != '\r') {
        out.setCharAt(i, ' ');
      }
    }
    return to;
  }
}
