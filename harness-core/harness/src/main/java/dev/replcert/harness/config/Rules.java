package dev.replcert.harness.config;

import java.util.List;

/**
 * Base of the semantic checks run after binding. Each check reports and carries on, so one run
 * lists everything wrong. Mode-dependent checks are skipped when the mode itself failed to bind:
 * the default mode they would assume is not the vendor's.
 */
abstract class Rules {

  static final String COMMAND = "a command as a list, e.g. [\"/opt/vendor/bin/tool\", \"arg\"]";

  final CertificationConfig config;
  final Problems problems;

  Rules(CertificationConfig config, Problems problems) {
    this.config = config;
    this.problems = problems;
  }

  abstract void check();

  boolean modeIs(Mode mode) {
    return !problems.bindingFailed("mode") && config.mode() == mode;
  }

  String modeName() {
    return config.mode().id();
  }

  void require(String keyPath, Object value, String expected) {
    if (value == null || value instanceof String s && s.isBlank()) {
      problems.add(keyPath, "required; expected " + expected);
    }
  }

  /** A hook command: absent is up to the caller, empty or with blank arguments is an error. */
  void command(String keyPath, List<String> command) {
    if (command == null) {
      problems.add(keyPath, "required; expected " + COMMAND);
    } else if (command.isEmpty()) {
      problems.add(keyPath, "empty command; expected " + COMMAND);
    } else {
      for (int i = 0; i < command.size(); i++) {
        if (Checks.isBlank(command.get(i))) {
          problems.add(KeyPaths.element(keyPath, i), "expected a non-empty argument");
        }
      }
    }
  }

  void secret(String keyPath, SecretValue secret) {
    if (secret == null) {
      problems.add(keyPath, "required; " + SecretValue.EXPECTED);
    } else {
      secret.unresolvable().ifPresent(reason -> problems.add(keyPath, reason));
    }
  }

  void secretRef(String keyPath, SecretRef ref) {
    if (Checks.isBlank(ref.name())) {
      problems.add(keyPath + ".name", "required; " + Checks.DNS_SUBDOMAIN);
    } else if (!Checks.isObjectName(ref.name())) {
      problems.add(keyPath + ".name", Checks.DNS_SUBDOMAIN);
    }
    if (Checks.isBlank(ref.namespace())) {
      problems.add(keyPath + ".namespace", "required; " + Checks.DNS_LABEL);
    } else if (!Checks.isNamespace(ref.namespace())) {
      problems.add(keyPath + ".namespace", Checks.DNS_LABEL);
    }
  }

  /** A section that only means something on real targets. */
  void notInLab(String keyPath, Object value, String why) {
    if (value != null && modeIs(Mode.LAB)) {
      problems.add(
          keyPath,
          "not used in lab mode (" + why + "); remove it or set mode: clusters" + " or endpoint");
    }
  }
}
