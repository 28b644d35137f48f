package dev.replcert.harness.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.replcert.api.k8s.GoDuration;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The one Jackson setup for cert.yaml: strict in every way Jackson can be (unknown keys, duplicate
 * keys, floats or strings where integers belong, enum ordinals), and writing back the same syntax
 * it reads (Go durations, plain paths, lowercase ids).
 */
final class ConfigMapper {

  static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          // YAML 1.1 reads on/off/yes/no as booleans: "up: [power, on]" would become "true".
          .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          // "4096" for an integer or "yes" for a boolean is a typo more often than a choice.
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS))
          .addModule(configModule())
          .build();

  private ConfigMapper() {}

  /** A reader for the whole config whose secrets resolve {@code fromEnv} against {@code env}. */
  static ObjectReader reader(Map<String, String> env) {
    return MAPPER
        .readerFor(CertificationConfig.class)
        .withAttribute(SecretValue.ENV_ATTRIBUTE, env);
  }

  static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  private static SimpleModule configModule() {
    SimpleModule module = new SimpleModule("replcert-config");
    module.addDeserializer(Duration.class, new DurationReader());
    module.addSerializer(Duration.class, new DurationWriter());
    module.addDeserializer(Path.class, new PathReader());
    module.addSerializer(Path.class, new PathWriter());
    module.addKeySerializer(TimeoutOperation.class, new OperationKeyWriter());
    return module;
  }

  private static final class DurationWriter extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration d, JsonGenerator gen, SerializerProvider p) throws IOException {
      gen.writeString(GoDuration.format(d));
    }
  }

  /** Jackson's own Path support reads "c:/x" as a URI; a config path is just a path. */
  private static final class PathReader extends JsonDeserializer<Path> {
    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING || p.getText().isBlank()) {
        throw new BindingProblem(p, "expected a file path");
      }
      try {
        return Path.of(p.getText());
      } catch (InvalidPathException e) {
        throw new BindingProblem(p, "expected a valid file path");
      }
    }
  }

  private static final class PathWriter extends JsonSerializer<Path> {
    @Override
    public void serialize(Path path, JsonGenerator gen, SerializerProvider p) throws IOException {
      gen.writeString(path.toString());
    }
  }

  private static final class OperationKeyWriter extends JsonSerializer<TimeoutOperation> {
    @Override
    public void serialize(TimeoutOperation op, JsonGenerator gen, SerializerProvider p)
        throws IOException {
      gen.writeFieldName(op.id());
    }
  }
}
