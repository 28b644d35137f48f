package dev.replcert.orchestrator.vrg;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Async;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationClassesTest {

  private static final StorageClass SC =
      new StorageClassBuilder()
          .withNewMetadata()
          .withName("sc")
          .endMetadata()
          .withProvisioner("csi.a")
          .build();

  @Test
  void labelsProvisionerAndIntervalMustAllMatch() {
    List<VolumeReplicationClass> classes =
        List.of(
            vrc("wrong-label", "csi.a", "1m", "other", false),
            vrc("wrong-driver", "csi.b", "1m", "dr", false),
            vrc("wrong-interval", "csi.a", "5m", "dr", false),
            vrc("right", "csi.a", "1m", "dr", false));
    assertThat(ReplicationClasses.choose(vrg(), SC, classes).vrc().getMetadata().getName())
        .isEqualTo("right");
  }

  @Test
  void severalMatchingNeedExactlyOneDefault() {
    var two = List.of(vrc("a", "csi.a", "1m", "dr", false), vrc("b", "csi.a", "1m", "dr", false));
    assertThat(ReplicationClasses.choose(vrg(), SC, two).vrc()).isNull();
    assertThat(ReplicationClasses.choose(vrg(), SC, two).problem())
        .contains("0 of them are annotated");
    var oneDefault =
        List.of(vrc("a", "csi.a", "1m", "dr", false), vrc("b", "csi.a", "1m", "dr", true));
    assertThat(ReplicationClasses.choose(vrg(), SC, oneDefault).vrc().getMetadata().getName())
        .isEqualTo("b");
  }

  @Test
  void noneMatchingSaysWhatWasLookedFor() {
    var choice =
        ReplicationClasses.choose(vrg(), SC, List.of(vrc("a", "csi.b", "1m", "dr", false)));
    assertThat(choice.vrc()).isNull();
    assertThat(choice.problem()).contains("csi.a").contains("1m");
  }

  private static VolumeReplicationGroup vrg() {
    VolumeReplicationGroup vrg = new VolumeReplicationGroup();
    VolumeReplicationGroupSpec spec = new VolumeReplicationGroupSpec();
    Async async = new Async();
    async.setSchedulingInterval("1m");
    async.setReplicationClassSelector(
        new LabelSelectorBuilder().addToMatchLabels("class", "dr").build());
    spec.setAsync(async);
    vrg.setSpec(spec);
    return vrg;
  }

  private static VolumeReplicationClass vrc(
      String name, String provisioner, String interval, String label, boolean isDefault) {
    VolumeReplicationClass vrc = new VolumeReplicationClass();
    vrc.getMetadata().setName(name);
    vrc.getMetadata().setLabels(Map.of("class", label));
    if (isDefault) {
      vrc.getMetadata().setAnnotations(Map.of(VrgNames.DEFAULT_VRC_ANNOTATION, "true"));
    }
    VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
    spec.setProvisioner(provisioner);
    spec.setParameters(Map.of(VrgNames.SCHEDULING_INTERVAL_PARAMETER, interval));
    vrc.setSpec(spec);
    return vrc;
  }
}
