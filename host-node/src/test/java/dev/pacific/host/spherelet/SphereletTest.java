package dev.pacific.host.spherelet;

import static dev.pacific.host.spherelet.HostHarness.HOST;
import static dev.pacific.host.spherelet.HostHarness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pacific.api.Node;
import dev.pacific.api.NodeAddress;
import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.host.addresses.PodAddresses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The spherelet against a fake control-plane gateway that speaks the wire protocol: it registers
 * and keeps its lease, runs the pods bound to it and reports their status, and stops a deleted pod
 * gracefully before confirming it.
 */
class SphereletTest {

  private final ActorTestKit kit = ActorTestKit.create();
  private final FakeRegistry registry = new FakeRegistry(Duration.ofSeconds(3));
  private HostHarness host;

  @AfterEach
  void shutDown() {
    kit.shutdownTestKit();
    if (host != null) {
      host.close();
    }
  }

  private FakeGateway gateway(String name) {
    FakeGateway g = new FakeGateway(name, registry);
    kit.spawn(g.behavior(), name);
    return g;
  }

  private void startSpherelet() throws InterruptedException {
    kit.spawn(SphereletCore.create(host.kit), "spherelet");
    assertTrue(eventually(Duration.ofSeconds(10), () -> !registry.registrationsSoFar().isEmpty()), "registered");
  }

  private Optional<PodStatus> lastReport(String uid) {
    List<FakeRegistry.Report> reports = registry.reportsOf(uid);
    return reports.isEmpty() ? Optional.empty() : Optional.of(reports.get(reports.size() - 1).status());
  }

  private PodStatus awaitPhase(String uid, String phase) throws InterruptedException {
    assertTrue(eventually(Duration.ofSeconds(20), () -> lastReport(uid).map(s -> phase.equals(s.phase()))
        .orElse(false)), "pod " + uid + " reported " + phase + "; reports: " + registry.reportsOf(uid));
    return lastReport(uid).orElseThrow();
  }

  @Test
  void registersItsNodeWithCapacityAndAddressesThenRenewsTheLeaseWellInsideItsTtl() throws Exception {
    host = HostHarness.processes();
    gateway("gw-1");
    startSpherelet();
    assertTrue(eventually(Duration.ofSeconds(15), () -> registry.renewals().size() >= 5), "renewals keep coming");

    Node node = registry.registrationsSoFar().get(0);
    assertEquals(HOST, node.metadata().name());
    assertEquals("2", node.status().capacity().get("cpu").toString());
    assertEquals("4Gi", node.status().capacity().get("memory").toString());
    assertEquals("20", node.status().capacity().get("pods").toString());
    assertEquals(node.status().capacity(), node.status().allocatable());
    assertEquals("z1", node.metadata().labels().get("zone"));
    assertEquals(HOST, node.metadata().labels().get("kubernetes.io/hostname"));
    assertTrue(node.status().addresses().contains(new NodeAddress("InternalIP", "127.0.0.1")));
    assertEquals(40999, node.status().daemonEndpoints().kubeletEndpoint().port());

    List<Long> renewals = registry.renewals();
    long widestGap = 0;
    for (int i = 1; i < renewals.size(); i++) {
      widestGap = Math.max(widestGap, renewals.get(i) - renewals.get(i - 1));
    }
    System.out.printf("lease TTL %d ms: %d renewals, widest gap %d ms%n", registry.ttl().toMillis(), renewals.size(),
        TimeUnit.NANOSECONDS.toMillis(widestGap));
    assertTrue(widestGap < registry.ttl().toNanos() / 2, "renewals come well inside the TTL");
    assertTrue(host.watchdog.mayStartPods(), "the watchdog holds the lease the host renewed");
  }

  @Test
  void aBoundPodRunsAsARealProcessAndItsRunningStatusCarriesItsPodIp() throws Exception {
    host = HostHarness.processes();
    gateway("gw-1");
    startSpherelet();
    Pod pod = registry.bind(FakeRegistry.pod("web", "Always",
        List.of("sh", "-c", "echo hello from $POD_IP; exec sleep 1000"), null), HOST);
    String uid = pod.metadata().uid();

    PodStatus running = awaitPhase(uid, "Running");
    assertNotNull(running.podIP());
    assertTrue(PodAddresses.inRange(running.podIP()), running.podIP());
    assertEquals("127.0.0.1", running.hostIP());
    assertNotNull(running.containerStatuses().get(0).state().running(), "container running: " + running);
    assertNotNull(running.startTime());

    List<Long> pids = host.processesOf(uid);
    assertEquals(1, pids.size(), "one process carries the pod's markers: " + pids);
    String environ = Files.readString(Path.of("/proc", pids.get(0).toString(), "environ"), StandardCharsets.UTF_8);
    assertTrue(List.of(environ.split("\0")).contains("POD_IP=" + running.podIP()), "POD_IP is the reported podIP");
    assertTrue(eventually(Duration.ofSeconds(5), () -> host.kit.logs().find("default", "web", "main", false)
        .map(f -> read(f).contains("hello from " + running.podIP())).orElse(false)), "its log is served by the host");
  }

  @Test
  void aBoundPodRunsOnTheSimulatedRuntimeAndIsReportedRunning() throws Exception {
    host = HostHarness.simulated();
    gateway("gw-1");
    startSpherelet();
    String uid = registry.bind(FakeRegistry.pod("sim", "Always", List.of("serve"), null), HOST).metadata().uid();

    PodStatus running = awaitPhase(uid, "Running");
    assertTrue(PodAddresses.inRange(running.podIP()), running.podIP());
    assertEquals(1, host.runtime.instances().stream().filter(i -> i.podUid().equals(uid)).count());
  }

  @Test
  void aDeletedPodIsStoppedGracefullyThenConfirmed() throws Exception {
    host = HostHarness.processes();
    gateway("gw-1");
    startSpherelet();
    long grace = 20;
    String uid = registry.bind(FakeRegistry.pod("graceful", "Always",
        List.of("sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo trapped; while :; do sleep 0.1; done"), grace),
        HOST).metadata().uid();
    awaitPhase(uid, "Running");
    assertFalse(host.processesOf(uid).isEmpty());
    var ref = new dev.pacific.host.runtime.PodRef(uid, "default", "graceful", null);
    // Running means started, not that the shell has set its trap yet: a SIGTERM before that kills it outright.
    assertTrue(eventually(Duration.ofSeconds(10), () -> read(host.runtimeSettings.logFile(ref, "main", 0))
        .contains("trapped")), "the shell set its trap");

    long deletedAt = System.nanoTime();
    registry.markDeleting(uid, grace);
    assertTrue(eventually(Duration.ofSeconds(grace), () -> registry.confirmationOf(uid).isPresent()),
        "the host confirmed the stop");
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deletedAt);
    List<Long> left = host.processesOf(uid);
    System.out.printf("graceful deletion confirmed %d ms after the pod was marked (grace %d s)%n", tookMillis, grace);

    assertEquals(List.of(), left, "confirmed only once its processes were gone");
    var last = registry.confirmationOf(uid).orElseThrow().finalStatus().containerStatuses().get(0);
    assertEquals(0, last.state().terminated().exitCode(), "ended by its SIGTERM trap, not SIGKILL: " + last);
    assertTrue(read(host.runtimeSettings.logFile(ref, "main", 0)).contains("got TERM"), "it saw SIGTERM");
    assertTrue(tookMillis < grace * 1000, "a graceful stop ends when the process does, not after the grace");
  }

  @Test
  void withoutAGatewayTheHostKeepsLookingAndRegistersOnceOneAppears() throws Exception {
    host = HostHarness.simulated();
    kit.spawn(SphereletCore.create(host.kit), "spherelet");
    Thread.sleep(1500);
    assertEquals(List.of(), registry.registrationsSoFar(), "nothing to register with yet");

    gateway("gw-late");
    assertTrue(eventually(Duration.ofSeconds(10), () -> !registry.registrationsSoFar().isEmpty()),
        "registered with the gateway that appeared later");
    String uid = registry.bind(FakeRegistry.pod("late", "Always", List.of("serve"), null), HOST).metadata().uid();
    awaitPhase(uid, "Running");
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

}
