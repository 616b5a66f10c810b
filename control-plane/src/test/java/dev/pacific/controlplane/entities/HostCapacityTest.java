package dev.pacific.controlplane.entities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pacific.api.Node;
import dev.pacific.api.NodeCondition;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.ResourceList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCapacityTest {

  static Node node(Map<String, String> allocatable, boolean ready, boolean unschedulable, Map<String, String> annotations) {
    NodeCondition c = new NodeCondition("Ready", ready ? "True" : "False", null, null, null, null);
    return new Node(ObjectMeta.named("host-1").withAnnotations(annotations), new Node.Spec(unschedulable),
        new Node.Status(allocatable, allocatable, List.of(c), List.of(), null));
  }

  static Node ready(Map<String, String> allocatable) {
    return node(allocatable, true, false, Map.of());
  }

  /** Reserves in a batch of one; the reservations after it, or fails with the refusal. */
  static Reservations reserved(Node n, Reservations held, String uid, String cpu, String memory) {
    HostCapacity.Batch b = new HostCapacity.Batch(n, held, 0, 110);
    assertEquals(List.of(), b.reserve(uid, requests(cpu, memory)), "reserved " + uid);
    return b.result();
  }

  static List<String> refused(Node n, Reservations held, String uid, String cpu, String memory) {
    HostCapacity.Batch b = new HostCapacity.Batch(n, held, 0, 110);
    List<String> reasons = b.reserve(uid, requests(cpu, memory));
    assertSame(held, b.result(), "a refusal changes nothing");
    return reasons;
  }

  static ResourceList requests(String cpu, String memory) {
    return ResourceList.parse(Map.of("cpu", cpu, "memory", memory));
  }

  @Test
  void reservationsFillAllocatableExactlyAndNoFurther() {
    Node n = ready(Map.of("cpu", "2", "memory", "4Gi", "pods", "10"));
    Reservations r = reserved(n, Reservations.empty(), "a", "1500m", "1Gi");
    r = reserved(n, r, "b", "500m", "3Gi");
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU, HostCapacity.INSUFFICIENT_MEMORY), refused(n, r, "c", "1m", "1"));
    assertEquals(ResourceList.parse(Map.of("cpu", "2", "memory", "4Gi", "pods", "2")), r.total());
  }

  @Test
  void podSlotsAreCappedByAllocatablePodsOrTheDefault() {
    Node n = ready(Map.of("cpu", "2", "memory", "4Gi", "pods", "1"));
    Reservations r = reserved(n, Reservations.empty(), "a", "0", "0");
    assertEquals(List.of(HostCapacity.TOO_MANY_PODS), refused(n, r, "b", "0", "0"));
    Node noPods = ready(Map.of("cpu", "2", "memory", "4Gi"));
    assertEquals(List.of(HostCapacity.TOO_MANY_PODS), new HostCapacity.Batch(noPods, r, 0, 1)
        .reserve("b", ResourceList.empty()));
  }

  @Test
  void aRetryWithTheSameUidReservesNothingTwice() {
    Node n = ready(Map.of("cpu", "1", "memory", "1Gi"));
    Reservations r = reserved(n, Reservations.empty(), "a", "1", "1Gi");
    HostCapacity.Batch retry = new HostCapacity.Batch(n, r, 0, 110);
    assertEquals(List.of(), retry.reserve("a", requests("1", "1Gi")), "a retry is answered as reserved");
    assertSame(r, retry.result(), "and reserves nothing twice");
  }

  /** One batch: each change sees the ones before it, a release makes room for a later reserve. */
  @Test
  void aBatchDecidesEachChangeAgainstTheOnesBeforeIt() {
    Node n = ready(Map.of("cpu", "2", "memory", "4Gi", "pods", "10"));
    Reservations start = reserved(n, Reservations.empty(), "a", "1500m", "1Gi");
    HostCapacity.Batch b = new HostCapacity.Batch(n, start, 0, 110);
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), b.reserve("b", requests("1", "1Gi")));
    b.release("a");
    b.release("a"); // idempotent
    assertEquals(List.of(), b.reserve("b", requests("1", "1Gi")));
    assertEquals(List.of(), b.reserve("c", requests("1", "1Gi")));
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), b.reserve("d", requests("1m", "0")));
    assertEquals(ResourceList.parse(Map.of("cpu", "2", "memory", "2Gi", "pods", "2")), b.result().total());
    assertEquals(java.util.Set.of("b", "c"), b.result().byUid().keySet());
  }

  @Test
  void aHostThatTakesNoPodsSaysWhy() {
    Map<String, String> big = Map.of("cpu", "64", "memory", "64Gi");
    assertEquals(List.of(HostCapacity.IN_MAINTENANCE), refused(node(big, true, true,
        Map.of(HostCapacity.MAINTENANCE_ANNOTATION, "true")), Reservations.empty(), "a", "1", "1Gi"));
    assertEquals(List.of(HostCapacity.UNSCHEDULABLE), refused(node(big, true, true, Map.of()),
        Reservations.empty(), "a", "1", "1Gi"));
    assertEquals(List.of(HostCapacity.NOT_READY), refused(node(big, false, false, Map.of()),
        Reservations.empty(), "a", "1", "1Gi"));
  }

  @Test
  void aResourceThePodDoesNotRequestAlwaysFits() {
    Node n = ready(Map.of("pods", "5"));
    reserved(n, Reservations.empty(), "a", "0", "0");
    assertEquals(List.of(HostCapacity.INSUFFICIENT_CPU), refused(n, Reservations.empty(), "a", "1m", "0"));
  }
}
