package dev.pacific.controlplane.hosts;

import static dev.pacific.controlplane.persistence.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.controlplane.entities.Mutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.wire.HostGatewayProtocol;
import dev.pacific.wire.HostGatewayProtocol.LeaseLost;
import dev.pacific.wire.HostGatewayProtocol.LeaseRenewed;
import dev.pacific.wire.HostGatewayProtocol.PodGone;
import dev.pacific.wire.HostGatewayProtocol.PodKey;
import dev.pacific.wire.HostGatewayProtocol.Register;
import dev.pacific.wire.HostGatewayProtocol.RegisterRefused;
import dev.pacific.wire.HostGatewayProtocol.Registered;
import dev.pacific.wire.HostGatewayProtocol.RenewLease;
import dev.pacific.wire.HostGatewayProtocol.StatusRecorded;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registration, leases and status reports through a real gateway, quorum and entities (one member). */
class HostGatewayTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static GatewayFixture f;

  @BeforeAll
  static void start() throws InterruptedException {
    f = new GatewayFixture();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private Registered register(String host, int port) {
    TestProbe<HostGatewayProtocol.RegisterReply> probe = f.quorum.kit.createTestProbe();
    f.gateway.tell(new Register(GatewayFixture.node(host, port), "boot-1", probe.ref()));
    return assertInstanceOf(Registered.class, probe.receiveMessage(WAIT));
  }

  private Node storedNode(String name) {
    return (Node) await(f.reader.get(ObjectRef.cluster(ResourceKind.NODES, name))).orElseThrow().state().object();
  }

  @Test
  void registrationStoresAReadyNodeAndARetryKeepsTheSameLease() {
    Registered first = register("host-r", 40111);
    Node node = storedNode("host-r");
    assertEquals("True", node.readyCondition().status());
    assertEquals(40111, node.status().daemonEndpoints().kubeletEndpoint().port());
    assertEquals("a", node.metadata().labels().get("zone"));
    Registered again = register("host-r", 40111);
    assertEquals(first.leaseId(), again.leaseId(), "a live lease is handed back, renewed");
  }

  @Test
  void renewalKeepsTheLeaseAndALostOneIsSaidSo() {
    Registered r = register("host-l", 1);
    TestProbe<HostGatewayProtocol.RenewReply> probe = f.quorum.kit.createTestProbe();
    f.gateway.tell(new RenewLease("host-l", r.leaseId(), probe.ref()));
    assertEquals(r.leaseId(), assertInstanceOf(LeaseRenewed.class, probe.receiveMessage(WAIT)).leaseId());
    f.gateway.tell(new RenewLease("host-l", r.leaseId() + 1, probe.ref()));
    assertInstanceOf(LeaseLost.class, probe.receiveMessage(WAIT), "another id is not the host's lease");
    await(f.quorum.kv.revoke(r.leaseId()));
    f.gateway.tell(new RenewLease("host-l", r.leaseId(), probe.ref()));
    assertInstanceOf(LeaseLost.class, probe.receiveMessage(WAIT), "a revoked lease is lost");
    assertNotEquals(r.leaseId(), register("host-l", 1).leaseId(), "with no pods owed, a new lease at once");
  }

  @Test
  void anExpiredLeaseWithPodsBoundIsRefusedUntilTheControllerClearsTheGrantRecord() {
    Registered r = register("host-x", 1);
    f.createBound("owed-1", "host-x");
    await(f.quorum.kv.revoke(r.leaseId())); // as an expiry: the lease key goes, the grant record stays
    TestProbe<HostGatewayProtocol.RegisterReply> probe = f.quorum.kit.createTestProbe();
    f.gateway.tell(new Register(GatewayFixture.node("host-x", 1), "boot-2", probe.ref()));
    RegisterRefused refused = assertInstanceOf(RegisterRefused.class, probe.receiveMessage(WAIT));
    assertTrue(refused.reason().contains("still moving or failing its pods"), refused.reason());
    assertTrue(refused.retryAfterMillis() > 0);
    // The lifecycle controller's part: once the pods are handled, it deletes the grant record.
    await(f.quorum.kv.delete(HostLeases.grantKey("host-x"), OptionalLong.empty()));
    assertNotEquals(r.leaseId(), register("host-x", 1).leaseId());
  }

  @Test
  void statusIsWrittenOnlyForThePodBoundToTheReportingHost() {
    register("host-s", 1);
    Pod pod = f.createBound("reported", "host-s");
    TestProbe<HostGatewayProtocol.StatusReply> probe = f.quorum.kit.createTestProbe();
    PodStatus running = new PodStatus("Running", null, null, null, "127.0.0.1", "127.64.0.9", null, null);
    f.gateway.tell(new HostGatewayProtocol.ReportPodStatus("host-s", PodKey.of(pod), running, probe.ref()));
    StatusRecorded recorded = assertInstanceOf(StatusRecorded.class, probe.receiveMessage(WAIT));
    Pod stored = stored("reported");
    assertEquals("Running", stored.status().phase());
    assertEquals("127.64.0.9", stored.status().podIP());
    assertTrue(recorded.revision() > 0);

    f.gateway.tell(new HostGatewayProtocol.ReportPodStatus("host-other", PodKey.of(pod), running, probe.ref()));
    assertInstanceOf(PodGone.class, probe.receiveMessage(WAIT), "another host's report is refused");
    PodKey stale = new PodKey("default", "reported", "not-its-uid");
    f.gateway.tell(new HostGatewayProtocol.ReportPodStatus("host-s", stale, running, probe.ref()));
    assertInstanceOf(PodGone.class, probe.receiveMessage(WAIT), "a report about an older pod of that name");
  }

  @Test
  void aHostStartingARunningPodAgainKeepsItRunning() {
    register("host-r", 1);
    Pod pod = f.createBound("restarted", "host-r");
    TestProbe<HostGatewayProtocol.StatusReply> probe = f.quorum.kit.createTestProbe();
    PodStatus running = new PodStatus("Running", null, null, null, "127.0.0.1", "127.64.0.7", "2026-11-21T10:00:00Z",
        null);
    f.gateway.tell(new HostGatewayProtocol.ReportPodStatus("host-r", PodKey.of(pod), running, probe.ref()));
    assertInstanceOf(StatusRecorded.class, probe.receiveMessage(WAIT));
    // the host fenced itself (a late lease renewal), adopted the pod anew and reports its containers starting
    PodStatus starting = new PodStatus("Pending", null, null, null, "127.0.0.1", "127.64.0.7", null, null);
    f.gateway.tell(new HostGatewayProtocol.ReportPodStatus("host-r", PodKey.of(pod), starting, probe.ref()));
    assertInstanceOf(StatusRecorded.class, probe.receiveMessage(WAIT), "not PodGone: the host must keep the pod");
    Pod stored = stored("restarted");
    assertEquals("Running", stored.status().phase(), "phases never go back");
    assertEquals("2026-11-21T10:00:00Z", stored.status().startTime());
  }

  @Test
  void aConfirmedStopEndsTheGracefulDeletion() {
    register("host-c", 1);
    Pod pod = f.createBound("stopping", "host-c");
    ObjectRef ref = new ObjectRef(ResourceKind.PODS, "default", "stopping");
    Mutations.Outcome deleted = await(f.entities.mutations().delete(ref, new Mutations.DeleteOptions(30L, null, null)));
    Pod terminating = (Pod) assertInstanceOf(Mutations.Outcome.Done.class, deleted).object();
    assertTrue(terminating.metadata().isTerminating(), "a bound pod waits for its host");
    TestProbe<HostGatewayProtocol.StatusReply> probe = f.quorum.kit.createTestProbe();
    f.gateway.tell(new HostGatewayProtocol.ConfirmPodStopped("host-c", PodKey.of(pod), null, probe.ref()));
    assertInstanceOf(StatusRecorded.class, probe.receiveMessage(WAIT));
    assertFalse(await(f.reader.get(ref)).isPresent(), "the pod is gone from the registry");
    f.gateway.tell(new HostGatewayProtocol.ConfirmPodStopped("host-c", PodKey.of(pod), null, probe.ref()));
    assertInstanceOf(PodGone.class, probe.receiveMessage(WAIT), "a repeated confirmation finds it gone");
  }

  private Pod stored(String name) {
    return (Pod) await(f.reader.get(new ObjectRef(ResourceKind.PODS, "default", name))).orElseThrow().state().object();
  }
}
