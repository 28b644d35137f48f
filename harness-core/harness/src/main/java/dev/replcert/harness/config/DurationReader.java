package dev.replcert.harness.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import dev.replcert.api.k8s.GoDuration;
import java.io.IOException;
import java.time.Duration;

/**
 * Reads every duration in cert.yaml as a Go-style string. All of them are limits or intervals, so
 * zero is rejected too: a zero timeout would fail every test for a reason the vendor never meant.
 */
final class DurationReader extends JsonDeserializer<Duration> {

  static final String EXPECTED = "expected a positive duration " + GoDuration.FORMS;

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    Duration d = parse(p);
    if (d == null) {
      throw new BindingProblem(p, EXPECTED);
    }
    return d;
  }

  /** The duration at the parser's current token, or null if it is not a positive duration. */
  static Duration parse(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      return null; // a bare number is ambiguous (seconds? nanoseconds?), so it is never accepted
    }
    try {
      Duration d = GoDuration.parse(p.getText());
      return d.isZero() ? null : d;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
