package dev.replcert.refdriver.grpc;

/** Required-field checks: a missing field is INVALID_ARGUMENT naming the field. */
final class Require {

  private Require() {}

  static String nonEmpty(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw GrpcErrors.invalidArgument(field + " is required");
    }
    return value;
  }
}
