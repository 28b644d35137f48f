package dev.replcert.harness.config;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks of the real-target sections: {@code clusters}, {@code s3Profiles}, {@code disaster}. */
final class TargetRules extends Rules {

  TargetRules(CertificationConfig config, Problems problems) {
    super(config, problems);
  }

  @Override
  void check() {
    clusters(config.clusters());
    s3Profiles(config.s3Profiles());
    disaster(config.disaster());
  }

  private void clusters(ClustersConfig clusters) {
    notInLab("clusters", clusters, "the lab runs its own API servers");
    if (clusters == null) {
      if (modeIs(Mode.CLUSTERS)) {
        problems.add(
            "clusters",
            "required in clusters mode; expected east and west (and hub unless orchestrator is"
                + " bundled), each with kubeconfig and context");
      }
      return;
    }
    if (modeIs(Mode.LAB)) {
      return;
    }
    if (modeIs(Mode.CLUSTERS)) {
      require("clusters.east", clusters.east(), "kubeconfig and context of the east cluster");
      require("clusters.west", clusters.west(), "kubeconfig and context of the west cluster");
      if (clusters.hub() == null
          && config.orchestrator() != Orchestrator.BUNDLED
          && !problems.bindingFailed("orchestrator")) {
        problems.add(
            "clusters.hub",
            "required with orchestrator "
                + config.orchestrator().id()
                + "; expected the hub's kubeconfig and context");
      }
    }
    cluster("clusters.hub", clusters.hub());
    cluster("clusters.east", clusters.east());
    cluster("clusters.west", clusters.west());
  }

  private void cluster(String keyPath, ClusterRef ref) {
    if (ref == null) {
      return;
    }
    if (ref.kubeconfig() == null) {
      problems.add(keyPath + ".kubeconfig", "required; expected the path of a kubeconfig file");
    } else if (!Files.isRegularFile(ref.kubeconfig()) || !Files.isReadable(ref.kubeconfig())) {
      // A path is not a secret, and naming it is the quickest fix for a wrong relative path.
      problems.add(
          keyPath + ".kubeconfig",
          "kubeconfig "
              + ref.kubeconfig()
              + " is missing or not readable; expected a readable"
              + " kubeconfig file (relative paths are relative to cert.yaml)");
    }
    if (ref.context() != null && ref.context().isBlank()) {
      problems.add(
          keyPath + ".context",
          "expected a context name; leave it out to use the kubeconfig's current-context");
    }
  }

  private void s3Profiles(List<S3Profile> profiles) {
    notInLab("s3Profiles", profiles.isEmpty() ? null : profiles, "the lab runs its own S3 stores");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < profiles.size(); i++) {
      String path = KeyPaths.element("s3Profiles", i);
      S3Profile profile = profiles.get(i);
      if (profile == null) {
        problems.add(path, "expected a mapping with name, endpoint, bucket and credentials");
        continue;
      }
      if (Checks.isBlank(profile.name())) {
        problems.add(path + ".name", "required; expected a profile name");
      } else if (!names.add(profile.name())) {
        problems.add(path + ".name", "duplicate profile name; expected each name once");
      }
      require(path + ".endpoint", profile.endpoint(), "an http:// or https:// URL");
      if (!Checks.isBlank(profile.endpoint()) && !Checks.isHttpUrl(profile.endpoint())) {
        problems.add(path + ".endpoint", "expected an http:// or https:// URL");
      }
      require(path + ".region", profile.region(), "a region name such as us-east-1");
      require(path + ".bucket", profile.bucket(), "an S3 bucket name");
      if (!Checks.isBlank(profile.bucket()) && !Checks.isBucket(profile.bucket())) {
        problems.add(
            path + ".bucket",
            "expected an S3 bucket name (3 to 63 lowercase letters, digits, '.' and '-')");
      }
      credentials(path, profile);
    }
  }

  private void credentials(String path, S3Profile profile) {
    boolean inline = profile.accessKeyId() != null || profile.secretAccessKey() != null;
    String exactlyOne = "expected exactly one of: accessKeyId with secretAccessKey, or secretRef";
    if (inline && profile.secretRef() != null) {
      problems.add(path, "both inline keys and secretRef; " + exactlyOne);
    } else if (!inline && profile.secretRef() == null) {
      problems.add(path, "no credentials; " + exactlyOne);
    } else if (inline) {
      secret(path + ".accessKeyId", profile.accessKeyId());
      secret(path + ".secretAccessKey", profile.secretAccessKey());
    } else {
      secretRef(path + ".secretRef", profile.secretRef());
    }
  }

  private void disaster(DisasterHooks disaster) {
    notInLab("disaster", disaster, "the lab takes sites down itself");
    if (disaster == null || modeIs(Mode.LAB)) {
      return;
    }
    if (disaster.sites().east() == null && disaster.sites().west() == null) {
      problems.add(
          "disaster.sites", "required; expected down and up commands for east and/or west");
    }
    disaster
        .sites()
        .asMap()
        .forEach(
            (site, hooks) -> {
              command("disaster.sites." + site + ".down", hooks.down());
              command("disaster.sites." + site + ".up", hooks.up());
            });
  }
}
