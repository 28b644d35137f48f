package dev.replcert.lab.substrate.csiaddons;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demoted set on its own: in the controller a resync call follows in the same reconcile and
 * overwrites Resyncing, so {@link VolumeReplicationControllerTest} cannot see it.
 */
class ReplicationConditionsTest {

  @Test
  void demotedSetsCompletedDegradedAndNotResyncingAsCsiAddonsDoes() {
    List<Condition> conditions = new ArrayList<>();
    new ReplicationConditions(conditions, 1, false).promoted();

    new ReplicationConditions(conditions, 3, false).demoted();

    assertThat(conditions)
        .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactlyInAnyOrder(
            "Completed=True/Demoted", "Degraded=True/VolumeDegraded", "Resyncing=False/NotResyncing");
    assertThat(conditions).extracting(Condition::getObservedGeneration).containsOnly(3L);
    assertThat(conditions)
        .filteredOn(c -> c.getType().equals("Resyncing"))
        .extracting(Condition::getMessage)
        .containsExactly("volume is not resyncing");
  }
}
