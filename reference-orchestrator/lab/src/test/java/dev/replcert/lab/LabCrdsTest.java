package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRDs from the classpath index, registered so that the status subresource behaves. */
class LabCrdsTest {

  private static final ResourceDefinitionContext VR =
      new ResourceDefinitionContext.Builder()
          .withGroup("replication.storage.openshift.io")
          .withVersion("v1alpha1")
          .withKind("VolumeReplication")
          .withPlural("volumereplications")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext VRC =
      new ResourceDefinitionContext.Builder()
          .withGroup("replication.storage.openshift.io")
          .withVersion("v1alpha1")
          .withKind("VolumeReplicationClass")
          .withPlural("volumereplicationclasses")
          .withNamespaced(false)
          .build();

  private static LabApiServer cluster;

  @BeforeAll
  static void startCluster() {
    cluster = LabApiServer.start("crds");
    LabCrds.fromClasspath(LabCrdsTest.class.getClassLoader()).registerIn(cluster.client());
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void everyListedCrdIsRegistered() {
    assertThat(cluster.client().apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(crd -> crd.getMetadata().getName())
        .contains(
            "volumereplications.replication.storage.openshift.io",
            "volumereplicationclasses.replication.storage.openshift.io");
  }

  @Test
  void statusIsDroppedOnCreateAndWrittenThroughTheStatusSubresource() {
    KubernetesClient client = cluster.client();
    GenericKubernetesResource vr =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("replication.storage.openshift.io/v1alpha1")
            .withKind("VolumeReplication")
            .withNewMetadata().withName("vr-1").withNamespace("app").endMetadata()
            .addToAdditionalProperties("spec", Map.of("replicationState", "primary", "volumeReplicationClass", "vrc"))
            .addToAdditionalProperties("status", Map.of("state", "Primary"))
            .build();

    GenericKubernetesResource created = client.genericKubernetesResources(VR).inNamespace("app").resource(vr).create();

    assertThat(created.getAdditionalProperties()).doesNotContainKey("status");
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    created.getAdditionalProperties().put("status", Map.of("state", "Primary"));
    GenericKubernetesResource withStatus = client.genericKubernetesResources(VR).inNamespace("app").resource(created).updateStatus();

    assertThat(withStatus.getAdditionalProperties().get("status")).isEqualTo(Map.of("state", "Primary"));
    assertThat(withStatus.getMetadata().getGeneration()).isEqualTo(1L);

    GenericKubernetesResource current = client.genericKubernetesResources(VR).inNamespace("app").withName("vr-1").get();
    current.getAdditionalProperties().put("spec", Map.of("replicationState", "secondary", "volumeReplicationClass", "vrc"));
    current.getAdditionalProperties().put("status", Map.of("state", "Ignored"));
    GenericKubernetesResource secondary = client.genericKubernetesResources(VR).inNamespace("app").resource(current).update();

    assertThat(secondary.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(secondary.getAdditionalProperties().get("status")).isEqualTo(Map.of("state", "Primary"));
  }

  @Test
  void aClusterScopedResourceNeedsNoNamespace() {
    GenericKubernetesResource vrc =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("replication.storage.openshift.io/v1alpha1")
            .withKind("VolumeReplicationClass")
            .withNewMetadata().withName("vrc").endMetadata()
            .addToAdditionalProperties("spec", Map.of("provisioner", "reference.replcert.dev"))
            .build();

    cluster.client().genericKubernetesResources(VRC).resource(vrc).create();

    assertThat(cluster.client().genericKubernetesResources(VRC).withName("vrc").get()).isNotNull();
  }

  @Test
  void aListedButMissingFileFailsNamingIt(@TempDir Path dir) throws Exception {
    Path crds = Files.createDirectories(dir.resolve(LabCrds.DIRECTORY));
    Files.writeString(crds.resolve("index"), "# one present, one missing\n\npresent.yaml\nmissing.yaml\n");
    copyCrd("volumereplicationclasses.replication.storage.openshift.io.yaml", crds.resolve("present.yaml"));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> LabCrds.fromClasspath(loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("lists missing.yaml")
          .hasMessageContaining(LabCrds.DIRECTORY + "missing.yaml is not on the classpath");
    }
  }

  @Test
  void aFileThatIsNotACrdIsRejected(@TempDir Path dir) throws Exception {
    Path crds = Files.createDirectories(dir.resolve(LabCrds.DIRECTORY));
    Files.writeString(crds.resolve("index"), "cm.yaml\n");
    Files.writeString(crds.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> LabCrds.fromClasspath(loader))
          .hasMessageContaining("cm.yaml")
          .hasMessageContaining("is not one apiextensions.k8s.io/v1 CustomResourceDefinition but ConfigMap");
    }
  }

  @Test
  void duplicatesAcrossIndexesAreReadOnce(@TempDir Path dir) throws Exception {
    Path crds = Files.createDirectories(dir.resolve(LabCrds.DIRECTORY));
    String vrc = "volumereplicationclasses.replication.storage.openshift.io.yaml";
    Files.writeString(crds.resolve("index"), vrc + "\n");
    copyCrd(vrc, crds.resolve(vrc));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, LabCrdsTest.class.getClassLoader())) {
      // the api module's index lists the same file: it must be registered once, not twice
      assertThat(LabCrds.fromClasspath(loader).definitions())
          .extracting(CustomResourceDefinition::getMetadata)
          .extracting(m -> m.getName())
          .doesNotHaveDuplicates()
          .containsOnlyOnce("volumereplicationclasses.replication.storage.openshift.io");
    }
  }

  /** The CRDs come from the api module, a jar in the reactor build: copy by stream, not by path. */
  private static void copyCrd(String file, Path target) throws Exception {
    try (InputStream in = LabCrdsTest.class.getResourceAsStream("/" + LabCrds.DIRECTORY + file)) {
      assertThat(in).as("CRD %s on the classpath", file).isNotNull();
      Files.copy(in, target);
    }
  }
}
