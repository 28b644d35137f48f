package dev.replcert.refdriver.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.refdriver.DriverException;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void matchesAddressesInsideTheRangeOnly() {
    Cidr range = Cidr.parse("192.0.2.0/24");
    assertThat(range.contains("192.0.2.11")).isTrue();
    assertThat(range.contains("192.0.3.1")).isFalse();
    assertThat(range.contains("2001:db8::1")).isFalse();
    assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8::1")).isTrue();
    assertThat(Cidr.parse("198.51.100.11").contains("198.51.100.11")).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
  }

  @Test
  void canonicalFormDropsHostBits() {
    assertThat(Cidr.parse("192.0.2.77/24")).hasToString("192.0.2.0/24");
    assertThat(Cidr.parse("192.0.2.77/24")).isEqualTo(Cidr.parse("192.0.2.0/24"));
  }

  @Test
  void rejectsNonLiterals() {
    for (String bad : new String[] {"", "example.com", "192.0.2.0/33", "192.0.2.0/x", "1.2.3.4/8/8"}) {
      assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(DriverException.class);
    }
  }
}
