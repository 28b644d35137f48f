package dev.replcert.harness.config;

import java.util.List;

/** Checks of {@code driver:}. */
final class DriverRules extends Rules {

  private static final String CSI_ADDONS_PREFIX = "replication.storage.openshift.io/";
  private static final List<String> RESERVED_PARAMETERS =
      List.of(
          "replication-secret-name",
          "replication-secret-namespace",
          "group-replication-secret-name",
          "group-replication-secret-namespace");

  DriverRules(CertificationConfig config, Problems problems) {
    super(config, problems);
  }

  @Override
  void check() {
    DriverConfig driver = config.driver();
    name(driver.name());
    endpoints(driver.endpoints());
    driver.secrets().forEach(this::namedSecret);
    if (driver.secretRef() != null) {
      secretRef("driver.secretRef", driver.secretRef());
    }
    driver.replication().parameters().forEach(this::parameter);
    volume(driver.volume());
    replicationControl(driver.replicationControl());
  }

  private void name(String name) {
    if (name == null) {
      if (!modeIs(Mode.LAB) && !problems.bindingFailed("mode")) {
        problems.add("driver.name", "required in " + modeName() + " mode; " + Checks.DRIVER_NAME);
      }
    } else if (!Checks.isDriverName(name)) {
      problems.add("driver.name", Checks.DRIVER_NAME);
    }
  }

  private void endpoints(Sites<SiteEndpoint> endpoints) {
    notInLab("driver.endpoints", endpoints, "the lab starts the reference driver");
    if (endpoints == null) {
      if (modeIs(Mode.ENDPOINT)) {
        problems.add(
            "driver.endpoints",
            "required in endpoint mode; expected east and west, each with csi: "
                + Checks.GRPC_FORMS);
      }
      return;
    }
    if (modeIs(Mode.LAB)) {
      return;
    }
    for (String site : Sites.IDS) {
      String path = "driver.endpoints." + site;
      SiteEndpoint endpoint = endpoints.site(site).orElse(null);
      if (endpoint == null) {
        problems.add(path, "required; expected csi: " + Checks.GRPC_FORMS);
        continue;
      }
      if (Checks.isBlank(endpoint.csi())) {
        problems.add(path + ".csi", "required; " + Checks.GRPC_TARGET);
      } else if (!Checks.isGrpcTarget(endpoint.csi())) {
        problems.add(path + ".csi", Checks.GRPC_TARGET);
      }
      if (endpoint.addons() != null
          && !endpoint.addons().equals(endpoint.csi())
          && !Checks.isGrpcTarget(endpoint.addons())) {
        problems.add(path + ".addons", Checks.GRPC_TARGET + "; leave it out to use csi");
      }
      if (endpoint.node() != null
          && !endpoint.node().equals(endpoint.csi())
          && !Checks.isGrpcTarget(endpoint.node())) {
        problems.add(path + ".node", Checks.GRPC_TARGET + "; leave it out to use csi");
      }
    }
  }

  /**
   * csi-addons strips keys with its prefix before the driver sees them and rejects any it does not
   * know (reference/csi.md, VolumeReplicationClass); say so now rather than in the cluster.
   */
  private void parameter(String key, String value) {
    String path = "driver.replication.parameters." + key;
    if (value == null) {
      problems.add(path, "expected a string value");
    }
    if (key.startsWith(CSI_ADDONS_PREFIX)
        && !RESERVED_PARAMETERS.contains(key.substring(CSI_ADDONS_PREFIX.length()))) {
      problems.add(
          path,
          "unknown csi-addons parameter; expected one of "
              + CSI_ADDONS_PREFIX
              + "{"
              + String.join(", ", RESERVED_PARAMETERS)
              + "}, or use driver.secretRef");
    }
  }

  private void namedSecret(String name, SecretValue value) {
    String path = "driver.secrets." + name;
    if (name.isBlank()) {
      problems.add(path, "expected a non-empty secret name");
    }
    secret(path, value);
  }

  private void volume(VolumeSettings volume) {
    if (!Checks.isQuantity(volume.size())) {
      problems.add(
          "driver.volume.size",
          "expected a quantity like 1Gi, 500Mi or 10G (digits with an optional Ki, Mi, Gi, Ti, k,"
              + " M, G or T suffix)");
    }
    if (volume.mode() == VolumeMode.BLOCK && volume.fsType() != null) {
      problems.add(
          "driver.volume.fsType",
          "not used for Block volumes; remove fsType or set mode: Filesystem");
    } else if (volume.fsType() != null && volume.fsType().isBlank()) {
      problems.add("driver.volume.fsType", "expected a filesystem type like ext4 or xfs");
    }
  }

  private void replicationControl(ReplicationControlHooks hooks) {
    notInLab("driver.replicationControl", hooks, "the reference driver pauses by itself");
    if (hooks != null && !modeIs(Mode.LAB)) {
      command("driver.replicationControl.pause", hooks.pause());
      command("driver.replicationControl.resume", hooks.resume());
    }
    if (hooks == null
        && !modeIs(Mode.LAB)
        && !problems.bindingFailed("mode")
        && config.capabilities().claims(Capability.PAUSE_RESUME)) {
      problems.add(
          "capabilities." + Capability.PAUSE_RESUME.id(),
          "claimed, but csi-addons has no pause RPC; expected driver.replicationControl with pause"
              + " and resume commands, or "
              + Capability.PAUSE_RESUME.id()
              + ": false");
    }
  }
}
