package dev.replcert.layer2.fencing;

import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.SecretRef;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.ManagedSite;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DRCluster's {@code spec.clusterFence} as a DR admin sets it on the hub, and what Ramen makes
 * of it: a ManifestWork in the peer's hub namespace (labelled with the fenced DRCluster's name)
 * carrying NetworkFence {@code network-fence-[<class>-]<cluster>}, which the peer's csi-addons
 * turns into the driver's Fence RPCs. A fenced cluster is unfenced at the test's cleanup (deleting
 * a fence's work does not unfence the driver) before the DRCluster goes.
 *
 * <p>An orchestrator without a NetworkFenceClass for the peer takes the driver, its secret and
 * cluster id from the DRCluster's {@code drcluster.ramendr.openshift.io/storage-*} annotations
 * (Ramen's fallback); they are set from cert.yaml's driver when the DRCluster has none.
 */
final class DrClusterFence {

  static final String LABEL = "drcluster.ramendr.openshift.io/drcluster-name";
  private static final String ANNOTATION = "drcluster.ramendr.openshift.io/storage-";

  private final DrFixture dr;
  private final ManagedSite fenced;
  private final ManagedSite peer;

  DrClusterFence(DrFixture dr, ManagedSite fenced) {
    this.dr = dr;
    this.fenced = fenced;
    this.peer = dr.peer(fenced);
    annotateStorage();
    dr.tracker().track("unfence DRCluster " + fenced.name(), this::unfenceLeftFenced);
  }

  ManagedSite fenced() {
    return fenced;
  }

  ManagedSite peer() {
    return peer;
  }

  /** Sets {@code spec.clusterFence}; returns when it was written. */
  Instant set(Ramen.ClusterFence state) {
    drCluster().edit(c -> {
      c.getSpec().setClusterFence(java.util.Arrays.stream(DRClusterSpec.ClusterFence.values())
          .filter(v -> v.getValue().equals(state.wire())).findFirst().orElseThrow());
      return c;
    });
    return Instant.now();
  }

  DRCluster cluster() {
    return drCluster().get();
  }

  /** The fence's ManifestWork in the peer's hub namespace, if any. */
  Optional<ManifestWork> work() {
    return dr.hub().client().resources(ManifestWork.class).inNamespace(peer.name()).withLabel(LABEL, fenced.name())
        .list().getItems().stream().findFirst();
  }

  /** The NetworkFence the work carries. */
  Optional<NetworkFence> delivered(ManifestWork work) {
    return work.getSpec().getWorkload().getManifests().stream().filter(m -> "NetworkFence".equals(m.getKind()))
        .findFirst().map(m -> dr.hub().client().getKubernetesSerialization().convertValue(m, NetworkFence.class));
  }

  /** The NetworkFence of that name on the peer cluster, or null. */
  NetworkFence onPeer(String name) {
    return peer.client().resources(NetworkFence.class).withName(name).get();
  }

  /** The DRCluster's condition of that type, or null. */
  Condition condition(Ramen.DrClusterCondition type) {
    DRCluster c = cluster();
    return c == null || c.getStatus() == null || c.getStatus().getConditions() == null ? null
        : c.getStatus().getConditions().stream().filter(x -> type.wire().equals(x.getType())).findFirst()
            .orElse(null);
  }

  String phase() {
    DRCluster c = cluster();
    return c == null || c.getStatus() == null ? null : c.getStatus().getPhase();
  }

  /** One line: the DRCluster's fence, phase and conditions, the work and the fence on the peer. */
  String describe() {
    DRCluster c = cluster();
    StringBuilder text = new StringBuilder("DRCluster ").append(fenced.name());
    if (c == null) {
      return text.append(" absent").toString();
    }
    text.append(" clusterFence ").append(c.getSpec().getClusterFence()).append(" cidrs ")
        .append(c.getSpec().getCidrs()).append(" phase ").append(phase()).append(" conditions ")
        .append(c.getStatus() == null || c.getStatus().getConditions() == null ? "[]"
            : c.getStatus().getConditions().stream()
                .map(x -> x.getType() + "=" + x.getStatus() + "/" + x.getReason()).toList());
    Optional<ManifestWork> work = work();
    text.append("; work ").append(work.map(w -> w.getMetadata().getNamespace() + "/" + w.getMetadata().getName())
        .orElse("none"));
    work.flatMap(this::delivered).ifPresent(nf -> text.append(" carrying ").append(nf.getMetadata().getName())
        .append(' ').append(nf.getSpec().getFenceState()).append(' ').append(nf.getSpec().getCidrs())
        .append("; on ").append(peer.name()).append(": ").append(FenceHistory.line(onPeer(nf.getMetadata().getName()))));
    return text.toString();
  }

  /** The cleanup: a cluster still fenced is unfenced and its fence cleaned before anything else goes. */
  private void unfenceLeftFenced() {
    DRCluster c = cluster();
    if (c == null || c.getSpec().getClusterFence() == null
        || !Ramen.ClusterFence.FENCED.wire().equals(c.getSpec().getClusterFence().getValue())) {
      return;
    }
    set(Ramen.ClusterFence.UNFENCED);
    dr.waits().until("DRCluster " + fenced.name() + " unfenced and clean (test cleanup)", TimeoutOperation.UNFENCE,
        this::describe, s -> {
          Condition clean = condition(Ramen.DrClusterCondition.CLEAN);
          return clean != null && "True".equals(clean.getStatus()) && work().isEmpty();
        });
  }

  private void annotateStorage() {
    DRCluster c = cluster();
    Map<String, String> have = c.getMetadata().getAnnotations() == null ? Map.of() : c.getMetadata().getAnnotations();
    if (have.keySet().stream().anyMatch(k -> k.startsWith(ANNOTATION))) {
      return;
    }
    Map<String, String> add = new LinkedHashMap<>();
    add.put(ANNOTATION + "driver", dr.config().driver().name());
    secretOnPeer().ifPresent(ref -> {
      add.put(ANNOTATION + "secret-name", ref.name());
      add.put(ANNOTATION + "secret-namespace", ref.namespace());
    });
    drCluster().edit(x -> {
      x.getMetadata().setAnnotations(new LinkedHashMap<>(have));
      x.getMetadata().getAnnotations().putAll(add);
      return x;
    });
    // a DRCluster the hub already had is left as it was found
    dr.tracker().track("remove the storage annotations from DRCluster " + fenced.name(), () -> {
      if (cluster() != null) {
        drCluster().edit(x -> {
          add.keySet().forEach(x.getMetadata().getAnnotations()::remove);
          return x;
        });
      }
    });
  }

  /** The driver's secret as the peer's csi-addons reads it: cert.yaml's reference, or one made here. */
  private Optional<SecretRef> secretOnPeer() {
    SecretRef ref = dr.config().driver().secretRef();
    if (ref != null || dr.config().driver().secrets().isEmpty()) {
      return Optional.ofNullable(ref);
    }
    Map<String, String> data = new LinkedHashMap<>();
    dr.config().driver().secrets().forEach((k, v) -> data.put(k, v.reveal()));
    String name = peer.resources().create(new SecretBuilder()
            .withMetadata(new ObjectMetaBuilder().withName(Names.unique("fence-secret"))
                .withNamespace(dr.namespace()).build())
            .withStringData(data).build())
        .getMetadata().getName();
    return Optional.of(new SecretRef(name, dr.namespace()));
  }

  private Resource<DRCluster> drCluster() {
    return dr.hub().client().resources(DRCluster.class).withName(fenced.name());
  }

  static boolean isCondition(Condition c, String status) {
    return c != null && status.equals(c.getStatus());
  }

  static List<String> cidrs(NetworkFence nf) {
    return nf == null || nf.getSpec() == null || nf.getSpec().getCidrs() == null ? List.of() : nf.getSpec().getCidrs();
  }

  static String fenceState(NetworkFence nf) {
    return nf == null || nf.getSpec() == null || nf.getSpec().getFenceState() == null ? null
        : nf.getSpec().getFenceState().getValue();
  }

  static String result(NetworkFence nf) {
    return nf == null || nf.getStatus() == null || nf.getStatus().getResult() == null ? null
        : nf.getStatus().getResult().getValue();
  }

  static boolean succeeded(NetworkFence nf, CsiAddons.FenceState state) {
    return state.wire().equals(fenceState(nf)) && "Succeeded".equals(result(nf));
  }
}
