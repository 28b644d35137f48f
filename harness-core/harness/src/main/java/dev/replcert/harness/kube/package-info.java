/**
 * Kubernetes fixture pieces every Kubernetes-level suite (layer 1's csi-addons suites, layer 2's DR
 * suites) shares: {@link dev.replcert.harness.kube.KubeResources} (the tracking client of one
 * cluster), {@link dev.replcert.harness.kube.Waits} (named waits that print what they saw last),
 * {@link dev.replcert.harness.kube.Names} (traceable unique names), {@link
 * dev.replcert.harness.kube.DriverClasses} (the driver's StorageClass and csi-addons classes, from
 * cert.yaml or created per test), {@link dev.replcert.harness.kube.Claims} (PVCs, Bound) and
 * {@link dev.replcert.harness.kube.WorkerNode} (nodes and their InternalIP). Nothing here knows
 * whether the clusters are the lab's or real ones.
 */
package dev.replcert.harness.kube;
