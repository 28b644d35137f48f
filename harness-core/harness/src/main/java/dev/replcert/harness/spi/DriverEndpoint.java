package dev.replcert.harness.spi;

import io.grpc.Channel;

/**
 * One site's driver, as the harness reaches it: channels to its CSI Identity/Controller service,
 * its csi-addons services and the CSI Node service of the node the harness checks data on. The
 * channels log every call in the run's call log. Environments hand these out per site:
 * {@code @Site("east") DriverEndpoint east}.
 */
public interface DriverEndpoint {

  /** {@code east} or {@code west}. */
  String site();

  /** CSI Identity and Controller. */
  Channel csi();

  /** csi-addons Identity, replication.Controller, fence.FenceController, volumegroup.Controller. */
  Channel addons();

  /** CSI Node of the node the harness stages and publishes volumes on. */
  Channel node();

  /** The secrets to send in csi-addons requests (from cert.yaml; never logged). */
  java.util.Map<String, String> secrets();
}
