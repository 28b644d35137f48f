package dev.replcert.refdriver.site;

import java.util.Objects;

/** What a replication operation applies to: one volume or one volume group. */
public record Target(Kind kind, String id) {

  public enum Kind {
    VOLUME,
    GROUP
  }

  public Target {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  public static Target volume(String id) {
    return new Target(Kind.VOLUME, id);
  }

  public static Target group(String id) {
    return new Target(Kind.GROUP, id);
  }

  @Override
  public String toString() {
    return (kind == Kind.VOLUME ? "volume " : "volume group ") + id;
  }
}
