package dev.replcert.refdriver.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrsTest {

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.0/24", "198.51.100.11/32", "0.0.0.0/0", "2001:db8::/32", "::1/128", "fe80::1/64"})
  void acceptsCidrNotation(String cidr) {
    assertThat(Cidrs.isValid(cidr)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "192.0.2.0", "192.0.2.0/33", "256.0.0.0/8", "192.0.2/24", "192.0.2.0/-1", "example.com/24", "2001:db8::/129", "1/2/3", "::g/64"})
  void rejectsEverythingElse(String cidr) {
    assertThat(Cidrs.isValid(cidr)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.11", "2001:db8::11"})
  void aClientAddressIsItsOwnSingleAddressCidr(String address) {
    assertThat(Cidrs.isValid(Cidrs.ofAddress(address))).isTrue();
  }
}
