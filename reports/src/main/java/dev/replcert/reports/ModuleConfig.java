package dev.replcert.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An effective configuration (secrets already redacted by the harness) and the modules that ran
 * with it. Modules of one run normally share one configuration, so it is shown once.
 */
public record ModuleConfig(List<String> modules, JsonNode config) {
  public ModuleConfig {
    modules = modules == null ? List.of() : List.copyOf(modules);
  }
}
