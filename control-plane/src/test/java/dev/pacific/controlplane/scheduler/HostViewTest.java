package dev.pacific.controlplane.scheduler;

import static dev.pacific.controlplane.scheduler.Hosts.node;
import static dev.pacific.controlplane.scheduler.Hosts.pod;
import static dev.pacific.controlplane.scheduler.Hosts.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sums a host view carries forward through {@link HostView#with} are the ones a view built from scratch
 * over the same pods computes; placing 10,000 pods prints how long it took (no timing is asserted).
 */
class HostViewTest {

  @Test
  void carriedSumsAndCountsEqualThoseOfAViewBuiltFromScratch() {
    Node n = node("host-1", "64", "256Gi", 1000);
    HostView carried = view(n, pod("default", "seed", "250m", "64Mi", Map.of("app", "web"), Map.of(), Map.of()));
    // ask before adding, so the carried values are the ones kept up to date (not recomputed lazily at the end)
    carried.requested();
    carried.alike("default", Map.of("app", "web"));
    carried.alike("other", Map.of());
    List<Pod> all = new ArrayList<>(carried.pods());
    for (int i = 0; i < 40; i++) {
      String ns = i % 3 == 0 ? "other" : "default";
      Map<String, String> labels = i % 2 == 0 ? Map.of("app", "web", "tier", "front") : Map.of("app", "db");
      Pod p = pod(ns, "p" + i, (100 + i) + "m", (32 + i) + "Mi", labels, Map.of(), Map.of());
      carried = carried.with(p);
      all.add(p);
    }
    HostView fresh = new HostView(n, all);
    assertEquals(fresh.requested(), carried.requested());
    assertEquals(fresh.alike("default", Map.of("app", "web")), carried.alike("default", Map.of("app", "web")));
    assertEquals(fresh.alike("other", Map.of()), carried.alike("other", Map.of()));
    assertEquals(14, carried.alike("other", Map.of()), "every pod of namespace other");
    assertEquals(1 + 13, carried.alike("default", Map.of("app", "web")), "the seed and default's web pods");
    assertEquals(41, carried.pods().size());
  }

  @Test
  void tenThousandPodsOnTenHostsArePlacedEvenly() {
    List<HostView> hosts = new ArrayList<>();
    for (int h = 1; h <= 10; h++) {
      hosts.add(view(node("host-" + h, "1000", "4000Gi", 1100)));
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) {
      index.put(hosts.get(i).name(), i);
    }
    Placement placement = Placement.standard();
    long started = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      Pod p = pod("bench", "pod-" + i, "10m", "16Mi", Map.of("app", "bench"), Map.of(), Map.of());
      var d = placement.place(p, hosts);
      assertTrue(d instanceof Placement.Decision.Chosen, "pod " + i + ": " + d);
      int at = index.get(((Placement.Decision.Chosen) d).host());
      hosts.set(at, hosts.get(at).with(p));
    }
    System.out.printf("10,000 pods placed on 10 hosts in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    for (HostView h : hosts) {
      assertEquals(1000, h.pods().size(), h.name() + " got its even share");
    }
  }
}
