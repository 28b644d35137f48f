package dev.replcert.refdriver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.testing.FakeDriver;
import org.junit.jupiter.api.Test;

/** The command line without a running engine: help, bad flags, the catalog, probe. */
class MainTest {

  @Test
  void helpListsTheServeFlags() {
    CliRun help = CliRun.run("serve", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("--site", "--root", "--socket", "--addons-socket", "--listen", "--peer", "--sync-period", "--node", "--secret", "--defect");
    CliRun top = CliRun.run("--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).contains("serve", "probe", "defects");
  }

  @Test
  void badFlagsExitTwoWithTheReason() {
    CliRun unknown = CliRun.run("--site", "east", "--root", "/tmp/x", "--socket", "/tmp/x.sock", "--bogus");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'").contains("--help");

    CliRun missing = CliRun.run("--site", "east");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required options", "--root", "--socket");

    CliRun badDuration = CliRun.run("--site", "e", "--root", "/tmp/x", "--socket", "/tmp/x.sock", "--sync-period", "often");
    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.err()).contains("'often' is not a positive duration");

    CliRun badPeer = CliRun.run("--site", "e", "--root", "/tmp/x", "--socket", "/tmp/x.sock", "--peer", "nowhere");
    assertThat(badPeer.exitCode()).isEqualTo(2);
    assertThat(badPeer.err()).contains("'nowhere' is not host:port");
  }

  @Test
  void anUnknownDefectListsTheValidIds() {
    CliRun run = CliRun.run("--site", "e", "--root", "/tmp/x", "--socket", "/tmp/x.sock", "--defect", "MAKE_IT_FAST");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown defect 'MAKE_IT_FAST'; valid ids:");
    for (Defect defect : Defect.values()) {
      assertThat(run.err()).contains(defect.name());
    }
  }

  @Test
  void aMalformedSecretIsRefusedWithoutEchoingIt() {
    CliRun run = CliRun.run("--site", "e", "--root", "/tmp/x", "--socket", "/tmp/x.sock", "--secret", "hunter2");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--secret must be KEY=VALUE").doesNotContain("hunter2");
  }

  @Test
  void defectsPrintsTheCatalogAsATableOrJson() {
    CliRun table = CliRun.run("defects");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out().lines().findFirst()).hasValueSatisfying(h -> assertThat(h).startsWith("ID").contains("DESCRIPTION", "RULE"));
    assertThat(table.out().lines().count()).isEqualTo(Defect.values().length + 1);
    assertThat(table.out()).contains(Defect.DEMOTE_HANGS.name(), Defect.DEMOTE_HANGS.description(), Defect.DEMOTE_HANGS.rule());

    CliRun json = CliRun.run("defects", "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).isEqualTo(DefectCatalog.json());
  }

  @Test
  void probeReportsAHealthySite() throws Exception {
    try (FakeDriver driver = FakeDriver.start()) {
      CliRun probe = CliRun.run("probe", "--socket", driver.site().socket().toString(), "--timeout", "5s");
      assertThat(probe.exitCode()).as(probe.err()).isZero();
      assertThat(probe.out()).startsWith("healthy: " + DriverOptions.DRIVER_NAME + " ").contains("site=east");
    }
  }

  @Test
  void probeOfANonexistentSocketFails() {
    CliRun probe = CliRun.run("probe", "--socket", "/tmp/rd-no-such.sock", "--timeout", "2s");
    assertThat(probe.exitCode()).isEqualTo(1);
    assertThat(probe.err()).startsWith("unhealthy: /tmp/rd-no-such.sock: UNAVAILABLE");
  }
}
