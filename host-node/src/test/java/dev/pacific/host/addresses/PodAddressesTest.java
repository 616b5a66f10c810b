package dev.pacific.host.addresses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodAddressesTest {

  private final PodAddresses addresses = new PodAddresses();

  @Test
  void eachPodGetsItsOwnAddressInTheRangeAndKeepsIt() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 600; i++) {
      String a = addresses.assign("pod-" + i).orElseThrow();
      assertTrue(PodAddresses.inRange(a), a);
      assertTrue(!a.endsWith(".0") && !a.endsWith(".255"), a);
      assertTrue(seen.add(a), "given twice: " + a);
    }
    assertEquals(addresses.assign("pod-7"), addresses.assign("pod-7"), "asking again gives the same address");
    assertEquals(600, addresses.assigned());
  }

  @Test
  void aReleasedAddressIsNotReusedAtOnce() {
    String first = addresses.assign("a").orElseThrow();
    addresses.release("a");
    addresses.release("a");
    assertNotEquals(first, addresses.assign("b").orElseThrow());
    assertEquals(1, addresses.assigned());
  }

  @Test
  void twoPodsServeTheSamePort() throws Exception {
    String a = addresses.assign("a").orElseThrow();
    String b = addresses.assign("b").orElseThrow();
    try (ServerSocket one = new ServerSocket()) {
      one.bind(new InetSocketAddress(InetAddress.getByName(a), 0));
      try (ServerSocket two = new ServerSocket()) {
        two.bind(new InetSocketAddress(InetAddress.getByName(b), one.getLocalPort()));
        assertEquals(one.getLocalPort(), two.getLocalPort());
      }
    }
  }
}
