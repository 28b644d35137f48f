package dev.replcert.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds keys given twice in one mapping. YAML parsers keep the last value silently; a plan item
 * with two {@code level:} lines must not pass as whichever came last.
 *
 * <p>Scans the token stream rather than using Jackson's STRICT_DUPLICATE_DETECTION so that every
 * duplicate is reported (not just the first) with its JSON pointer, which names the item.
 */
final class DuplicateKeys {

  private DuplicateKeys() {}

  /** JSON pointers (e.g. {@code /items/3/level}) of every repeated key, in document order. */
  static List<String> find(JsonFactory factory, String text) throws IOException {
    List<String> found = new ArrayList<>();
    Deque<Set<String>> open = new ArrayDeque<>();
    try (JsonParser p = factory.createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> open.push(new HashSet<>());
          case END_OBJECT, END_ARRAY -> open.pop();
          case FIELD_NAME -> {
            if (!open.peek().add(p.currentName())) {
              found.add(p.getParsingContext().pathAsPointer().toString());
            }
          }
          default -> { }
        }
      }
    }
    return found;
  }
}
