package dev.replcert.harness.config;

/**
 * One thing wrong with the configuration.
 *
 * @param source where the value came from: {@code cert.yaml:12:5} (file, line, column when known),
 *     {@code system property cert.mode}, or {@code defaults}
 * @param keyPath the key, e.g. {@code s3Profiles[1].bucket}; {@code (document)} for the file as a
 *     whole
 * @param expected what would have been accepted; never the value that was given, which may be a
 *     secret
 */
public record ConfigProblem(String source, String keyPath, String expected) {

  @Override
  public String toString() {
    return source + ": " + keyPath + ": " + expected;
  }
}
