package dev.replcert.lab.substrate.csiaddons;

import static dev.replcert.lab.substrate.csiaddons.CsiAddonsLab.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.ReplicationDestination.VolumeGroupDestination;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.volumegroup.ControllerGetVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ControllerGrpc;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupRequest;
import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.lab.substrate.csiaddons.CsiAddonsLab.Cluster;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.grpc.StatusRuntimeException;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClassSpec;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentstatus.PersistentVolumeMappingList;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationspec.Source;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationstatus.PersistentVolumeClaimsRefList;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VolumeGroupReplication on the lab's east cluster: membership by a set-based label selector
 * (evaluated in Java), the content's handles and the driver's group follow relabelling, and the
 * group's VR replicates with replication_source.volumegroup.
 */
class VolumeGroupReplicationControllerTest {

  /** Group created, promoted and its membership changed: a promote's budget. */
  static final Duration GROUP = VolumeReplicationControllerTest.PROMOTE;

  static final Duration POLL = VolumeReplicationControllerTest.POLL;

  CsiAddonsLab lab;

  @BeforeEach
  void start() {
    lab = CsiAddonsLab.start();
  }

  @AfterEach
  void stop() {
    lab.close();
  }

  @Test
  void theGroupHoldsTheLabelledPvcsAndFollowsRelabelling() {
    Cluster east = lab.east();
    Map<String, String> handles = groupOfAAndB(east);
    String uid = get(east, "db").getMetadata().getUid();

    awaitMembers(east, "db", List.of("a", "b"), List.of(handles.get("a"), handles.get("b")));
    await("VolumeGroupReplication db Primary")
        .atMost(GROUP)
        .pollInterval(POLL)
        .untilAsserted(
            () -> assertThat(get(east, "db").getStatus().getState()).isEqualTo("Primary"));
    VolumeReplication vr =
        east.client()
            .resources(VolumeReplication.class)
            .inNamespace(NAMESPACE)
            .withName("vr-" + uid)
            .get();
    assertThat(vr.getSpec().getDataSource().getKind()).isEqualTo("VolumeGroupReplication");
    assertThat(vr.getSpec().getDataSource().getName()).isEqualTo("db");
    assertThat(east.sent(EnableVolumeReplicationRequest.class))
        .allSatisfy(r -> assertThat(r.getReplicationSource().hasVolumegroup()).isTrue())
        .isNotEmpty();
    assertThat(finalizers(east, "a")).contains(CsiAddons.VGR_PROTECTION_FINALIZER);
    assertThat(finalizers(east, "c")).doesNotContain(CsiAddons.VGR_PROTECTION_FINALIZER);

    relabel(east, "c", "db");
    awaitMembers(
        east,
        "db",
        List.of("a", "b", "c"),
        List.of(handles.get("a"), handles.get("b"), handles.get("c")));
    assertThat(finalizers(east, "c")).contains(CsiAddons.VGR_PROTECTION_FINALIZER);

    relabel(east, "a", "other");
    awaitMembers(east, "db", List.of("b", "c"), List.of(handles.get("b"), handles.get("c")));
    assertThat(finalizers(east, "a")).doesNotContain(CsiAddons.VGR_PROTECTION_FINALIZER);
  }

  @Test
  void aPrimaryGroupMapsEachMemberToTheDestinationTheDriverAnswers() {
    Cluster east = lab.east();
    Map<String, String> handles = groupOfAAndB(east);
    awaitMembers(east, "db", List.of("a", "b"), List.of(handles.get("a"), handles.get("b")));

    awaitDestinations(east, "db", List.of(handles.get("a"), handles.get("b")));
    assertThat(east.sent(GetReplicationDestinationInfoRequest.class))
        .allSatisfy(r -> assertThat(r.getReplicationSource().hasVolumegroup()).isTrue());

    // a new member keeps the others' destinations and gets its own
    relabel(east, "c", "db");
    awaitDestinations(east, "db", List.copyOf(handles.values()));
  }

  /**
   * PVCs a and b labelled {@code app=db}, c {@code app=other}, each on its own volume, and the
   * primary group db of {@code app in (db)}; the volume handle of each PVC.
   */
  private Map<String, String> groupOfAAndB(Cluster cluster) {
    Map<String, String> handles = new LinkedHashMap<>();
    for (String pvc : List.of("a", "b", "c")) {
      String volume = lab.createVolume(cluster, "db-" + pvc);
      handles.put(pvc, volume);
      lab.bind(cluster, pvc, volume, Map.of("app", pvc.equals("c") ? "other" : "db"));
    }
    lab.replicationClass(cluster, "vrc-1m", Map.of());
    groupClass(cluster);
    group(cluster, "db");
    return handles;
  }

  /**
   * The group's content maps exactly {@code volumes} to what the driver itself answers for the
   * group, and the group reports DestinationInfoAvailable.
   */
  private void awaitDestinations(Cluster cluster, String name, List<String> volumes) {
    await("VolumeGroupReplication " + name + " destinations of " + volumes)
        .atMost(GROUP)
        .pollInterval(POLL)
        // the driver refuses while a member is not replicated yet (just added, or not promoted)
        .ignoreException(StatusRuntimeException.class)
        .untilAsserted(
            () -> {
              VolumeGroupReplication vgr = get(cluster, name);
              VolumeGroupReplicationContent content = contentWithStatus(cluster, vgr);
              VolumeGroupDestination answered =
                  destinationOf(cluster, content.getSpec().getVolumeGroupReplicationHandle());
              assertThat(answered.getVolumeIdsMap()).containsOnlyKeys(volumes);
              assertThat(content.getStatus().getDestinationVolumeGroupID())
                  .isNotBlank()
                  .isEqualTo(answered.getVolumeGroupId());
              assertThat(content.getStatus().getPersistentVolumeMappingList())
                  .extracting(
                      PersistentVolumeMappingList::getVolumeHandle,
                      PersistentVolumeMappingList::getDestinationVolumeHandle)
                  .containsExactlyInAnyOrderElementsOf(
                      answered.getVolumeIdsMap().entrySet().stream()
                          .map(e -> org.assertj.core.groups.Tuple.tuple(e.getKey(), e.getValue()))
                          .toList());
              assertThat(vgr.getStatus().getConditions())
                  .extracting(VolumeReplicationControllerTest::describe)
                  .contains(VolumeReplicationControllerTest.DESTINATION_UPDATED);
            });
  }

  /** What the site's driver itself answers GetReplicationDestinationInfo for a group. */
  private static VolumeGroupDestination destinationOf(Cluster cluster, String groupId) {
    return dev.replcert.api.csiaddons.replication.ControllerGrpc.newBlockingStub(
            cluster.driver().addons())
        .withDeadlineAfter(CsiAddonsLab.RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .getReplicationDestinationInfo(
            GetReplicationDestinationInfoRequest.newBuilder()
                .setReplicationSource(
                    ReplicationSource.newBuilder()
                        .setVolumegroup(
                            ReplicationSource.VolumeGroupSource.newBuilder()
                                .setVolumeGroupId(groupId)))
                .putAllSecrets(cluster.driver().secrets())
                .build())
        .getReplicationDestination()
        .getVolumegroup();
  }

  @Test
  void deletingTheGroupDisablesReplicationDeletesTheGroupAndReleasesThePvcs() {
    Cluster east = lab.east();
    List<String> volumes = new java.util.ArrayList<>();
    for (String pvc : List.of("a", "b")) {
      String volume = lab.createVolume(east, "db-" + pvc);
      volumes.add(volume);
      lab.bind(east, pvc, volume, Map.of("app", "db"));
    }
    lab.replicationClass(east, "vrc-1m", Map.of());
    groupClass(east);
    group(east, "db");
    awaitMembers(east, "db", List.of("a", "b"), volumes);
    await("VolumeGroupReplication db Primary")
        .atMost(GROUP)
        .pollInterval(POLL)
        .untilAsserted(
            () -> assertThat(get(east, "db").getStatus().getState()).isEqualTo("Primary"));
    String contentName = get(east, "db").getSpec().getVolumeGroupReplicationContentName();
    String groupId =
        east.client()
            .resources(VolumeGroupReplicationContent.class)
            .withName(contentName)
            .get()
            .getSpec()
            .getVolumeGroupReplicationHandle();

    east.client()
        .resources(VolumeGroupReplication.class)
        .inNamespace(NAMESPACE)
        .withName("db")
        .delete();

    await("VolumeGroupReplication db, its VR and its content gone")
        .atMost(GROUP)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(get(east, "db")).isNull();
              assertThat(
                      east.client()
                          .resources(VolumeReplication.class)
                          .inNamespace(NAMESPACE)
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      east.client()
                          .resources(VolumeGroupReplicationContent.class)
                          .list()
                          .getItems())
                  .isEmpty();
            });
    assertThat(east.sent(DisableVolumeReplicationRequest.class))
        .extracting(r -> r.getReplicationSource().getVolumegroup().getVolumeGroupId())
        .containsExactly(groupId);
    assertThat(east.sent(DeleteVolumeGroupRequest.class))
        .extracting(DeleteVolumeGroupRequest::getVolumeGroupId)
        .containsExactly(groupId);
    assertThat(finalizers(east, "a")).doesNotContain(CsiAddons.VGR_PROTECTION_FINALIZER);
    assertThat(finalizers(east, "b")).doesNotContain(CsiAddons.VGR_PROTECTION_FINALIZER);
  }

  private void awaitMembers(Cluster cluster, String name, List<String> pvcs, List<String> volumes) {
    await("VolumeGroupReplication " + name + " members " + pvcs)
        .atMost(GROUP)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              VolumeGroupReplication vgr = get(cluster, name);
              assertThat(vgr.getStatus()).isNotNull();
              assertThat(vgr.getStatus().getPersistentVolumeClaimsRefList())
                  .extracting(PersistentVolumeClaimsRefList::getName)
                  .containsExactlyElementsOf(pvcs);
              VolumeGroupReplicationContent content = contentWithStatus(cluster, vgr);
              assertThat(content.getSpec().getSource().getVolumeHandles())
                  .containsExactlyElementsOf(volumes);
              assertThat(content.getStatus().getPersistentVolumeMappingList())
                  .extracting(
                      PersistentVolumeMappingList::getVolumeHandle,
                      PersistentVolumeMappingList::getName)
                  .containsExactlyElementsOf(
                      pvcs.stream()
                          .map(
                              p ->
                                  org.assertj.core.groups.Tuple.tuple(
                                      volumes.get(pvcs.indexOf(p)), "pv-" + p))
                          .toList());
              String groupId = content.getSpec().getVolumeGroupReplicationHandle();
              assertThat(groupId).isNotBlank();
              assertThat(
                      ControllerGrpc.newBlockingStub(cluster.driver().addons())
                          .withDeadlineAfter(
                              CsiAddonsLab.RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                          .controllerGetVolumeGroup(
                              ControllerGetVolumeGroupRequest.newBuilder()
                                  .setVolumeGroupId(groupId)
                                  .putAllSecrets(cluster.driver().secrets())
                                  .build())
                          .getVolumeGroup()
                          .getVolumesList())
                  .extracting(v -> v.getVolumeId())
                  .containsExactlyInAnyOrderElementsOf(volumes);
            });
  }

  /** The group's content, asserted to exist and to have a status. */
  private static VolumeGroupReplicationContent contentWithStatus(
      Cluster cluster, VolumeGroupReplication vgr) {
    VolumeGroupReplicationContent content =
        cluster
            .client()
            .resources(VolumeGroupReplicationContent.class)
            .withName(vgr.getSpec().getVolumeGroupReplicationContentName())
            .get();
    assertThat(content)
        .as("VolumeGroupReplicationContent of " + vgr.getMetadata().getName())
        .isNotNull();
    assertThat(content.getStatus()).as("content status").isNotNull();
    return content;
  }

  private static VolumeGroupReplication get(Cluster cluster, String name) {
    return cluster
        .client()
        .resources(VolumeGroupReplication.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .get();
  }

  private static List<String> finalizers(Cluster cluster, String pvc) {
    PersistentVolumeClaim claim =
        cluster.client().persistentVolumeClaims().inNamespace(NAMESPACE).withName(pvc).get();
    return claim.getMetadata().getFinalizers();
  }

  private static void relabel(Cluster cluster, String pvc, String app) {
    cluster
        .client()
        .persistentVolumeClaims()
        .inNamespace(NAMESPACE)
        .withName(pvc)
        .edit(
            p -> {
              p.getMetadata().getLabels().put("app", app);
              return p;
            });
  }

  private static void groupClass(Cluster cluster) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("schedulingInterval", "1m");
    if (!cluster.driver().secrets().isEmpty()) {
      parameters.put("replication.storage.openshift.io/group-replication-secret-name", "driver");
      parameters.put(
          "replication.storage.openshift.io/group-replication-secret-namespace",
          CsiAddonsLab.SECRET_NAMESPACE);
    }
    VolumeGroupReplicationClass vgrc = new VolumeGroupReplicationClass();
    vgrc.getMetadata().setName("vgrc");
    VolumeGroupReplicationClassSpec spec = new VolumeGroupReplicationClassSpec();
    spec.setProvisioner(CsiAddonsLab.DRIVER);
    spec.setParameters(parameters);
    vgrc.setSpec(spec);
    cluster.client().resource(vgrc).create();
  }

  /**
   * A primary group of the PVCs with {@code app in (db)}: a set-based selector the mock ignores.
   */
  private static VolumeGroupReplication group(Cluster cluster, String name) {
    VolumeGroupReplication vgr = new VolumeGroupReplication();
    vgr.getMetadata().setName(name);
    vgr.getMetadata().setNamespace(NAMESPACE);
    VolumeGroupReplicationSpec spec = new VolumeGroupReplicationSpec();
    spec.setVolumeGroupReplicationClassName("vgrc");
    spec.setVolumeReplicationClassName("vrc-1m");
    spec.setReplicationState(VolumeGroupReplicationSpec.ReplicationState.PRIMARY);
    spec.setAutoResync(false);
    Source source = new Source();
    source.setSelector(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("In")
            .withValues("db")
            .endMatchExpression()
            .build());
    spec.setSource(source);
    vgr.setSpec(spec);
    return cluster.client().resource(vgr).create();
  }
}
