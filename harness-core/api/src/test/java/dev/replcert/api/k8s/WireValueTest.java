package dev.replcert.api.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WireValueTest {

  static Stream<Class<? extends Enum<?>>> wireEnums() {
    return Stream.of(
        CrdCatalog.Scope.class,
        CsiAddons.ReplicationState.class,
        CsiAddons.VolumeState.class,
        CsiAddons.ConditionType.class,
        CsiAddons.Reason.class,
        CsiAddons.FenceState.class,
        CsiAddons.FenceResult.class,
        Ocm.WorkCondition.class,
        Ocm.FeedbackRule.class,
        Ocm.FeedbackType.class,
        Ramen.Action.class,
        Ramen.Phase.class,
        Ramen.Progression.class,
        Ramen.DrpcCondition.class,
        Ramen.DrClusterPhase.class,
        Ramen.DrClusterCondition.class,
        Ramen.ClusterFence.class,
        Ramen.VrgState.class,
        Ramen.VrgCondition.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wireEnums")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyConstantParsesFromItsOwnWireStringAndTheStringsAreDistinct(Class<? extends Enum<?>> type) {
    Class raw = type;
    List<String> wires = Arrays.stream(type.getEnumConstants()).map(c -> ((WireValue) c).wire()).toList();
    assertThat(wires).doesNotHaveDuplicates().allSatisfy(w -> assertThat(w).isNotBlank());
    for (Enum<?> constant : type.getEnumConstants()) {
      assertThat(WireValue.parse(raw, ((WireValue) constant).wire())).isSameAs(constant);
    }
    assertThatThrownBy(() -> WireValue.parse(raw, "NoSuchValue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'NoSuchValue'")
        .hasMessageContaining(type.getSimpleName());
    assertThatThrownBy(() -> WireValue.parse(raw, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void unknownValuesFailNamingTheTypeAndWhatItKnows() {
    assertThatThrownBy(() -> CsiAddons.VolumeState.parse("Resyncing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown CsiAddons.VolumeState 'Resyncing'; expected one of 'Primary', 'Secondary', 'Unknown'");
    assertThatThrownBy(() -> Ramen.DrClusterPhase.parse(""))
        .hasMessageStartingWith("unknown Ramen.DrClusterPhase ''");
  }

  @Test
  void matchingIsExact() {
    assertThatThrownBy(() -> CsiAddons.VolumeState.parse("primary")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsiAddons.ReplicationState.parse("Primary")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsiAddons.ConditionType.parse(" Completed")).isInstanceOf(IllegalArgumentException.class);
    assertThat(CsiAddons.ReplicationState.parse("resync")).isEqualTo(CsiAddons.ReplicationState.RESYNC);
  }

  @Test
  void ramenProgressionsUseRamensOwnSpelling() {
    assertThat(Ramen.Progression.parse("CheckingFailoverPrequisites"))
        .isEqualTo(Ramen.Progression.CHECKING_FAILOVER_PREREQUISITES);
    assertThatThrownBy(() -> Ramen.Progression.parse("CheckingFailoverPrerequisites"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Ramen.Progression.parse("Cleaning Up")).isEqualTo(Ramen.Progression.CLEANING_UP);
    assertThatThrownBy(() -> Ramen.Progression.parse("CleaningUp")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Ramen.Progression.parse("Completed")).isEqualTo(Ramen.Progression.COMPLETED);
    assertThat(Ramen.DrClusterCondition.parse("CIDRsValidated"))
        .isEqualTo(Ramen.DrClusterCondition.CIDRS_VALIDATED);
  }

  @Test
  void helperEnumsAgreeWithTheGeneratedEnums() {
    assertThat(wires(VolumeReplicationSpec.ReplicationState.values(), VolumeReplicationSpec.ReplicationState::getValue))
        .isEqualTo(wires(CsiAddons.ReplicationState.values(), CsiAddons.ReplicationState::wire));
    assertThat(wires(NetworkFenceSpec.FenceState.values(), NetworkFenceSpec.FenceState::getValue))
        .isEqualTo(wires(CsiAddons.FenceState.values(), CsiAddons.FenceState::wire));
    assertThat(wires(DRPlacementControlSpec.Action.values(), DRPlacementControlSpec.Action::getValue))
        .isEqualTo(wires(Ramen.Action.values(), Ramen.Action::wire));
    assertThat(
            wires(
                io.openshift.ramendr.v1alpha1.DRClusterSpec.ClusterFence.values(),
                io.openshift.ramendr.v1alpha1.DRClusterSpec.ClusterFence::getValue))
        .isEqualTo(wires(Ramen.ClusterFence.values(), Ramen.ClusterFence::wire));
  }

  private static <E> List<String> wires(E[] values, Function<E, String> wire) {
    return Arrays.stream(values).map(wire).toList();
  }
}
