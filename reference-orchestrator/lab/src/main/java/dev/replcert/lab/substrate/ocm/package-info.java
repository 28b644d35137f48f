/**
 * The lab's stand-in for Open Cluster Management: what a real hub and its managed clusters get
 * from OCM's registration, work agent and multicloud-operators-foundation, as far as Ramen and the
 * harness use it. {@link dev.replcert.lab.substrate.ocm.OcmHub} is the one entry point.
 *
 * <p>Simulated: ManagedCluster registration (accepted, joined) and availability from a lease that
 * only a reachable cluster renews ({@code managed-cluster-lease} in the cluster namespace; Unknown /
 * {@code ManagedClusterLeaseUpdateStopped} after {@link
 * dev.replcert.lab.substrate.ocm.OcmTiming#leaseGrace()}); ManifestWork apply with OCM's finalizer,
 * condition types, reasons and messages, resourceMeta, deleteOption (Foreground, Orphan,
 * SelectivelyOrphan), removal of dropped manifests and status feedback (JSONPaths,
 * WellKnownStatus); ManagedClusterView with condition Processing ({@code GetResourceProcessing} /
 * {@code GetResourceFailed}).
 *
 * <p>Not simulated: AppliedManifestWork on the managed cluster (the applied resources are tracked
 * in the work's own status), owner references on applied resources, the update strategies
 * ServerSideApply and ReadOnly (applied as Update; CreateOnly is honoured), condition rules, Placement
 * scheduling (PlacementDecisions are whatever the orchestrator writes), ManagedClusterAction,
 * addons, and OCM's refusal to view Secrets.
 */
package dev.replcert.lab.substrate.ocm;
