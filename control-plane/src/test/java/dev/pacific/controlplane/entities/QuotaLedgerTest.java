package dev.pacific.controlplane.entities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceList;
import dev.pacific.api.ResourceQuota;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotaLedgerTest {

  static ResourceQuota quota(String name, Map<String, String> hard) {
    return new ResourceQuota(ObjectMeta.named("ns", name), new ResourceQuota.Spec(ResourceList.parse(hard)), null);
  }

  /** A ledger with {@code quotas} whose usage has been counted (an empty namespace). */
  static QuotaLedger counted(ResourceQuota... quotas) {
    QuotaLedger l = QuotaLedger.empty();
    for (ResourceQuota q : quotas) {
      l = l.withQuota(q);
    }
    return l.reconciled(Map.of(), Set.of(), 0, 30_000).ledger();
  }

  static QuotaLedger.Admission admit(QuotaLedger l, Pod pod) {
    return l.admit(pod.metadata().uid(), PodUsage.quotaUsage(pod), PodUsage.unstated(pod.spec()), 1_000);
  }

  static QuotaLedger admitted(QuotaLedger l, Pod pod) {
    return assertInstanceOf(QuotaLedger.Admission.Admitted.class, admit(l, pod)).ledger();
  }

  static String refused(QuotaLedger l, Pod pod) {
    return assertInstanceOf(QuotaLedger.Admission.Refused.class, admit(l, pod)).reason();
  }

  @Test
  void withoutQuotaEveryPodIsAdmittedAndNothingIsRecorded() {
    QuotaLedger l = admitted(QuotaLedger.empty(), Pods.sized("ns", "a", "u1", "64", "1Ti"));
    assertEquals(0, l.reservations().size());
  }

  @Test
  void aNewQuotaRefusesUntilUsageHasBeenCounted() {
    QuotaLedger l = QuotaLedger.empty().withQuota(quota("compute", Map.of("pods", "10", "requests.cpu", "4")));
    assertFalse(l.counting());
    assertEquals("status unknown for quota: compute, resources: pods,requests.cpu",
        refused(l, Pods.sized("ns", "a", "u1", "1", "1Gi")));
    QuotaLedger counted = l.reconciled(Map.of(), Set.of(), 0, 30_000).ledger();
    assertTrue(counted.counting());
    admitted(counted, Pods.sized("ns", "a", "u1", "1", "1Gi"));
  }

  @Test
  void overQuotaIsRefusedInKubernetesWords() {
    QuotaLedger l = counted(quota("compute", Map.of("requests.memory", "2Gi")));
    l = admitted(l, Pods.sized("ns", "a", "u1", "100m", "1Gi"));
    assertEquals("exceeded quota: compute, requested: requests.memory=2Gi, used: requests.memory=1Gi, "
        + "limited: requests.memory=2Gi", refused(l, Pods.sized("ns", "b", "u2", "100m", "2Gi")));
    admitted(l, Pods.sized("ns", "c", "u3", "100m", "1Gi"));
  }

  @Test
  void everyExceededKeyIsListedInKeyOrder() {
    QuotaLedger l = counted(quota("q", Map.of("pods", "1", "limits.cpu", "1", "requests.memory", "1Gi")));
    l = admitted(l, Pods.sized("ns", "a", "u1", "1", "1Gi"));
    assertEquals("exceeded quota: q, requested: limits.cpu=1,pods=1,requests.memory=1Gi, "
        + "used: limits.cpu=1,pods=1,requests.memory=1Gi, limited: limits.cpu=1,pods=1,requests.memory=1Gi",
        refused(l, Pods.sized("ns", "b", "u2", "1", "1Gi")));
  }

  @Test
  void usedIsZeroForHardKeysNothingHoldsYet() {
    QuotaLedger l = counted(quota("q", Map.of("requests.cpu", "1")));
    assertEquals("exceeded quota: q, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1",
        refused(l, Pods.sized("ns", "a", "u1", "2", "1Gi")));
  }

  @Test
  void theFirstFailingQuotaByNameRefuses() {
    QuotaLedger l = counted(quota("b-pods", Map.of("pods", "1")), quota("a-cpu", Map.of("requests.cpu", "1")));
    assertTrue(refused(l, Pods.sized("ns", "x", "u1", "2", "1Gi")).startsWith("exceeded quota: a-cpu,"));
    l = admitted(l, Pods.sized("ns", "x", "u1", "1", "1Gi"));
    assertTrue(refused(l, Pods.sized("ns", "y", "u2", "0", "1Gi")).startsWith("exceeded quota: b-pods,"));
  }

  @Test
  void aRetryWithTheSameUidReservesNothingTwice() {
    QuotaLedger l = counted(quota("q", Map.of("pods", "5", "requests.cpu", "10")));
    Pod pod = Pods.sized("ns", "a", "u1", "2", "1Gi");
    l = admitted(l, pod);
    assertInstanceOf(QuotaLedger.Admission.AlreadyReserved.class, admit(l, pod));
    assertEquals(ResourceList.parse(Map.of("pods", "1", "requests.cpu", "2")), l.quotas().get("q").status().used());
  }

  @Test
  void releaseIsIdempotentAndFreesExactlyWhatWasHeld() {
    QuotaLedger l = counted(quota("q", Map.of("pods", "5", "requests.memory", "4Gi")));
    l = admitted(l, Pods.sized("ns", "a", "u1", "1", "1Gi"));
    l = admitted(l, Pods.sized("ns", "b", "u2", "1", "2Gi"));
    l = l.release("u1").release("u1").release("unknown");
    assertEquals(ResourceList.parse(Map.of("pods", "1", "requests.memory", "2Gi")),
        l.quotas().get("q").status().used());
    l = l.release("u2");
    assertEquals(ResourceList.parse(Map.of("pods", "0", "requests.memory", "0")), l.quotas().get("q").status().used());
  }

  @Test
  void statusHardMirrorsSpecHard() {
    QuotaLedger l = counted(quota("q", Map.of("pods", "5", "limits.memory", "4Gi")));
    ResourceQuota stored = l.quotas().get("q");
    assertEquals(stored.spec().hard(), stored.status().hard());
    l = l.withQuota(quota("q", Map.of("pods", "7")));
    assertEquals(ResourceList.parse(Map.of("pods", "7")), l.quotas().get("q").status().hard());
    assertTrue(l.counting(), "replacing a quota keeps the count");
  }

  @Test
  void aTrackedComputeKeyMustBeStatedByEveryContainer() {
    QuotaLedger l = counted(quota("compute", Map.of("requests.cpu", "4", "limits.memory", "4Gi")));
    Pod pod = Pods.pod("ns", "a", "u1", Pods.container("app", Map.of("cpu", "1"), Map.of()),
        Pods.container("side", Map.of(), Map.of()));
    assertEquals("failed quota: compute: must specify limits.memory for: app,side; requests.cpu for: side",
        refused(l, pod));
  }

  @Test
  void loweringAQuotaBelowUsageKeepsUsageAndRefusesNewPods() {
    QuotaLedger l = counted(quota("q", Map.of("pods", "3")));
    l = admitted(l, Pods.sized("ns", "a", "u1", "1", "1Gi"));
    l = admitted(l, Pods.sized("ns", "b", "u2", "1", "1Gi"));
    l = l.withQuota(quota("q", Map.of("pods", "1")));
    assertEquals(ResourceList.parse(Map.of("pods", "2")), l.quotas().get("q").status().used());
    assertEquals("exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=1",
        refused(l, Pods.sized("ns", "c", "u3", "1", "1Gi")));
  }

  @Test
  void removingTheLastQuotaForgetsReservations() {
    QuotaLedger l = admitted(counted(quota("q", Map.of("pods", "3"))), Pods.sized("ns", "a", "u1", "1", "1Gi"));
    assertEquals(0, l.withoutQuota("q").reservations().size());
    assertTrue(l.withoutQuota("q").quotas().isEmpty());
  }

  @Test
  void reconcileFreesAnOrphanedReservationOnlyAfterTheGrace() {
    QuotaLedger l = admitted(counted(quota("q", Map.of("pods", "3"))), Pods.sized("ns", "a", "u1", "1", "1Gi"));
    // Reserved at t=1000; the pod was never written (the creator crashed).
    QuotaLedger early = l.reconciled(Map.of(), Set.of(), 1_000 + 29_999, 30_000).ledger();
    assertTrue(early.holds("u1"), "an in-flight create keeps its reservation within the grace");
    QuotaLedger.Reconciliation late = l.reconciled(Map.of(), Set.of(), 1_000 + 30_000, 30_000);
    assertFalse(late.ledger().holds("u1"));
    assertEquals(Set.of("u1"), late.changes().dropped());
    assertEquals(ResourceList.parse(Map.of("pods", "0")), late.ledger().quotas().get("q").status().used());
  }

  @Test
  void reconcileCountsAPodWhoseReservationWasLost() {
    QuotaLedger l = counted(quota("q", Map.of("pods", "3", "requests.cpu", "4")));
    Pod written = Pods.sized("ns", "a", "u9", "1500m", "1Gi");
    var r = l.reconciled(Map.of("u9", PodUsage.quotaUsage(written)), Set.of(), 5_000, 30_000);
    assertEquals(Set.of("u9"), r.changes().added());
    assertEquals(ResourceList.parse(Map.of("pods", "1", "requests.cpu", "1500m")),
        r.ledger().quotas().get("q").status().used());
  }

  @Test
  void reconcileDoesNotCountAPodReleasedAfterTheRegistryWasRead() {
    QuotaLedger l = counted(quota("q", Map.of("pods", "3")));
    Pod gone = Pods.sized("ns", "a", "u1", "1", "1Gi");
    var r = l.reconciled(Map.of("u1", PodUsage.quotaUsage(gone)), Set.of("u1"), 5_000, 30_000);
    assertFalse(r.ledger().holds("u1"));
  }

  @Test
  void reconcileCorrectsAReservationToWhatItsPodHolds() {
    QuotaLedger l = admitted(counted(quota("q", Map.of("pods", "3"))), Pods.sized("ns", "a", "u1", "1", "1Gi"));
    var r = l.reconciled(Map.of("u1", PodUsage.quotaUsage(Pods.sized("ns", "a", "u1", "2", "1Gi"))),
        Set.of(), 100_000, 30_000);
    assertEquals(Set.of("u1"), r.changes().corrected());
    assertEquals(ResourceList.parse(Map.of("pods", "1", "requests.cpu", "2", "requests.memory", "1Gi",
        "limits.cpu", "2", "limits.memory", "1Gi")), r.ledger().used());
  }
}
