package dev.replcert.lab.substrate;

import static dev.replcert.lab.substrate.SubstrateFixture.DELETE_CLASS;
import static dev.replcert.lab.substrate.SubstrateFixture.NS;
import static dev.replcert.lab.substrate.SubstrateFixture.RETAIN_CLASS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.refdriver.DriverOptions;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lab's provisioner and PV controller against a real reference driver site. */
class ProvisionerTest {

  private SubstrateFixture lab;

  @BeforeEach
  void start() {
    lab = new SubstrateFixture();
  }

  @AfterEach
  void stop() {
    lab.close();
  }

  @Test
  void blockClaimGetsAVolumeOfTheDriverAndBothAreBound() {
    lab.claim("data", DELETE_CLASS, "Block", "8Mi");

    PersistentVolumeClaim pvc = lab.awaitBound("data");

    PersistentVolume pv =
        lab.client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    assertThat(pv.getMetadata().getName()).isEqualTo("pvc-" + pvc.getMetadata().getUid());
    assertThat(pv.getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/provisioned-by", DriverOptions.DRIVER_NAME);
    assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo(DriverOptions.DRIVER_NAME);
    assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Block");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo(DELETE_CLASS);
    assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(pvc.getMetadata().getUid());
    assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(pvc.getMetadata().getFinalizers()).contains("kubernetes.io/pvc-protection");
    assertThat(pvc.getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/bind-completed", "yes");
    assertThat(Quantity.getAmountInBytes(pvc.getStatus().getCapacity().get("storage")).longValue())
        .isEqualTo(8L << 20);
    assertThat(lab.driverVolume(pv.getSpec().getCsi().getVolumeHandle()))
        .hasValueSatisfying(v -> assertThat(v.capacityBytes()).isEqualTo(8L << 20));
  }

  @Test
  void filesystemClaimGetsAFilesystemVolume() {
    lab.claim("files", DELETE_CLASS, "Filesystem", "4Mi");

    PersistentVolumeClaim pvc = lab.awaitBound("files");

    PersistentVolume pv =
        lab.client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Filesystem");
    assertThat(pv.getSpec().getCsi().getFsType()).isEqualTo("ext4");
  }

  @Test
  void deletingAClaimOfADeleteClassDeletesTheDriverVolumeAndThePv() {
    PersistentVolume pv = volumeOf(lab.claim("gone", DELETE_CLASS, "Block", "1Mi"));
    String volumeId = pv.getSpec().getCsi().getVolumeHandle();

    lab.client.persistentVolumeClaims().inNamespace(NS).withName("gone").delete();

    lab.wait("PV " + pv.getMetadata().getName() + " deleted", TimeoutOperation.CLEANUP)
        .until(
            () ->
                lab.client.persistentVolumes().withName(pv.getMetadata().getName()).get() == null);
    assertThat(lab.pvc("gone")).isNull();
    assertThat(lab.driverVolume(volumeId)).as("DeleteVolume reached the driver").isEmpty();
  }

  @Test
  void deletingAClaimOfARetainClassLeavesTheVolumeReleased() {
    PersistentVolume pv = volumeOf(lab.claim("kept", RETAIN_CLASS, "Block", "1Mi"));

    lab.client.persistentVolumeClaims().inNamespace(NS).withName("kept").delete();

    lab.wait("PV " + pv.getMetadata().getName() + " Released", TimeoutOperation.CLEANUP)
        .until(
            () ->
                lab.client
                    .persistentVolumes()
                    .withName(pv.getMetadata().getName())
                    .get()
                    .getStatus()
                    .getPhase(),
            "Released"::equals);
    assertThat(lab.pvc("kept")).isNull();
    assertThat(lab.driverVolume(pv.getSpec().getCsi().getVolumeHandle())).isPresent();
  }

  @Test
  void aClaimInUseByAPodStaysUntilThePodIsGone() {
    PersistentVolume pv = volumeOf(lab.claim("used", DELETE_CLASS, "Block", "1Mi"));
    lab.client.pods().inNamespace(NS).resource(app("user", "used")).create();
    lab.wait("pod user Running", TimeoutOperation.POD_START)
        .until(
            () -> lab.client.pods().inNamespace(NS).withName("user").get(),
            p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));

    lab.client.persistentVolumeClaims().inNamespace(NS).withName("used").delete();

    lab.wait("PVC used terminating", TimeoutOperation.VOLUME_PROVISION)
        .until(() -> lab.pvc("used").getMetadata().getDeletionTimestamp() != null);
    assertThat(lab.pvc("used").getMetadata().getFinalizers())
        .containsExactly("kubernetes.io/pvc-protection");
    assertThat(
            lab.client
                .persistentVolumes()
                .withName(pv.getMetadata().getName())
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Bound");

    lab.client.pods().inNamespace(NS).withName("user").delete();

    lab.wait("PVC used gone after its pod", TimeoutOperation.CLEANUP)
        .until(() -> lab.pvc("used") == null);
    lab.wait("PV of used deleted", TimeoutOperation.CLEANUP)
        .until(
            () ->
                lab.client.persistentVolumes().withName(pv.getMetadata().getName()).get() == null);
    assertThat(lab.driverVolume(pv.getSpec().getCsi().getVolumeHandle())).isEmpty();
  }

  @Test
  void aPvRestoredWithAClaimRefBindsItsClaimWithoutANewVolume() {
    // what DR does: the PV comes back from S3 with a claimRef naming the claim (no uid), Retain
    PersistentVolume original = volumeOf(lab.claim("old", RETAIN_CLASS, "Block", "2Mi"));
    lab.client.persistentVolumeClaims().inNamespace(NS).withName("old").delete();
    lab.wait("PV Released", TimeoutOperation.CLEANUP)
        .until(
            () ->
                lab.client
                    .persistentVolumes()
                    .withName(original.getMetadata().getName())
                    .get()
                    .getStatus()
                    .getPhase(),
            "Released"::equals);
    lab.client.persistentVolumes().withName(original.getMetadata().getName()).delete();
    int volumes = lab.site.site().listVolumes().size();
    lab.client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder(original)
                .editMetadata()
                .withResourceVersion(null)
                .withUid(null)
                .withCreationTimestamp(null)
                .endMetadata()
                .editSpec()
                .editClaimRef()
                .withName("restored")
                .withUid(null)
                .withResourceVersion(null)
                .endClaimRef()
                .endSpec()
                .withStatus(null)
                .build())
        .create();

    lab.client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("restored")
                .endMetadata()
                .withNewSpec()
                .withStorageClassName(RETAIN_CLASS)
                .withVolumeMode("Block")
                .withAccessModes("ReadWriteOnce")
                .withVolumeName(original.getMetadata().getName())
                .withNewResources()
                .addToRequests("storage", new Quantity("2Mi"))
                .endResources()
                .endSpec()
                .build())
        .create();

    PersistentVolumeClaim pvc = lab.awaitBound("restored");
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo(original.getMetadata().getName());
    PersistentVolume pv =
        lab.client.persistentVolumes().withName(original.getMetadata().getName()).get();
    assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(pvc.getMetadata().getUid());
    assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(lab.site.site().listVolumes())
        .as("no CreateVolume for a restored PV")
        .hasSize(volumes);
  }

  @Test
  void aClaimNamingAnAvailablePvBindsToIt() {
    PersistentVolume original = volumeOf(lab.claim("first", RETAIN_CLASS, "Block", "2Mi"));
    lab.client.persistentVolumeClaims().inNamespace(NS).withName("first").delete();
    lab.wait("PV Released", TimeoutOperation.CLEANUP)
        .until(
            () ->
                lab.client
                    .persistentVolumes()
                    .withName(original.getMetadata().getName())
                    .get()
                    .getStatus()
                    .getPhase(),
            "Released"::equals);
    // an administrator makes the retained volume available again
    lab.client
        .persistentVolumes()
        .withName(original.getMetadata().getName())
        .edit(p -> new PersistentVolumeBuilder(p).editSpec().withClaimRef(null).endSpec().build());
    lab.wait("PV Available", TimeoutOperation.CLEANUP)
        .until(
            () ->
                lab.client
                    .persistentVolumes()
                    .withName(original.getMetadata().getName())
                    .get()
                    .getStatus()
                    .getPhase(),
            "Available"::equals);

    lab.client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("second")
                .endMetadata()
                .withNewSpec()
                .withVolumeMode("Block")
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName("")
                .withVolumeName(original.getMetadata().getName())
                .withNewResources()
                .addToRequests("storage", new Quantity("2Mi"))
                .endResources()
                .endSpec()
                .build())
        .create();

    PersistentVolumeClaim pvc = lab.awaitBound("second");
    assertThat(
            lab.client
                .persistentVolumes()
                .withName(original.getMetadata().getName())
                .get()
                .getSpec()
                .getClaimRef()
                .getUid())
        .isEqualTo(pvc.getMetadata().getUid());
  }

  @Test
  void aClaimOfAnotherProvisionerStaysPending() {
    lab.claim("foreign", "no-such-class", "Block", "1Mi");

    lab.wait("PVC foreign Pending", TimeoutOperation.VOLUME_PROVISION)
        .until(
            () -> lab.pvc("foreign").getStatus(), s -> s != null && "Pending".equals(s.getPhase()));
    assertThat(lab.pvc("foreign").getSpec().getVolumeName()).isNull();
    assertThat(lab.client.persistentVolumes().list().getItems()).isEmpty();
  }

  @Test
  void aClaimWithoutAClassGetsTheDefaultClass() {
    lab.client
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName("standard")
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
                .endMetadata()
                .withProvisioner(DriverOptions.DRIVER_NAME)
                .build())
        .create();

    lab.claim("plain", null, "Block", "1Mi");

    PersistentVolumeClaim pvc = lab.awaitBound("plain");
    PersistentVolume pv =
        lab.client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("standard");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
  }

  @Test
  void aRestartedProvisionerBindsWhatWasCreatedWhileItWasDown() {
    lab.stopSubstrate();
    lab.claim("meanwhile", DELETE_CLASS, "Block", "1Mi");

    lab.startSubstrate();

    PersistentVolumeClaim pvc = lab.awaitBound("meanwhile");
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("pvc-" + pvc.getMetadata().getUid());
  }

  private PersistentVolume volumeOf(PersistentVolumeClaim claim) {
    PersistentVolumeClaim pvc = lab.awaitBound(claim.getMetadata().getName());
    return lab.client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
  }

  static Pod app(String name, String claim) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .addNewVolumeDevice()
        .withName("data")
        .withDevicePath("/dev/data")
        .endVolumeDevice()
        .endContainer()
        .addNewVolume()
        .withName("data")
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .build();
  }
}
