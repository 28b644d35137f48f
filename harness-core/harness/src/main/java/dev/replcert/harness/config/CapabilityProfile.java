package dev.replcert.harness.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The capabilities a driver claims: the single source of truth for run-or-skip. A capability the
 * profile does not state is not claimed, so a vendor never gets a test run (and failed) for a
 * feature they did not ask to certify.
 */
@JsonDeserialize(using = CapabilityProfile.Reader.class)
public final class CapabilityProfile {

  private final Set<Capability> claimed;

  private CapabilityProfile(Collection<Capability> claimed) {
    this.claimed =
        Collections.unmodifiableSet(
            claimed.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(claimed));
  }

  public static CapabilityProfile of(Collection<Capability> claimed) {
    return new CapabilityProfile(claimed);
  }

  /** Every capability. */
  public static CapabilityProfile all() {
    return new CapabilityProfile(EnumSet.allOf(Capability.class));
  }

  /**
   * What the bundled reference driver claims, the profile of the lab when no file is given: every
   * capability but {@code snapshots} (it takes CSI snapshots but cannot yet restore a volume from
   * one) and {@code filesystem-mode} (it serves raw bytes, never a file system) — claiming them
   * would certify what it does not do. It claims {@code peer-fence} because the lab runs it with
   * fence scope mirror (its two sites fence as one stretched storage).
   */
  public static CapabilityProfile referenceDriver() {
    EnumSet<Capability> claimed = EnumSet.allOf(Capability.class);
    claimed.remove(Capability.SNAPSHOTS);
    claimed.remove(Capability.FILESYSTEM_MODE);
    return new CapabilityProfile(claimed);
  }

  /** A vendor file without {@code capabilities:} certifies basic replication only. */
  public static CapabilityProfile replicationOnly() {
    return new CapabilityProfile(EnumSet.of(Capability.REPLICATION));
  }

  public boolean claims(Capability capability) {
    return claimed.contains(capability);
  }

  public Set<Capability> claimed() {
    return claimed;
  }

  /** Every capability id, in enum order, mapped to whether it is claimed; the cert.yaml form. */
  @JsonValue
  public Map<String, Boolean> asMap() {
    Map<String, Boolean> map = new LinkedHashMap<>();
    for (Capability c : Capability.values()) {
      map.put(c.id(), claimed.contains(c));
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapabilityProfile other && claimed.equals(other.claimed);
  }

  @Override
  public int hashCode() {
    return claimed.hashCode();
  }

  @Override
  public String toString() {
    return "CapabilityProfile" + claimed;
  }

  /** Strict reader: unknown ids and non-boolean values are errors naming the key. */
  static final class Reader extends JsonDeserializer<CapabilityProfile> {
    static final String EXPECTED_MAP = "a mapping of capability id to true or false";

    @Override
    public CapabilityProfile deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      if (!p.isExpectedStartObjectToken()) {
        throw new BindingProblem(p, "expected " + EXPECTED_MAP);
      }
      Set<Capability> claimed = EnumSet.noneOf(Capability.class);
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        final String id = key;
        Capability capability =
            Capability.byId(id)
                .orElseThrow(
                    () ->
                        BindingProblem.atKey(
                            p,
                            id,
                            "unknown capability '"
                                + id
                                + "'; known capabilities: "
                                + Capability.knownIds()));
        JsonToken value = p.nextToken();
        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
          throw BindingProblem.atKey(p, id, "expected true or false");
        }
        if (value == JsonToken.VALUE_TRUE) {
          claimed.add(capability);
        }
      }
      return new CapabilityProfile(claimed);
    }
  }
}
