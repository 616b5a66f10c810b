package dev.pacific.controlplane.scheduler;

import static dev.pacific.controlplane.scheduler.Hosts.node;
import static dev.pacific.controlplane.scheduler.Hosts.pod;
import static dev.pacific.controlplane.scheduler.Hosts.view;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pacific.api.Pod;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each placement filter on its own. */
class FiltersTest {

  @Test
  void fitsResourcesCountsWhatIsAlreadyBound() {
    var host = node("h", "2", "4Gi", 10);
    var filter = new FitsResources();
    assertEquals(Optional.empty(), filter.reject(pod("a", "1", "1Gi"), view(host)));
    assertEquals(Optional.empty(), filter.reject(pod("b", "1", "1Gi"), view(host, pod("a", "1", "1Gi"))),
        "exactly full still fits");
    assertEquals(Optional.of("insufficient cpu"),
        filter.reject(pod("c", "500m", "1Gi"), view(host, pod("a", "1", "1Gi"), pod("b", "1", "1Gi"))));
    assertEquals(Optional.of("insufficient memory"), filter.reject(pod("d", "100m", "5Gi"), view(host)));
  }

  @Test
  void fitsResourcesRefusesPastTheMaximumPodCount() {
    var host = node("h", "64", "64Gi", 2);
    assertEquals(Optional.of("too many pods"),
        new FitsResources().reject(pod("c", "1m", "1Mi"), view(host, pod("a", "1m", "1Mi"), pod("b", "1m", "1Mi"))));
  }

  @Test
  void onlyReadyHostsTakePods() {
    assertEquals(Optional.empty(), new HostReady().reject(pod("a", "1", "1Gi"), view(node("h", "2", "4Gi", 10))));
    var notReady = node("h", "2", "4Gi", 10, "False", false, Map.of(), Map.of());
    assertEquals(Optional.of("not ready"), new HostReady().reject(pod("a", "1", "1Gi"), view(notReady)));
    var unknown = node("h", "2", "4Gi", 10, "Unknown", false, Map.of(), Map.of());
    assertEquals(Optional.of("not ready"), new HostReady().reject(pod("a", "1", "1Gi"), view(unknown)));
  }

  @Test
  void aCordonedHostIsUnschedulableAndOneInMaintenanceSaysSo() {
    var cordoned = node("h", "2", "4Gi", 10, "True", true, Map.of(), Map.of());
    var maintenance = node("h", "2", "4Gi", 10, "True", true, Map.of(), Map.of(Schedulable.MAINTENANCE, "true"));
    Pod p = pod("a", "1", "1Gi");
    assertEquals(Optional.empty(), new Schedulable().reject(p, view(node("h", "2", "4Gi", 10))));
    assertEquals(Optional.of("unschedulable"), new Schedulable().reject(p, view(cordoned)));
    assertEquals(Optional.of("in maintenance"), new Schedulable().reject(p, view(maintenance)));
  }

  @Test
  void aNodeSelectorNeedsEveryLabel() {
    var ssd = node("h", "2", "4Gi", 10, "True", false, Map.of("disk", "ssd", "zone", "a"), Map.of());
    Pod wantsSsd = pod("default", "a", "1", "1Gi", Map.of(), Map.of(), Map.of("disk", "ssd"));
    Pod wantsZoneB = pod("default", "b", "1", "1Gi", Map.of(), Map.of(), Map.of("disk", "ssd", "zone", "b"));
    assertEquals(Optional.empty(), new NodeSelectorMatches().reject(wantsSsd, view(ssd)));
    assertEquals(Optional.of("node selector mismatch"), new NodeSelectorMatches().reject(wantsZoneB, view(ssd)));
  }

  @Test
  void antiAffinityKeepsReplicasOfOneAppApart() {
    Map<String, String> anti = Map.of(LabelAntiAffinity.ANNOTATION, "app");
    Pod web1 = pod("shop", "web-1", "1", "1Gi", Map.of("app", "web"), anti, Map.of());
    Pod web2 = pod("shop", "web-2", "1", "1Gi", Map.of("app", "web"), anti, Map.of());
    Pod db = pod("shop", "db-1", "1", "1Gi", Map.of("app", "db"), anti, Map.of());
    Pod otherNamespace = pod("blog", "web-1", "1", "1Gi", Map.of("app", "web"), anti, Map.of());
    var host = node("h", "8", "8Gi", 10);
    var filter = new LabelAntiAffinity();
    assertEquals(Optional.of("anti-affinity (app=web)"), filter.reject(web2, view(host, web1)));
    assertEquals(Optional.empty(), filter.reject(db, view(host, web1)), "another app may share the host");
    assertEquals(Optional.empty(), filter.reject(otherNamespace, view(host, web1)), "another namespace may");
    assertEquals(Optional.empty(), filter.reject(web1, view(host, web1)), "a pod does not clash with itself");
  }
}
