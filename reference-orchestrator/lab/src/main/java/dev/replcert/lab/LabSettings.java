package dev.replcert.lab;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Switches of the lab that are not part of cert.yaml (JUnit configuration parameters or system
 * properties): how fast the bundled driver syncs, and which catalogued defects it carries — the
 * latter only for the harness's own self-certification tests.
 *
 * @param syncPeriod {@value #SYNC_PERIOD}, Go-style or ISO-8601 duration, default 1s
 * @param defects {@value #DEFECTS}, comma-separated defect ids, default none
 * @param substrate {@value #SUBSTRATE}, whether the provisioner, kubelet, csi-addons controller and
 *     OCM agents run; default true. Only the lab's own tests turn it off, when they run their own
 *     controllers beside the lab's driver sites and two sets would act on the same objects.
 * @param orchestrator {@value #ORCHESTRATOR}, whether the bundled orchestrator (Ramen's controllers
 *     on the hub and each managed cluster) runs; default true, always false without the substrate
 *     (it needs the provisioner, csi-addons and OCM to get anywhere). Off for tests that play the
 *     orchestrator themselves.
 * @param fenceScope {@value #FENCE_SCOPE}, {@code mirror} (default) or {@code site}: what the
 *     driver's network fence reaches. Mirror makes the lab's two sites one stretched storage for
 *     fencing (Metro DR: Ramen fences east by delivering a NetworkFence to west, and east's own
 *     clients must lose their volumes), while replication stays asynchronous (Regional).
 */
record LabSettings(
    Duration syncPeriod, Set<Defect> defects, boolean substrate, boolean orchestrator, DriverOptions.FenceScope fenceScope) {

  static final String SYNC_PERIOD = "replcert.lab.syncPeriod";
  static final String DEFECTS = "replcert.lab.defects";
  static final String SUBSTRATE = "replcert.lab.substrate";
  static final String ORCHESTRATOR = "replcert.lab.orchestrator";
  static final String FENCE_SCOPE = "replcert.lab.fenceScope";
  static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(1);

  static LabSettings from(Function<String, Optional<String>> parameters) {
    Duration period =
        parameters.apply(SYNC_PERIOD).map(LabSettings::duration).orElse(DEFAULT_SYNC_PERIOD);
    Set<Defect> defects = EnumSet.noneOf(Defect.class);
    parameters
        .apply(DEFECTS)
        .ifPresent(
            list -> {
              for (String id : list.split(",")) {
                if (id.isBlank()) {
                  continue;
                }
                defects.add(
                    Defect.byId(id.strip())
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    DEFECTS
                                        + ": unknown defect '"
                                        + id.strip()
                                        + "'; known: "
                                        + Arrays.stream(Defect.values())
                                            .map(Enum::name)
                                            .collect(Collectors.joining(", ")))));
              }
            });
    boolean substrate = flag(parameters, SUBSTRATE);
    DriverOptions.FenceScope scope = parameters.apply(FENCE_SCOPE).map(LabSettings::fenceScope)
        .orElse(DriverOptions.FenceScope.MIRROR);
    return new LabSettings(period, defects, substrate, substrate && flag(parameters, ORCHESTRATOR), scope);
  }

  private static DriverOptions.FenceScope fenceScope(String text) {
    for (DriverOptions.FenceScope scope : DriverOptions.FenceScope.values()) {
      if (scope.name().equalsIgnoreCase(text.strip())) {
        return scope;
      }
    }
    throw new IllegalArgumentException(FENCE_SCOPE + ": expected mirror or site, got '" + text.strip() + "'");
  }

  /** A true/false switch, true when not given. */
  private static boolean flag(Function<String, Optional<String>> parameters, String name) {
    return parameters
        .apply(name)
        .map(String::strip)
        .map(
            v -> {
              if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(name + ": expected true or false, got '" + v + "'");
              }
              return Boolean.parseBoolean(v);
            })
        .orElse(true);
  }

  private static Duration duration(String text) {
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("p")) {
      return Duration.parse(t);
    }
    return dev.replcert.api.k8s.GoDuration.parse(t);
  }
}
