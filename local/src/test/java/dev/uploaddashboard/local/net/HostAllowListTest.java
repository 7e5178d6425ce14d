package dev.uploaddashboard.local.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostAllowListTest {
  private final HostAllowList hosts = HostAllowList.forServer("127.0.0.1", 8081);

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:8081", "localhost:8081", "LocalHost:8081", " localhost:8081 "})
  void theServersOwnAddressesWithItsPortAreAnswered(String host) {
    assertThat(hosts.allows(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "attacker.example:8081", // DNS rebinding: the attacker's name, resolved to 127.0.0.1
        "attacker.example",
        "localhost:8082", // another local server's port
        "127.0.0.1",
        "localhost",
        "127.0.0.1:8081.attacker.example",
        "localhost.attacker.example:8081",
        "127.0.0.2:8081",
        "[::1]:8081",
        ""
      })
  void otherHostsAreRefused(String host) {
    assertThat(hosts.allows(host)).isFalse();
  }

  @Test
  void aRequestWithoutHostIsRefused() {
    assertThat(hosts.allows(null)).isFalse();
  }

  @Test
  void onPort80TheHostMayOmitThePort() {
    HostAllowList onDefaultPort = HostAllowList.forServer("127.0.0.1", 80);

    assertThat(onDefaultPort.allows("localhost")).isTrue();
    assertThat(onDefaultPort.allows("127.0.0.1:80")).isTrue();
    assertThat(onDefaultPort.allows("attacker.example")).isFalse();
  }

  @Test
  void theRefusalSaysWhichAddressToUse() {
    assertThat(hosts.refusalBody())
        .contains("http://127.0.0.1:8081")
        .contains("\"code\":\"misdirected_request\"");
  }
}
