package dev.replcert.orchestrator.hub;

import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Errors;
import io.openshift.ramendr.v1alpha1.DRCluster;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** Ramen's DRCluster checks: CIDR syntax (Go's net.ParseCIDR) and a reachable S3 profile. */
final class ClusterValidation {

  /** Ramen's s3ProfileName for a cluster without a store: not checked. */
  static final String NO_S3 = "NoS3";

  private ClusterValidation() {}

  /** The invalid entries of {@code spec.cidrs}, as Ramen's message lists them. */
  static Optional<String> invalidCidrs(DRCluster cluster) {
    List<String> cidrs = cluster.getSpec().getCidrs() == null ? List.of() : cluster.getSpec().getCidrs();
    List<String> invalid = cidrs.stream().filter(c -> !isCidr(c)).toList();
    return invalid.isEmpty()
        ? Optional.empty()
        : Optional.of("invalid CIDRs specified " + String.join(", ", invalid));
  }

  static boolean isCidr(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String address = text.substring(0, slash);
    boolean v6 = address.contains(":");
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (prefix < 0 || prefix > (v6 ? 128 : 32)) {
      return false;
    }
    if (!v6) {
      return address.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    }
    try {
      // a literal with ':' is parsed, never looked up in DNS
      return address.matches("[0-9a-fA-F:.]+") && InetAddress.getByName(address) != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Ramen's s3ProfileValidate: the profile's store opens (reason {@value
   * HubNames#S3_CONNECTION_FAILED}) and lists keys (reason {@value HubNames#S3_LIST_FAILED}).
   */
  static Optional<PolicyValidation.Failure> s3(ObjectStores stores, DRCluster cluster) {
    String profile = cluster.getSpec().getS3ProfileName();
    if (profile == null || NO_S3.equals(profile)) {
      return Optional.empty();
    }
    ObjectStore store;
    try {
      store = stores.open(profile);
    } catch (RuntimeException e) {
      return Optional.of(
          new PolicyValidation.Failure(
              HubNames.S3_CONNECTION_FAILED, profile + ": " + S3Errors.describe(e)));
    }
    try {
      store.keys(cluster.getMetadata().getName() + "/");
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(
          new PolicyValidation.Failure(
              HubNames.S3_LIST_FAILED, profile + ": " + S3Errors.describe(e)));
    }
  }
}
