package dev.replcert.harness.config;

import static dev.replcert.harness.config.ConfigFiles.ENDPOINT;
import static dev.replcert.harness.config.ConfigFiles.problemAt;
import static dev.replcert.harness.config.ConfigFiles.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilityProfileTest {

  @TempDir Path dir;

  @Test
  void asMapListsEveryCapabilityInEnumOrder() {
    CapabilityProfile profile = CapabilityProfile.of(EnumSet.of(Capability.RESYNC));

    assertThat(profile.asMap().keySet())
        .containsExactly(
            Arrays.stream(Capability.values()).map(Capability::id).toArray(String[]::new));
    assertThat(profile.asMap()).containsEntry("resync", true).containsEntry("replication", false);
    assertThat(profile.claims(Capability.RESYNC)).isTrue();
    assertThat(profile.claims(Capability.REPLICATION)).isFalse();
  }

  @Test
  void aFileWithoutCapabilitiesClaimsReplicationOnly() {
    CertificationConfig c = ConfigLoader.load(ConfigFiles.write(dir, ENDPOINT), Map.of(), Map.of());

    assertThat(c.capabilities().claimed()).containsExactly(Capability.REPLICATION);
  }

  @Test
  void unstatedCapabilitiesAreNotClaimed() {
    Path file =
        ConfigFiles.write(
            dir, ENDPOINT + "capabilities:\n  force-promote: true\n  resync: false\n");

    CertificationConfig c = ConfigLoader.load(file, Map.of(), Map.of());

    assertThat(c.capabilities().claimed()).containsExactly(Capability.FORCE_PROMOTE);
  }

  @Test
  void withoutAFileTheReferenceDriverClaimsEverything() {
    assertThat(ConfigLoader.defaults().capabilities()).isEqualTo(CapabilityProfile.referenceDriver());
  }

  @Test
  void anUnknownIdIsRejectedListingTheKnownOnes() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "capabilities:\n  snapshot: true\n");

    ConfigProblem p = problemAt(rejected(file), "capabilities.snapshot");

    assertThat(p.expected())
        .isEqualTo("unknown capability 'snapshot'; known capabilities: " + Capability.knownIds());
    assertThat(p.source()).isEqualTo(file + ":10:3");
  }

  @Test
  void aNonBooleanIsRejected() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "capabilities:\n  replication: enabled\n");

    assertThat(problemAt(rejected(file), "capabilities.replication").expected())
        .isEqualTo("expected true or false");
  }

  @Test
  void aListInsteadOfAMappingIsRejected() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "capabilities: [replication, resync]\n");

    assertThat(problemAt(rejected(file), "capabilities").expected())
        .isEqualTo("expected a mapping of capability id to true or false");
  }

  @Test
  void theRedactedTreeHasTheFullProfile() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "capabilities: { resync: true }\n");

    var tree = ConfigLoader.load(file, Map.of(), Map.of()).redacted().get("capabilities");

    assertThat(tree.size()).isEqualTo(Capability.values().length);
    assertThat(tree.get("resync").asBoolean()).isTrue();
    assertThat(tree.get("replication").asBoolean()).isFalse();
  }
}
