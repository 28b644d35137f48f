package dev.replcert.harness.config;

import static dev.replcert.harness.config.ConfigFiles.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret written in cert.yaml appears nowhere but in {@link SecretValue#reveal()}. */
class SecretRedactionTest {

  static final String SECRET = "sup3r-s3cret-value";

  static final String PROFILE =
      ConfigFiles.HEADER
          + """
            mode: endpoint
            driver:
              name: csi.example.com
              endpoints:
                east: { csi: "unix:///run/east.sock" }
                west: { csi: "unix:///run/west.sock" }
              secrets:
                token: "sup3r-s3cret-value"
            s3Profiles:
              - name: s3
                endpoint: http://minio:9000
                bucket: ramen
                accessKeyId: { fromEnv: S3_KEY }
                secretAccessKey: "sup3r-s3cret-value"
            """;

  @TempDir Path dir;

  @Test
  void aTypeErrorNextToAnInlineSecretDoesNotPrintIt() {
    ConfigException e = load(PROFILE + "    pathStyle: sup3r-s3cret-value-nearby\n");

    assertThat(ConfigFiles.problemAt(e, "s3Profiles[0].pathStyle").expected())
        .isEqualTo("expected true or false");
    assertNoSecretIn(e);
  }

  @Test
  void aSecretOfTheWrongTypeIsNotPrinted() {
    ConfigException list =
        load(
            PROFILE.replace(
                "secretAccessKey: \"sup3r-s3cret-value\"",
                "secretAccessKey: [sup3r-s3cret-value]"));
    ConfigException mapping =
        load(
            PROFILE.replace(
                "secretAccessKey: \"sup3r-s3cret-value\"",
                "secretAccessKey: { sup3r-s3cret-value: x }"));
    ConfigException number = load(PROFILE.replace("\"sup3r-s3cret-value\"\n", "31415926535\n"));

    for (ConfigException e : new ConfigException[] {list, mapping, number}) {
      assertThat(ConfigFiles.problemAt(e, "s3Profiles[0].secretAccessKey").expected())
          .startsWith("expected a secret: a quoted string, {fromEnv: NAME} or {fromFile: path}");
      assertNoSecretIn(e);
      assertThat(describe(e)).doesNotContain("31415926535");
    }
  }

  @Test
  void aSyntaxErrorOnTheSecretLineDoesNotPrintIt() {
    ConfigException e =
        load(
            PROFILE.replace(
                "secretAccessKey: \"sup3r-s3cret-value\"",
                "secretAccessKey: \"sup3r-s3cret-value"));

    assertThat(e.problems())
        .singleElement()
        .extracting(ConfigProblem::expected)
        .asString()
        .startsWith("YAML syntax error");
    assertNoSecretIn(e);
  }

  @Test
  void anInvalidOverrideNextToASecretOverrideDoesNotPrintIt() {
    Path file = ConfigFiles.write(dir, PROFILE);

    ConfigException e =
        rejected(
            file,
            Map.of(
                "cert.s3Profiles[0].secretAccessKey",
                SECRET,
                "cert.s3Profiles[0].pathStyle",
                SECRET),
            Map.of("S3_KEY", "k"));

    assertThat(ConfigFiles.problemAt(e, "s3Profiles[0].pathStyle").source())
        .isEqualTo("system property cert.s3Profiles[0].pathStyle");
    assertNoSecretIn(e);
  }

  @Test
  void theRedactedTreeAndToStringNeverShowAnInlineSecret() {
    Path file = ConfigFiles.write(dir, PROFILE);

    CertificationConfig config = ConfigLoader.load(file, Map.of(), Map.of("S3_KEY", "key-id"));

    assertThat(config.redacted().toString()).doesNotContain(SECRET).contains("<redacted>");
    assertThat(config.redacted().at("/s3Profiles/0/accessKeyId/fromEnv").asText())
        .isEqualTo("S3_KEY");
    assertThat(config.redacted().at("/driver/secrets/token").asText()).isEqualTo("<redacted>");
    assertThat(config.toString()).doesNotContain(SECRET);
    assertThat(config.s3Profiles().get(0).toString()).doesNotContain(SECRET);
    assertThat(config.s3Profiles().get(0).secretAccessKey()).hasToString("<redacted>");
    assertThat(config.s3Profiles().get(0).accessKeyId()).hasToString("env:S3_KEY");
    assertThat(config.s3Profiles().get(0).secretAccessKey().reveal()).isEqualTo(SECRET);
    assertThat(config.s3Profiles().get(0).accessKeyId().reveal()).isEqualTo("key-id");
  }

  @Test
  void revealNamesTheMissingVariableOrFileButNoValue() {
    SecretValue env = SecretValue.fromEnv("REPLCERT_TEST_UNSET", Map.of());
    SecretValue file = SecretValue.fromFile(dir.resolve("missing-token"));

    assertThat(catchThrowable(env::reveal)).hasMessageContaining("REPLCERT_TEST_UNSET");
    assertThat(catchThrowable(file::reveal))
        .hasMessageContaining(dir.resolve("missing-token").toString());
    assertThat(file).hasToString("file:" + dir.resolve("missing-token"));
  }

  @Test
  void aSecretFileLosesItsTrailingLineBreakOnly() {
    Path token = ConfigFiles.write(dir, "token", "  abc def  \n");

    assertThat(SecretValue.fromFile(token).reveal()).isEqualTo("  abc def  ");
  }

  @Test
  void secretsAreEqualByFormAndValue() {
    assertThat(SecretValue.inline("a"))
        .isEqualTo(SecretValue.inline("a"))
        .isNotEqualTo(SecretValue.inline("b"));
    assertThat(SecretValue.fromEnv("A"))
        .isEqualTo(SecretValue.fromEnv("A", Map.of()))
        .isNotEqualTo(SecretValue.inline("A"));
  }

  private ConfigException load(String yaml) {
    return rejected(ConfigFiles.write(dir, yaml), Map.of(), Map.of("S3_KEY", "key-id"));
  }

  private static void assertNoSecretIn(ConfigException e) {
    assertThat(describe(e)).doesNotContain(SECRET);
    assertThat(e.getCause()).isNull();
  }

  /** Everything a log could show: message, toString, problems and the stack trace. */
  private static String describe(ConfigException e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return e.getMessage() + e + e.problems() + trace;
  }
}
