package dev.replcert.layer1.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.identity.Capability;
import dev.replcert.api.csiaddons.identity.GetCapabilitiesRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityResponse;
import dev.replcert.api.csiaddons.identity.ProbeRequest;
import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer1.support.SiteDriver;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** csi-addons Identity on every site: who the driver is, what it offers, whether it is ready. */
@Certification
class IdentitySuite {

  /** RFC 1123 subdomain form, as the csi-addons and CSI specifications require for the name. */
  private static final String DOMAIN_NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  private List<SiteDriver> sites;
  private CapabilityProfile profile;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint east,
      @Site("west") DriverEndpoint west,
      CertificationConfig config,
      ResourceTracker tracker,
      Evidence evidence) {
    sites =
        List.of(
            new SiteDriver(east, config, tracker, evidence),
            new SiteDriver(west, config, tracker, evidence));
    profile = config.capabilities();
  }

  @Test
  @PlanItem("L1-ID-001")
  void getIdentityReturnsADomainFormNameAndAVendorVersion(Evidence evidence) {
    for (SiteDriver site : sites) {
      GetIdentityResponse identity =
          site.stubs().addonsIdentity().getIdentity(GetIdentityRequest.getDefaultInstance());

      assertThat(identity.getName())
          .as("%s: GetIdentity.name", site.site())
          .isNotBlank()
          .hasSizeLessThanOrEqualTo(63)
          .matches(DOMAIN_NAME);
      assertThat(identity.getVendorVersion())
          .as("%s: GetIdentity.vendor_version", site.site())
          .isNotBlank();
      evidence.attach(
          "identity " + site.site(), identity.getName() + " " + identity.getVendorVersion());
    }
  }

  @Test
  @PlanItem("L1-ID-002")
  void getCapabilitiesAdvertisesExactlyWhatTheProfileClaims() {
    Set<String> claimed = new TreeSet<>();
    CapabilityMapping.ADVERTISED.forEach(
        (capability, advertised) -> {
          if (profile.claims(capability)) {
            claimed.add(advertised);
          }
        });
    for (SiteDriver site : sites) {
      List<Capability> capabilities =
          site.stubs()
              .addonsIdentity()
              .getCapabilities(GetCapabilitiesRequest.getDefaultInstance())
              .getCapabilitiesList();
      Set<String> advertised = CapabilityMapping.advertised(capabilities);

      assertThat(advertised)
          .as(
              "%s: csi-addons GetCapabilities must advertise exactly what the capability profile"
                  + " claims (profile claims %s, driver advertises %s)",
              site.site(), claimed, advertised)
          .isEqualTo(claimed);
    }
  }

  @Test
  @PlanItem("L1-ID-003")
  void probeReportsTheDriverReadyOnEverySite() {
    for (SiteDriver site : sites) {
      var response = site.stubs().addonsIdentity().probe(ProbeRequest.getDefaultInstance());

      // an unset "ready" means ready (csi-addons identity.proto)
      assertThat(!response.hasReady() || response.getReady().getValue())
          .as("%s: csi-addons Probe ready (response %s)", site.site(), response)
          .isTrue();
    }
  }
}
