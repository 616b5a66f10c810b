package dev.pacific.host.spherelet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pacific.membership.MemberCard;
import dev.pacific.membership.MemberDirectory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host finds the content library on the control-plane members' cards. */
class ControlPlaneAddressesTest {

  private static MemberCard card(String name, String role, int httpPort) {
    return new MemberCard(name, role, "127.0.0.1", 40200, httpPort, Map.of(), Map.of(), "2026-01-01T00:00:00Z");
  }

  @Test
  void onlyControlPlaneMembersWithAnHttpPortAreAskedInNameOrder() {
    var members = new MemberDirectory.Members(Map.of(
        "cp-2", card("cp-2", MemberCard.CONTROL_PLANE, 40102),
        "cp-1", card("cp-1", MemberCard.CONTROL_PLANE, 40101),
        "cp-3", card("cp-3", MemberCard.CONTROL_PLANE, 0),
        "host-1", card("host-1", MemberCard.HOST, 40111),
        "lb-1", card("lb-1", MemberCard.LB, 6443)));
    assertEquals(List.of(URI.create("http://127.0.0.1:40101"), URI.create("http://127.0.0.1:40102")),
        Spherelet.controlPlaneAddresses(members));
  }
}
