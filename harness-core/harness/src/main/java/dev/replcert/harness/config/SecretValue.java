package dev.replcert.harness.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A secret in cert.yaml: an inline string, {@code {fromEnv: NAME}} or {@code {fromFile: path}}.
 *
 * <p>Only {@link #reveal()} returns the secret. Everything else that turns this into text ( {@link
 * #toString()}, the run record through {@link CertificationConfig#redacted()}, error messages)
 * shows {@code <redacted>} for an inline value and the reference otherwise, because references are
 * where a secret lives, not the secret.
 */
@JsonDeserialize(using = SecretValue.Reader.class)
@JsonSerialize(using = SecretValue.Writer.class)
public final class SecretValue {

  public static final String REDACTED = "<redacted>";
  static final String EXPECTED =
      "expected a secret: a quoted string, {fromEnv: NAME} or {fromFile: path}";

  /** Deserialization attribute holding the environment ({@code Map<String,String>}) to read. */
  static final Object ENV_ATTRIBUTE = SecretValue.class;

  private enum Kind {
    INLINE,
    ENV,
    FILE
  }

  private final Kind kind;
  private final String value; // the secret, the variable name, or the path
  private final UnaryOperator<String> env; // how fromEnv is looked up; not part of equality

  private SecretValue(Kind kind, String value, UnaryOperator<String> env) {
    this.kind = kind;
    this.value = Objects.requireNonNull(value);
    this.env = env;
  }

  public static SecretValue inline(String secret) {
    return new SecretValue(Kind.INLINE, secret, System::getenv);
  }

  public static SecretValue fromEnv(String variable) {
    return new SecretValue(Kind.ENV, variable, System::getenv);
  }

  /** A reference resolved against {@code env} instead of the process environment (tests). */
  public static SecretValue fromEnv(String variable, Map<String, String> env) {
    return new SecretValue(Kind.ENV, variable, env::get);
  }

  public static SecretValue fromFile(Path file) {
    return new SecretValue(Kind.FILE, file.toString(), System::getenv);
  }

  public boolean isInline() {
    return kind == Kind.INLINE;
  }

  /** The environment variable name for {@code fromEnv}. */
  public Optional<String> envVariable() {
    return kind == Kind.ENV ? Optional.of(value) : Optional.empty();
  }

  /** The file for {@code fromFile}. */
  public Optional<Path> file() {
    return kind == Kind.FILE ? Optional.of(Path.of(value)) : Optional.empty();
  }

  /**
   * The secret. A file's trailing line break is dropped ({@code echo token > f} adds one).
   *
   * @throws IllegalStateException naming the variable or file when it cannot be read
   */
  public String reveal() {
    return switch (kind) {
      case INLINE -> value;
      case ENV -> {
        String v = env.apply(value);
        if (v == null) {
          throw new IllegalStateException("secret environment variable " + value + " is not set");
        }
        yield v;
      }
      case FILE -> {
        try {
          yield Files.readString(Path.of(value)).replaceFirst("\\R\\z", "");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read secret file " + value, e);
        }
      }
    };
  }

  /**
   * Why {@link #reveal()} would fail, without revealing anything; empty if it would not. Lets the
   * loader fail before a run instead of in the middle of one.
   */
  Optional<String> unresolvable() {
    return switch (kind) {
      case INLINE ->
          value.isEmpty() ? Optional.of("expected a non-empty secret") : Optional.empty();
      case ENV ->
          env.apply(value) == null
              ? Optional.of(
                  "environment variable " + value + " is not set; expected it to hold the secret")
              : Optional.empty();
      case FILE ->
          Files.isRegularFile(Path.of(value)) && Files.isReadable(Path.of(value))
              ? Optional.empty()
              : Optional.of("secret file " + value + " is missing or not readable");
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue other && kind == other.kind && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, value);
  }

  /** {@code <redacted>}, {@code env:NAME} or {@code file:path}: never the secret. */
  @Override
  public String toString() {
    return switch (kind) {
      case INLINE -> REDACTED;
      case ENV -> "env:" + value;
      case FILE -> "file:" + value;
    };
  }

  /** Reads the three forms; any other shape is rejected without echoing what was there. */
  static final class Reader extends JsonDeserializer<SecretValue> {
    @Override
    public SecretValue deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      UnaryOperator<String> env = environment(ctxt);
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return new SecretValue(Kind.INLINE, p.getText(), env);
      }
      if (!p.isExpectedStartObjectToken()) {
        // Numbers and booleans too: YAML would silently turn 0123 into 83 or drop leading zeros.
        p.skipChildren();
        throw new BindingProblem(p, EXPECTED);
      }
      JsonNode node = ctxt.readTree(p);
      if (node.size() == 1
          && node.path("fromEnv").isTextual()
          && !node.get("fromEnv").asText().isBlank()) {
        return new SecretValue(Kind.ENV, node.get("fromEnv").asText(), env);
      }
      if (node.size() == 1
          && node.path("fromFile").isTextual()
          && !node.get("fromFile").asText().isBlank()) {
        return new SecretValue(Kind.FILE, node.get("fromFile").asText(), env);
      }
      // Do not name the keys found: a secret pasted as a key would end up in the message.
      throw new BindingProblem(p, EXPECTED);
    }

    @SuppressWarnings("unchecked")
    private static UnaryOperator<String> environment(DeserializationContext ctxt) {
      Object env = ctxt.getAttribute(ENV_ATTRIBUTE);
      return env instanceof Map<?, ?> map ? ((Map<String, String>) map)::get : System::getenv;
    }
  }

  /** The redacted form, shaped like the input so the effective config reads like cert.yaml. */
  static final class Writer extends JsonSerializer<SecretValue> {
    @Override
    public void serialize(SecretValue secret, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      switch (secret.kind) {
        case INLINE -> gen.writeString(REDACTED);
        case ENV -> {
          gen.writeStartObject();
          gen.writeStringField("fromEnv", secret.value);
          gen.writeEndObject();
        }
        case FILE -> {
          gen.writeStartObject();
          gen.writeStringField("fromFile", secret.value);
          gen.writeEndObject();
        }
      }
    }
  }
}
