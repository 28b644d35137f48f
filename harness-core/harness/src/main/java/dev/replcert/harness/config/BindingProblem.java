package dev.replcert.harness.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Thrown by this package's own deserializers. It carries only what was expected, never the
 * offending value, and Jackson adds the key path to it as it unwinds, so {@link TreeBinder} can
 * report "where" and "what was expected" without reading Jackson's message text.
 */
final class BindingProblem extends JsonMappingException {

  private final String expected;

  BindingProblem(JsonParser parser, String expected) {
    super(parser, expected);
    this.expected = expected;
  }

  /** A problem with the entry {@code key} of the mapping being read (a map key, not a field). */
  static BindingProblem atKey(JsonParser parser, String key, String expected) {
    BindingProblem problem = new BindingProblem(parser, expected);
    problem.prependPath(null, key);
    return problem;
  }

  String expected() {
    return expected;
  }
}
