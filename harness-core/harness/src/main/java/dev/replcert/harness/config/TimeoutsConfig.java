package dev.replcert.harness.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code timeouts:} a preset name plus per-operation overrides. The profile is null until {@link
 * CertificationConfig} picks the mode's default ({@code lab} in lab mode, {@code default}
 * otherwise).
 */
public record TimeoutsConfig(
    String profile,
    @JsonDeserialize(using = TimeoutsConfig.OverridesReader.class)
        Map<TimeoutOperation, Duration> overrides) {

  public TimeoutsConfig {
    overrides =
        overrides == null || overrides.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new EnumMap<>(overrides));
  }

  TimeoutsConfig withDefaultProfile(String defaultProfile) {
    return profile == null ? new TimeoutsConfig(defaultProfile, overrides) : this;
  }

  /** Keys are {@link TimeoutOperation} ids; an unknown key is an error listing the known ones. */
  static final class OverridesReader extends JsonDeserializer<Map<TimeoutOperation, Duration>> {
    @Override
    public Map<TimeoutOperation, Duration> deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      if (!p.isExpectedStartObjectToken()) {
        throw new BindingProblem(
            p, "expected a mapping of operation to duration, e.g. promote: 5m");
      }
      Map<TimeoutOperation, Duration> overrides = new EnumMap<>(TimeoutOperation.class);
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        final String id = key;
        TimeoutOperation op =
            TimeoutOperation.byId(id)
                .orElseThrow(
                    () ->
                        BindingProblem.atKey(
                            p,
                            id,
                            "unknown timeout '"
                                + id
                                + "'; known timeouts: "
                                + TimeoutOperation.knownIds()));
        p.nextToken();
        Duration limit = DurationReader.parse(p);
        if (limit == null) {
          throw BindingProblem.atKey(p, id, DurationReader.EXPECTED);
        }
        overrides.put(op, limit);
      }
      return overrides;
    }
  }
}
