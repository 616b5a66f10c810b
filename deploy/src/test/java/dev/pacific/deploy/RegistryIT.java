package dev.pacific.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacific.deploy.bench.QuorumView;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.MemberSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #7's acceptance on real JVMs: namespaces and pods are persistent sharded entities on the
 * quorum. 1,000 pods in 20 namespaces go in through the load balancer; the control-plane member
 * hosting the most pod entities is SIGKILLed; every pod must be readable and updatable again, a
 * watch opened before the kill must resume from its last resourceVersion and see every
 * acknowledged change exactly once, in order; a key-value watcher on the quorum leader must do
 * the same through the leader's SIGKILL (issue #5); and a full {@code down} + {@code up} keeps
 * every object with the same resourceVersion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryIT {

  private static final int NAMESPACES = 20;
  private static final int PODS_PER_NAMESPACE = 50;
  private static final int CLIENTS = 8;
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static TestCluster cluster;
  private static Api api;
  private static ExecutorService clients;
  /** The resourceVersion of every acknowledged write, by pod (namespace/name), in acknowledgement order. */
  private static final Map<String, List<Long>> acknowledged = new ConcurrentHashMap<>();

  @BeforeAll
  static void up() throws Exception {
    cluster = new TestCluster("registry", 3, 0);
    api = new Api(cluster.api());
    clients = Executors.newFixedThreadPool(CLIENTS);
  }

  @AfterAll
  static void destroy() throws Exception {
    if (clients != null) {
      clients.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
      assertEquals(List.of(), cluster.strays(), "every process the test started is gone");
    }
  }

  private static String ns(int i) {
    return "team-" + i;
  }

  private static String podKey(int i) {
    return ns(i % NAMESPACES) + "/pod-" + i;
  }

  private static int pods() {
    return NAMESPACES * PODS_PER_NAMESPACE;
  }

  /** Runs {@code op} for 0..n-1 on the client pool until each has succeeded once; returns the elapsed ms. */
  private static long everyOnce(int n, String what, IntPredicate op) throws Exception {
    long start = System.nanoTime();
    AtomicInteger failures = new AtomicInteger();
    List<Future<?>> work = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      work.add(clients.submit(() -> {
        for (int i = client; i < n; i += CLIENTS) {
          while (!op.test(i)) {
            failures.incrementAndGet();
            if (System.nanoTime() - start > DEADLINE.toNanos()) {
              throw new AssertionError("timed out: " + what + " #" + i);
            }
            sleep(100);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get(DEADLINE.toSeconds() + 10, TimeUnit.SECONDS);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("RegistryIT: %s: %d in %d ms (%.0f/s), %d failed attempts retried%n", what, n, ms,
        n * 1000.0 / Math.max(ms, 1), failures.get());
    return ms;
  }

  /** Sets label {@code gen} on pod {@code i} with a PUT of what was read; records the acknowledged version. */
  private static boolean relabel(int i, String gen) {
    String key = podKey(i);
    String[] parts = key.split("/");
    Http.Answer read = api.get(Api.podPath(parts[0], parts[1]));
    if (read == null || read.code() != 200) {
      return false;
    }
    ObjectNode pod = (ObjectNode) read.body();
    ((ObjectNode) pod.with("metadata").with("labels")).put("gen", gen);
    Http.Answer written = api.put(Api.podPath(parts[0], parts[1]), pod);
    if (written == null || written.code() != 200) {
      return false;
    }
    acknowledged.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
        .add(Long.parseLong(Api.resourceVersion(written.body())));
    return true;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @Order(1)
  void aThousandPodsGoInThroughTheLoadBalancer() throws Exception {
    everyOnce(NAMESPACES, "namespaces created", i -> {
      Http.Answer a = api.post("/api/v1/namespaces", Api.namespace(ns(i)));
      return a != null && (a.code() == 201 || a.code() == 409);
    });
    everyOnce(pods(), "pods created", i -> {
      Http.Answer a = api.post(Api.namespacePath(ns(i % NAMESPACES)) + "/pods", Api.pod(ns(i % NAMESPACES), "pod-" + i));
      if (a != null && a.code() == 201) {
        acknowledged.computeIfAbsent(podKey(i), k -> Collections.synchronizedList(new ArrayList<>()))
            .add(Long.parseLong(Api.resourceVersion(a.body())));
      }
      return a != null && (a.code() == 201 || a.code() == 409);
    });
    List<JsonNode> all = api.listAll("/api/v1/pods", 300);
    assertNotNull(all, "the paged list of every pod answers");
    assertEquals(pods(), all.size(), "every created pod is listed once");
    List<JsonNode> one = api.listAll(Api.namespacePath(ns(3)) + "/pods", 7);
    assertEquals(PODS_PER_NAMESPACE, one.size(), "a namespace lists its own pods, in pages of 7");
  }

  @Test
  @Order(2)
  void killingTheMemberWithTheMostPodsLosesNothing() throws Exception {
    Http.Answer list = api.get("/api/v1/pods?limit=1");
    long from = Long.parseLong(list.body().path("metadata").path("resourceVersion").asText());
    String victim = busiestControlPlane();
    // The watch starts on the victim itself, so its death always forces a resume through the LB.
    try (WatchFollower watch = WatchFollower.objects(memberApi(victim), cluster.api(), "/api/v1/pods", from)) {
      everyOnce(pods(), "pods relabelled before the kill", i -> relabel(i, "a"));
      cluster.launcher.kill(victim);
      long killed = System.nanoTime();
      long took = everyOnce(pods(), "pods relabelled after SIGKILL of " + victim, i -> relabel(i, "b"));
      System.out.printf("RegistryIT: every pod readable and updated again %d ms after the kill%n",
          (System.nanoTime() - killed) / 1_000_000);
      assertTrue(took < DEADLINE.toMillis());
      long last = acknowledged.values().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElseThrow();
      Http.await(DEADLINE, "the watch has seen revision " + last, () -> watch.lastRevision() >= last);
      checkExactlyOnceInOrder(watch.seen(), from);
      System.out.printf("RegistryIT: the watch saw %d events, resumed %d times%n", watch.seen().size(),
          watch.resumes());
      assertTrue(watch.resumes() >= 1, "the watch, served by " + victim + ", resumed elsewhere");
      cluster.launcher.start(victim, Duration.ofSeconds(120));
    }
  }

  /** Every acknowledged write after {@code from} appears exactly once, and revisions only grow. */
  private static void checkExactlyOnceInOrder(List<WatchFollower.Seen> seen, long from) {
    Map<Long, WatchFollower.Seen> byRevision = new HashMap<>();
    long previous = from;
    for (WatchFollower.Seen e : seen) {
      assertTrue(e.modRevision() > previous, "revisions only grow: " + e + " after " + previous);
      previous = e.modRevision();
      assertEquals(null, byRevision.put(e.modRevision(), e), "seen once: " + e);
    }
    int checked = 0;
    for (Map.Entry<String, List<Long>> pod : acknowledged.entrySet()) {
      for (long rv : pod.getValue()) {
        if (rv > from) {
          WatchFollower.Seen e = byRevision.get(rv);
          assertNotNull(e, "the watch saw the acknowledged write of " + pod.getKey() + " at " + rv);
          assertEquals(pod.getKey(), e.key(), "the event at " + rv + " is that pod's");
          checked++;
        }
      }
    }
    assertEquals(2 * pods(), checked, "both relabels of every pod were acknowledged and seen");
  }

  private static String memberApi(String name) {
    return "http://127.0.0.1:" + cluster.launcher.cluster().orElseThrow().member(name).orElseThrow().httpPort();
  }

  /**
   * Issue #5 on real JVMs: a key-value watcher whose serving member (the quorum leader, the worst
   * case) is SIGKILLed resumes through the load balancer from its last revision and sees every
   * committed change of a concurrent writer exactly once, in revision order, without gaps.
   */
  @Test
  @Order(3)
  void aKeyValueWatcherResumesElsewhereWhenItsMemberIsKilled() throws Exception {
    Kv kv = new Kv(cluster.api(), Duration.ofSeconds(2));
    Kv.Answer first = kv.put("watched/start", "0");
    assertTrue(first != null && first.code() == 200, "the first watched write: " + first);
    long start = first.revision();
    for (MemberSpec m : cluster.launcher.cluster().orElseThrow().nodes()) {
      Http.await(DEADLINE, m.name() + " is ready (the member restarted by the previous test too)", () -> {
        Http.Answer r = Http.get(memberApi(m.name()) + "/readyz");
        return r != null && r.code() == 200;
      });
    }
    Map<String, Long> versionsBefore = WatchedKeys.versions(kv, DEADLINE);
    String victim = QuorumView.leader(cluster.launcher.cluster().orElseThrow()).orElseThrow();
    List<long[]> acked = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int i = 1; writing.get(); i++) {
        Kv.Answer a = kv.put(WatchedKeys.key(i), "v" + i);
        if (a != null && a.code() == 200) {
          acked.add(new long[] {a.revision(), i});
        }
      }
    }, "watched-writer");
    try (WatchFollower watcher = new WatchFollower(memberApi(victim), cluster.api(), "watched/", start)) {
      writer.start();
      Thread.sleep(2000);
      cluster.launcher.kill(victim);
      long killed = System.nanoTime();
      int before = acked.size();
      Http.await(DEADLINE, "writes are acknowledged after the leader's SIGKILL", () -> acked.size() > before + 50);
      Thread.sleep(2000);
      writing.set(false);
      writer.join(30_000);
      long last = acked.stream().mapToLong(r -> r[0]).max().orElseThrow();
      long ms = Http.await(DEADLINE, "the watcher saw revision " + last, () -> watcher.lastRevision() >= last);
      List<WatchFollower.Seen> seen = watcher.seen();
      System.out.printf("RegistryIT: key-value watcher on the leader %s saw %d events through its SIGKILL, resumed "
          + "%d times, caught up %d ms after the last of %d acknowledged writes (%d ms after the kill)%n", victim,
          seen.size(), watcher.resumes(), ms, acked.size(), (System.nanoTime() - killed) / 1_000_000);
      assertTrue(watcher.resumes() >= 1, "the watch, served by " + victim + ", resumed elsewhere");
      WatchedKeys.check(seen, start, acked, versionsBefore, WatchedKeys.versions(kv, DEADLINE));
    } finally {
      writing.set(false);
      cluster.launcher.start(victim, Duration.ofSeconds(120));
    }
  }

  /** The control-plane member hosting the most pod entities, as each member reports about itself. */
  private static String busiestControlPlane() {
    Map<Integer, String> byCount = new TreeMap<>();
    for (MemberSpec m : cluster.launcher.cluster().orElseThrow().nodes()) {
      if (m.role().equals("control-plane")) {
        Http.Answer a = Http.get("http://127.0.0.1:" + m.httpPort() + "/admin/v1/entities");
        assertNotNull(a, m.name() + " answers /admin/v1/entities");
        int count = a.body().path("entities").path("pods").asInt();
        System.out.printf("RegistryIT: %s hosts %d pod entities%n", m.name(), count);
        byCount.put(count, m.name());
      }
    }
    return ((TreeMap<Integer, String>) byCount).lastEntry().getValue();
  }

  @Test
  @Order(4)
  void downThenUpKeepsEveryObjectAndItsResourceVersion() throws Exception {
    Map<String, String> before = versions();
    assertEquals(pods() + NAMESPACES, before.size(), "every pod and namespace is there before the restart");
    cluster.launcher.down();
    cluster.launcher.up(Launcher.UpOptions.defaults());
    Map<String, String> after = new HashMap<>();
    Http.await(DEADLINE, "every object is listed after the restart", () -> {
      after.clear();
      after.putAll(versions());
      return after.size() == before.size();
    });
    assertEquals(before, after, "same objects, same resourceVersions");
    Set<String> gens = new java.util.HashSet<>();
    for (JsonNode p : api.listAll("/api/v1/pods", 500)) {
      gens.add(p.path("metadata").path("labels").path("gen").asText());
    }
    assertEquals(Set.of("b"), gens, "the last acknowledged update of every pod survived");
  }

  /** kind/namespace/name → resourceVersion of every namespace and pod. */
  private static Map<String, String> versions() {
    Map<String, String> out = new HashMap<>();
    List<JsonNode> namespaces = api.listAll("/api/v1/namespaces", 100);
    List<JsonNode> pods = api.listAll("/api/v1/pods", 500);
    if (namespaces == null || pods == null) {
      return out;
    }
    namespaces.stream().filter(n -> n.path("metadata").path("name").asText().startsWith("team-"))
        .forEach(n -> out.put("ns/" + n.path("metadata").path("name").asText(), Api.resourceVersion(n)));
    pods.forEach(p -> out.put("pod/" + p.path("metadata").path("namespace").asText() + "/"
        + p.path("metadata").path("name").asText(), Api.resourceVersion(p)));
    return out;
  }
}
