package dev.pacific.controlplane.scheduler;

import static dev.pacific.controlplane.scheduler.Hosts.node;
import static dev.pacific.controlplane.scheduler.Hosts.pod;
import static dev.pacific.controlplane.scheduler.Hosts.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline: filters, then scores; and the Unschedulable message. */
class PlacementTest {

  private final Placement placement = Placement.standard();

  @Test
  void theUnschedulableMessageCountsEachHostsReason() {
    var small1 = node("host-1", "4", "1Gi", 10);
    var small2 = node("host-2", "4", "1Gi", 10);
    var maintenance = node("host-3", "8", "8Gi", 10, "True", true, Map.of(), Map.of(Schedulable.MAINTENANCE, "true"));
    var decision = placement.place(pod("big", "1", "2Gi"), List.of(view(small1), view(small2), view(maintenance)));
    assertEquals(new Placement.Decision.Unschedulable("0/3 hosts available: 2 insufficient memory, 1 in maintenance"),
        decision);
  }

  @Test
  void noHostsAtAllIsUnschedulableToo() {
    assertEquals(new Placement.Decision.Unschedulable("0/0 hosts available"),
        placement.place(pod("a", "1", "1Gi"), List.of()));
  }

  @Test
  void replicasSpreadOverHostsWithoutBeingAsked() {
    List<HostView> hosts = new ArrayList<>(List.of(view(node("host-1", "8", "8Gi", 100)),
        view(node("host-2", "8", "8Gi", 100)), view(node("host-3", "8", "8Gi", 100))));
    Map<String, Integer> perHost = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      Pod p = pod("shop", "web-" + i, "100m", "128Mi", Map.of("app", "web"), Map.of(), Map.of());
      String chosen = ((Placement.Decision.Chosen) placement.place(p, hosts)).host();
      perHost.merge(chosen, 1, Integer::sum);
      hosts.replaceAll(h -> h.name().equals(chosen) ? h.with(p) : h);
    }
    assertEquals(Map.of("host-1", 3, "host-2", 3, "host-3", 3), perHost);
  }

  @Test
  void theEmptierHostWinsWhenNothingElseDiffers() {
    var busy = view(node("host-1", "4", "4Gi", 100), pod("other", "3", "3Gi"));
    var idle = view(node("host-2", "4", "4Gi", 100));
    assertEquals(new Placement.Decision.Chosen("host-2"), placement.place(pod("a", "500m", "512Mi"), List.of(busy, idle)));
  }

  @Test
  void aPodThatFitsOnlyOneHostGoesThere() {
    var notReady = view(node("host-1", "8", "8Gi", 10, "False", false, Map.of(), Map.of()));
    var full = view(node("host-2", "1", "8Gi", 10), pod("x", "1", "1Gi"));
    var ok = view(node("host-3", "2", "2Gi", 10));
    var decision = placement.place(pod("a", "1", "1Gi"), List.of(notReady, full, ok));
    assertEquals(new Placement.Decision.Chosen("host-3"), decision);
    assertTrue(placement.place(pod("b", "4", "1Gi"), List.of(notReady, full, ok))
        instanceof Placement.Decision.Unschedulable u && u.message().equals(
            "0/3 hosts available: 2 insufficient cpu, 1 not ready"), "message lists each reason");
  }
}
