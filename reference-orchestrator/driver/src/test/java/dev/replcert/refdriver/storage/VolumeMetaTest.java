package dev.replcert.refdriver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.replcert.refdriver.site.VolumeInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link VolumeMeta#copy} copies every field (it is written out by hand) and shares nothing mutable. */
class VolumeMetaTest {

  @Test
  void copyHoldsEveryFieldAndSharesNoMap() throws Exception {
    VolumeMeta meta = new VolumeMeta();
    int n = 1;
    for (Field field : VolumeMeta.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        field.set(meta, sample(field, n++));
      }
    }
    VolumeMeta copy = meta.copy();
    assertThat(AtomicFiles.JSON.writeValueAsString(copy)).isEqualTo(AtomicFiles.JSON.writeValueAsString(meta));
    assertThat(copy.parameters).isNotSameAs(meta.parameters);
    assertThat(copy.publications).isNotSameAs(meta.publications);
  }

  /** A value unlike the field's default (a new field of a new type must be taught here). */
  private static Object sample(Field field, int n) {
    Class<?> type = field.getType();
    if (type == String.class) {
      return "s" + n;
    } else if (type == long.class) {
      return (long) n;
    } else if (type == int.class) {
      return n;
    } else if (type == boolean.class) {
      return true;
    } else if (type == Instant.class) {
      return Instant.ofEpochSecond(1_000_000L + n, n);
    } else if (type == Duration.class) {
      return Duration.ofMillis(n);
    } else if (type == VolumeInfo.Role.class) {
      return VolumeInfo.Role.SECONDARY;
    } else if (type == SyncPoint.class) {
      return new SyncPoint(n, n + 1, Instant.ofEpochSecond(n));
    } else if (type == Map.class && field.getName().equals("publications")) {
      Map<String, VolumeMeta.PublicationRecord> m = new LinkedHashMap<>();
      m.put("/p" + n, new VolumeMeta.PublicationRecord("h", "node", true, false));
      return m;
    } else if (type == Map.class) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("k" + n, "v");
      return m;
    }
    return fail("VolumeMetaTest does not know how to fill field %s of type %s", field.getName(), type);
  }
}
