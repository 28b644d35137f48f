/**
 * The substrate controllers of a lab cluster: what a real managed cluster gets from other projects,
 * just enough of it for the certification suites, on the cluster's (CRUD mock) API server and the
 * site's reference driver.
 *
 * <ul>
 *   <li>{@link dev.replcert.lab.substrate.provisioner.Provisioner}: external-provisioner and the PV
 *       controller. A claim of a StorageClass whose provisioner is the driver's name gets
 *       CreateVolume ({@code pvc-<uid>}) and a PV; claims naming a PV, and PVs whose claimRef names
 *       a claim (how DR restores PVs), bind without CreateVolume. Binding sets the PV's claimRef
 *       (with uid), the claim's volumeName, {@code pv.kubernetes.io/bind-completed}, the finalizer
 *       {@code kubernetes.io/pvc-protection} and both statuses. A deleted claim goes once no
 *       unfinished pod mounts it; its PV is Released, then Delete means DeleteVolume and the PV
 *       deleted, Retain keeps both. Every StorageClass binds immediately (no WaitForFirstConsumer).
 *   <li>{@link dev.replcert.lab.substrate.kubelet.Kubelet}: the kubelets of the site's nodes
 *       ({@link dev.replcert.lab.substrate.LabNodes}). A pod without a node goes to the first node
 *       (there is no scheduler); its claims are staged and published through the node's CSI socket;
 *       a failed publish (secondary volume, fenced node, site down) leaves it Pending with a
 *       FailedMount event and is retried with backoff. Workload pods (label {@code
 *       replcert.dev/workload}) run their program in-JVM; other pods are reported Running once their
 *       volumes are published. A finished pod's volumes are unpublished; a deleted pod is held by
 *       the kubelet's finalizer until its program stopped and its volumes are unpublished.
 *   <li>{@link dev.replcert.lab.substrate.kubelet.PodLogDispatcher}: the API server's {@code
 *       pods/{name}/log}, which the CRUD mock does not serve, answered from the kubelet.
 *   <li>{@link dev.replcert.lab.substrate.csiaddons.CsiAddonsController}: kubernetes-csi-addons'
 *       controller and sidecar in one. VolumeReplication, VolumeGroupReplication(+Content) and
 *       NetworkFence become the site driver's csi-addons RPCs with csi-addons' states, conditions,
 *       finalizers and requeues (lab timings). A primary asks GetReplicationDestinationInfo when the
 *       driver advertises {@code GET_REPLICATION_DESTINATION_INFO}: a volume's destination goes to
 *       {@code status.destinationVolumeID}, a group's to its content's {@code
 *       destinationVolumeGroupID} and per-member {@code destinationVolumeHandle}, and condition
 *       DestinationInfoAvailable says Updated, Pending (UNAVAILABLE, asked again soon) or
 *       FailedToGetDestinationInfo.
 *   <li>{@link dev.replcert.lab.substrate.WorkQueue}: the one work queue under every controller
 *       here and in {@code ocm}, with client-go's semantics (keys, not events; a key queued again
 *       while it waits runs once, at the earliest of its times; one thread per controller) and a
 *       {@link dev.replcert.lab.substrate.RetryPolicy}: provisioner and kubelet back off from 50 ms
 *       to 2 s, csi-addons retries at its fixed error requeue, the OCM agents wait for their
 *       resync.
 * </ul>
 *
 * Not simulated: admission (no defaulting besides the default StorageClass, no validation), a
 * scheduler (no node affinity, no resource fit), container images (a non-workload pod runs
 * nothing), attach/detach (the reference driver has no ControllerPublish), volume expansion,
 * snapshots and clones; CSIAddonsNode objects (the csi-addons controller is wired to its site's
 * driver and asks its capabilities once) and controller-runtime's growing error backoff.
 */
package dev.replcert.lab.substrate;
