/**
 * What Kubernetes-level layer-1 suites (VolumeReplication, VolumeGroupReplication, NetworkFence)
 * share: the csi-addons objects of a test on the two managed clusters, created through a tracking
 * client and waited on by name. The same code runs in the lab and on real clusters with
 * csi-addons installed; nothing here knows which.
 *
 * <ul>
 *   <li>{@link dev.replcert.layer1.kube.KubeFixture}: per test, {@code east} and {@code west} as
 *       {@link dev.replcert.layer1.kube.KubeSite}s with one namespace of the same name on both
 *       (label {@value dev.replcert.layer1.kube.KubeSite#TEST_LABEL}), the driver calls since the
 *       test began, the sync interval. Build it in {@code @BeforeEach} from the injected {@code
 *       Environment}, {@code CertificationConfig}, {@code ResourceTracker} and {@code Evidence}.
 *   <li>{@link dev.replcert.harness.kube.KubeResources}: the tracking client of one cluster. {@code
 *       create} registers the deletion; cleanup runs newest first and waits until each object is
 *       gone (finalizers included), within the {@code cleanup} timeout.
 *   <li>{@link dev.replcert.harness.kube.DriverClasses}: the classes of cert.yaml's {@code classes.*},
 *       or test-owned ones created on first use from {@code driver.*}: a StorageClass (secret
 *       parameters as external-provisioner reads them, Immediate binding), a
 *       VolumeReplicationClass ({@code schedulingInterval}, {@code driver.replication.parameters},
 *       {@code replication.storage.openshift.io/replication-secret-name/-namespace}), a
 *       VolumeGroupReplicationClass (the {@code group-replication-secret-*} keys) and a
 *       NetworkFenceClass ({@code csiaddons.openshift.io/networkfence-secret-*}). The secret is
 *       {@code driver.secretRef}, or a Secret made from {@code driver.secrets} in the test's
 *       namespace.
 *   <li>{@link dev.replcert.harness.kube.Claims}: a PVC in the driver's class, Bound; or the claim
 *       of an existing volume (PV copied with claimRef dropped and a new handle, then a PVC naming
 *       it), as a failover recreates them on the peer cluster.
 *   <li>{@link dev.replcert.layer1.kube.Replications}: create a VolumeReplication, patch its
 *       replicationState, and named waits ({@code awaitPromoted}, {@code awaitDemoted}, {@code
 *       awaitGone}, or any predicate over a {@link dev.replcert.layer1.kube.VrStatus}); on timeout
 *       each prints the last VR it saw: generation, state, message, conditions with their
 *       observedGeneration, lastSync fields.
 *   <li>{@link dev.replcert.layer1.kube.GroupReplications}: VolumeGroupReplications selecting
 *       claims by labels ({@link dev.replcert.harness.kube.Claims#label} changes membership), and a
 *       pre-provisioned content naming an existing group for a takeover on the peer; waits observe
 *       the VGR, its content and its VR together ({@link dev.replcert.layer1.kube.GroupStatus}).
 *   <li>{@link dev.replcert.layer1.kube.Fences}: NetworkFences in the driver's class, waits for
 *       csi-addons' result and message ({@link dev.replcert.layer1.kube.FenceStatus}); a fence is
 *       set Unfenced before its deletion at cleanup, since deleting one does not unfence.
 *   <li>{@link dev.replcert.harness.kube.WorkerNode}: the cluster's nodes and their InternalIP (the
 *       address a fence names); {@code KubeSite#startWriterOn} / {@code submitWriterOn} bind a
 *       writer pod to one with {@code spec.nodeName}.
 *   <li>{@link dev.replcert.layer1.kube.DriverCalls}: the csi-addons RPCs for one volume from the
 *       environment's call log, when it has one (the lab); on real clusters they are not visible
 *       and tests say so in the evidence instead of checking them.
 *   <li>{@link dev.replcert.layer1.kube.KubeSite#startWriter} / {@code verify}: the writer and
 *       verifier pods of {@code PodWorkloads} on a claim of the site.
 * </ul>
 */
package dev.replcert.layer1.kube;
