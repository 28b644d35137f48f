package dev.replcert.layer1.kube;

import dev.replcert.harness.kube.DriverClasses;
import dev.replcert.harness.kube.KubeResources;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.kube.Names;
import dev.replcert.harness.kube.Waits;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec.FenceState;
import java.util.List;
import java.util.function.Predicate;

/**
 * NetworkFences of a test on one cluster (cluster-scoped, uniquely named), in the driver's
 * NetworkFenceClass: create, change fenceState, and named waits for the result csi-addons reports.
 *
 * <p>Deleting a NetworkFence does not unfence (csi.md §4), so a fence left Fenced by a failed test
 * would cut the node off for every later test: each fence's cleanup first sets it Unfenced and
 * waits for the result, then deletes it.
 */
public final class Fences {

  private final KubeResources cluster;
  private final DriverClasses classes;
  private final Waits waits;

  public Fences(KubeResources cluster, DriverClasses classes, Waits waits) {
    this.cluster = cluster;
    this.classes = classes;
    this.waits = waits;
  }

  /** A NetworkFence of the CIDRs in the given state; returns its name. */
  public String create(String prefix, FenceState state, List<String> cidrs) {
    NetworkFence fence = new NetworkFence();
    fence.getMetadata().setName(Names.unique(prefix));
    NetworkFenceSpec spec = new NetworkFenceSpec();
    spec.setNetworkFenceClassName(classes.networkFenceClass());
    spec.setFenceState(state);
    spec.setCidrs(cidrs);
    fence.setSpec(spec);
    String name = cluster.create(fence).getMetadata().getName();
    cluster.onCleanup("unfence NetworkFence " + name, () -> unfenceIfFenced(name));
    return name;
  }

  public void setState(String name, FenceState state) {
    SpecPatch.set(resource(name), "fenceState", state.getValue());
  }

  public void delete(String name) {
    resource(name).delete();
  }

  public FenceStatus observe(String name) {
    return new FenceStatus(resource(name).get());
  }

  /** Result Succeeded with "fencing operation successful". */
  public FenceStatus awaitFenced(String name) {
    return await(name, "reports Succeeded: \"" + FenceStatus.FENCED_MESSAGE + "\"", TimeoutOperation.FENCE,
        f -> f.exists() && FenceState.FENCED == f.fence().getSpec().getFenceState()
            && f.succeededWith(FenceStatus.FENCED_MESSAGE));
  }

  /** Result Succeeded with "unfencing operation successful". */
  public FenceStatus awaitUnfenced(String name) {
    return await(name, "reports Succeeded: \"" + FenceStatus.UNFENCED_MESSAGE + "\"", TimeoutOperation.UNFENCE,
        f -> f.exists() && FenceState.UNFENCED == f.fence().getSpec().getFenceState()
            && f.succeededWith(FenceStatus.UNFENCED_MESSAGE));
  }

  public FenceStatus await(String name, String condition, TimeoutOperation limit,
      Predicate<FenceStatus> done) {
    return waits.until(describe(name) + " " + condition, limit, () -> observe(name), done);
  }

  public String describe(String name) {
    return "NetworkFence " + cluster.site() + "/" + name;
  }

  private void unfenceIfFenced(String name) {
    FenceStatus seen = observe(name);
    if (seen.exists() && seen.fence().getMetadata().getDeletionTimestamp() == null
        && seen.fence().getSpec().getFenceState() != FenceState.UNFENCED) {
      setState(name, FenceState.UNFENCED);
      awaitUnfenced(name);
    }
  }

  private Resource<NetworkFence> resource(String name) {
    return cluster.client().resources(NetworkFence.class).withName(name);
  }
}
