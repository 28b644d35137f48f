package dev.replcert.reports;

import dev.replcert.harness.record.DriverIdentity;
import dev.replcert.harness.record.Measurement;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/** Plain-text formatting shared by the renderers, so all three formats say the same thing. */
final class Format {

  private Format() {}

  static String duration(Duration d) {
    if (d == null) {
      return "";
    }
    long millis = d.toMillis();
    if (millis < 60_000) {
      return number(millis / 1000.0) + " s";
    }
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }

  /** At most three decimals, no trailing zeros: RPO 12 records, RTO 4.207 s. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    return BigDecimal.valueOf(v)
        .setScale(3, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  static String measurement(Measurement m) {
    return m.name() + " = " + number(m.value()) + (m.unit().isEmpty() ? "" : " " + m.unit());
  }

  static String instant(Instant i) {
    return i == null ? "unknown" : i.toString();
  }

  static String orUnknown(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }

  /** Driver name as reviewers know it: reported name when the driver answered, else configured. */
  static String driverName(DriverIdentity d) {
    if (d == null) {
      return "unknown driver";
    }
    String name = d.reportedName() != null ? d.reportedName() : orUnknown(d.configuredName());
    return d.vendorVersion() == null ? name : name + " " + d.vendorVersion();
  }

  static String layerName(int layer) {
    return switch (layer) {
      case 1 -> "Layer 1: CSI / csi-addons";
      case 2 -> "Layer 2: platform DR operations";
      case 3 -> "Layer 3: CNV (virtual machines)";
      default -> "Layer " + layer;
    };
  }

  static String tested(CapabilityResult c) {
    if (c.planned() == 0) {
      return "no plan item requires it";
    }
    return c.passed()
        + " passed, "
        + c.failed()
        + " failed, "
        + c.skipped()
        + " skipped, "
        + c.notImplemented()
        + " not implemented (of "
        + c.planned()
        + ")";
  }

  static String counts(ItemCounts c) {
    return c.passed()
        + " passed, "
        + c.failed()
        + " failed, "
        + c.skipped()
        + " skipped ("
        + c.skippedByCapability()
        + " by capability, "
        + c.skippedByEnvironment()
        + " by environment), "
        + c.notImplemented()
        + " not implemented, of "
        + c.planned()
        + " plan items";
  }

  static String size(String content) {
    int bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return bytes < 1024 ? bytes + " B" : number(bytes / 1024.0) + " KiB";
  }
}
