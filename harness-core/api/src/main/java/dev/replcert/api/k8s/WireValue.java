package dev.replcert.api.k8s;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An enum constant that stands for one exact string on the wire (a status field, a condition type,
 * a reason). {@link #parse} is strict: an unknown string is an error that names the type and the
 * values it knows, never a silent default.
 */
public interface WireValue {

  /** The string exactly as the API writes it. */
  String wire();

  /**
   * The constant of {@code type} whose {@link #wire()} is {@code value}, matched exactly (case and
   * spaces count).
   *
   * @throws IllegalArgumentException for null or a string the type does not know
   */
  static <E extends Enum<E> & WireValue> E parse(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.wire().equals(value)) {
        return constant;
      }
    }
    String known =
        Arrays.stream(type.getEnumConstants())
            .map(c -> "'" + c.wire() + "'")
            .collect(Collectors.joining(", "));
    String name =
        type.getEnclosingClass() == null
            ? type.getSimpleName()
            : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    String shown = value == null ? "null" : "'" + value + "'";
    throw new IllegalArgumentException(
        "unknown " + name + " " + shown + "; expected one of " + known);
  }
}
