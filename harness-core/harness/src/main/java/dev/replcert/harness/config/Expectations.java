package dev.replcert.harness.config;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.replcert.api.k8s.GoDuration;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a Jackson binding failure into "what was expected", from the exception's type and path and
 * the declared type of the key in the config records. Never from the exception's message or value:
 * both can contain what the vendor wrote, and that may be a secret.
 */
final class Expectations {

  private Expectations() {}

  static String of(Exception e, List<Reference> path) {
    if (e instanceof BindingProblem problem) {
      return problem.expected();
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      // The property name is a key the vendor wrote, not a value: safe to repeat.
      return "unknown key '"
          + unknown.getPropertyName()
          + "'; known keys: "
          + knownKeys(typeAt(path.subList(0, Math.max(0, path.size() - 1))), unknown);
    }
    Type declared = typeAt(path);
    if (declared == null && e instanceof MismatchedInputException mismatch) {
      declared = mismatch.getTargetType();
    }
    if (declared == null) {
      return "expected a value of another type";
    }
    return "expected " + describe(declared);
  }

  /** The declared type at a path from the root {@link CertificationConfig}, or null. */
  static Type typeAt(List<Reference> path) {
    Type type = CertificationConfig.class;
    for (Reference ref : path) {
      type = ref.getFieldName() != null ? member(type, ref.getFieldName()) : typeArgument(type, 0);
      if (type == null) {
        return null;
      }
    }
    return type;
  }

  private static Type member(Type owner, String name) {
    Class<?> raw = raw(owner);
    if (Map.class.isAssignableFrom(raw)) {
      return typeArgument(owner, 1);
    }
    if (!raw.isRecord()) {
      return null;
    }
    for (RecordComponent c : raw.getRecordComponents()) {
      if (c.getName().equals(name)) {
        return bind(c.getGenericType(), raw, owner);
      }
    }
    return null;
  }

  /** Replaces a type variable of a generic record ({@code Sites<T>}) by its actual argument. */
  private static Type bind(Type type, Class<?> raw, Type owner) {
    if (type instanceof TypeVariable<?> variable && owner instanceof ParameterizedType p) {
      TypeVariable<?>[] params = raw.getTypeParameters();
      for (int i = 0; i < params.length; i++) {
        if (params[i].getName().equals(variable.getName())) {
          return p.getActualTypeArguments()[i];
        }
      }
    }
    return type;
  }

  private static Type typeArgument(Type type, int index) {
    return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index
        ? p.getActualTypeArguments()[index]
        : null;
  }

  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  static String describe(Type type) {
    Class<?> raw = raw(type);
    if (raw == String.class) {
      return "a string";
    }
    if (raw == Integer.class || raw == int.class) {
      return "a whole number";
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return "true or false";
    }
    if (raw == Duration.class) {
      return "a positive duration " + GoDuration.FORMS;
    }
    if (raw == Path.class) {
      return "a file path";
    }
    if (raw == SecretValue.class) {
      return SecretValue.EXPECTED.substring("expected ".length());
    }
    if (raw == CapabilityProfile.class) {
      return CapabilityProfile.Reader.EXPECTED_MAP;
    }
    if (raw.isEnum()) {
      return "one of "
          + Arrays.stream(raw.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(raw)) {
      Type element = typeArgument(type, 0);
      return element != null && raw(element) == String.class
          ? "a list of strings, e.g. [\"cmd\", \"arg\"]"
          : "a list of mappings";
    }
    if (Map.class.isAssignableFrom(raw)) {
      Type value = typeArgument(type, 1);
      return "a mapping of names to " + (value == null ? "values" : plural(value));
    }
    if (raw.isRecord()) {
      return "a mapping with keys " + recordKeys(raw);
    }
    return "a value of another type";
  }

  private static String plural(Type type) {
    Class<?> raw = raw(type);
    return raw == String.class ? "strings" : raw == SecretValue.class ? "secrets" : "values";
  }

  private static String knownKeys(Type owner, UnrecognizedPropertyException e) {
    Class<?> raw = owner == null ? e.getReferringClass() : raw(owner);
    if (raw != null && raw.isRecord()) {
      return recordKeys(raw);
    }
    return e.getKnownPropertyIds() == null
        ? "(none)"
        : e.getKnownPropertyIds().stream()
            .map(Object::toString)
            .sorted()
            .collect(Collectors.joining(", "));
  }

  private static String recordKeys(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .map(RecordComponent::getName)
        .collect(Collectors.joining(", "));
  }
}
