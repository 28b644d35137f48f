package dev.replcert.harness.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The volumes the suites create. {@code size} is a Kubernetes quantity restricted to the forms
 * storage uses (digits with an optional binary or decimal suffix), so it can be checked here
 * instead of by an API server later. {@code fsType} only applies to Filesystem volumes.
 */
public record VolumeSettings(String size, VolumeMode mode, String fsType) {

  public static final String DEFAULT_SIZE = "1Gi";
  public static final String DEFAULT_FS_TYPE = "ext4";

  static final Pattern QUANTITY = Pattern.compile("([0-9]{1,15})(Ki|Mi|Gi|Ti|k|M|G|T)?");
  private static final Map<String, Long> MULTIPLIERS =
      Map.of(
          "Ki",
          1L << 10,
          "Mi",
          1L << 20,
          "Gi",
          1L << 30,
          "Ti",
          1L << 40,
          "k",
          1_000L,
          "M",
          1_000_000L,
          "G",
          1_000_000_000L,
          "T",
          1_000_000_000_000L);

  public VolumeSettings {
    size = size == null ? DEFAULT_SIZE : size;
    mode = mode == null ? VolumeMode.FILESYSTEM : mode;
    fsType = fsType == null && mode == VolumeMode.FILESYSTEM ? DEFAULT_FS_TYPE : fsType;
  }

  /** The size in bytes; the loader has already checked the quantity form. */
  public long sizeBytes() {
    Matcher m = QUANTITY.matcher(size);
    if (!m.matches()) {
      throw new IllegalStateException("size is not a quantity like 1Gi or 500Mi");
    }
    long multiplier = m.group(2) == null ? 1 : MULTIPLIERS.get(m.group(2));
    return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
  }
}
