package dev.replcert.refdriver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.site.VolumeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** groups/&lt;id&gt;.json across driver versions. */
class GroupMetaTest {

  @TempDir Path root;

  @Test
  void aGroupFileWrittenBeforeReleaseExistedLoadsAsNotReleased() throws Exception {
    Files.createDirectories(root.resolve("groups"));
    Files.writeString(
        root.resolve("groups").resolve("grp-1.json"),
        """
        {
          "id" : "grp-1",
          "name" : "app",
          "volumeIds" : [ "vol-a", "vol-b" ],
          "parameters" : { },
          "role" : "SECONDARY",
          "schedulingInterval" : null,
          "paused" : false,
          "createdAt" : "2024-05-01T10:00:00Z"
        }
        """);

    GroupMeta group = SiteStore.open(root).group("grp-1");

    assertThat(group.released()).isFalse();
    assertThat(group.role()).isEqualTo(VolumeInfo.Role.SECONDARY);
    assertThat(group.volumeIds()).containsExactly("vol-a", "vol-b");
  }

  @Test
  void theReleasedFlagIsPersisted() {
    SiteStore store = SiteStore.open(root);
    store.putGroup(
        new GroupMeta("grp-2", "app", List.of("vol-a"), null, VolumeInfo.Role.SECONDARY, null, false, Instant.now(), true));

    assertThat(SiteStore.open(root).group("grp-2").released()).isTrue();
  }
}
