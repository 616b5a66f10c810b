package dev.pacific.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacific.deploy.bench.ImageDirectory;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.deploy.launcher.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #9's acceptance on real JVMs: 3 control-plane members, 3 hosts running pods as OS
 * processes, and the load balancer. 30 pods go in through the API and spread over the hosts; a
 * host is SIGKILLed (its Always pods run again elsewhere, its Never pods fail with NodeLost) and
 * started again; another is paused with SIGSTOP past its lease and resumed; a third is put in
 * maintenance. Throughout, a sampler reads every pod process's markers from {@code /proc}: no pod
 * may ever run twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostsIT {

  private static final String NS = "hosts-it";
  private static final int PODS = 30;
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Set<String> HOSTS = Set.of("host-1", "host-2", "host-3");

  private static TestCluster cluster;
  private static Api api;
  private static PodProcesses processes;
  private static DoubleRunWatch watch;
  /** Pod names by uid, for the sampler's messages. */
  private static final Map<String, String> names = new ConcurrentHashMap<>();
  /** The host SIGKILLed in test 3 and started again in test 4. */
  private static String killed;
  private static MemberSpec paused;
  private static String image;

  @BeforeAll
  static void up() throws Exception {
    cluster = new TestCluster("hosts", 3, 3, List.of());
    api = new Api(cluster.api());
    // Through the content library, as an operator publishes an image: hosts pull it from there by default.
    Http.Answer uploaded = api.post("/admin/v1/images?name=hello",
        ImageDirectory.archive(Map.of("greeting.txt", "hello\n")), "application/gzip");
    assertEquals(201, uploaded.code(), String.valueOf(uploaded.body()));
    image = uploaded.body().path("image").asText();
    assertTrue(image.startsWith("hello@sha256:"), image);
    Http.Answer listed = api.get("/admin/v1/images");
    assertEquals(image, listed.body().path("items").path(0).path("image").asText(), String.valueOf(listed.body()));
    processes = PodProcesses.ofClusterOf(Path.of(member("host-1").dataDir()));
    watch = new DoubleRunWatch(processes, uid -> names.getOrDefault(uid, "?"), 200);
    assertEquals(201, api.post("/api/v1/namespaces", Api.namespace(NS)).code());
  }

  @AfterAll
  static void destroy() throws Exception {
    if (paused != null && Processes.alive(paused)) {
      signal(paused, "CONT"); // a member left stopped by a failed test
    }
    if (watch != null) {
      watch.close();
    }
    if (cluster != null) {
      cluster.close();
      assertEquals(List.of(), cluster.strays(), "every process the test started is gone");
      assertEquals(List.of(), processes.scan(), "no pod process outlives its cluster");
    }
  }

  /**
   * {@link Http#await}, and when it times out each live member's threads go to its log first (kept under
   * target/it-logs): a control plane that keeps its quorum but does nothing else is read from them.
   */
  private static long await(Duration limit, String what, java.util.function.Supplier<Boolean> condition)
      throws InterruptedException {
    try {
      return Http.await(limit, what, condition);
    } catch (AssertionError timedOut) {
      cluster.launcher.cluster().ifPresent(ThreadDumps::appendToLogs);
      throw timedOut;
    }
  }

  private static MemberSpec member(String name) {
    return cluster.launcher.cluster().orElseThrow().member(name).orElseThrow();
  }

  /**
   * One container from the image: says the greeting its bundle holds (for the log test; builtins only, so the pod
   * is one process throughout), then sleeps as one process carrying the pod's markers.
   */
  private static ObjectNode pod(String name, String restartPolicy) {
    ObjectNode pod = Http.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
    // Never pods have a label of their own, so that spreading places some on every host (spread counts alike pods).
    pod.putObject("metadata").put("name", name).putObject("labels").put("app", "hosts-it-" + restartPolicy);
    ObjectNode spec = pod.putObject("spec").put("restartPolicy", restartPolicy).put("terminationGracePeriodSeconds", 2);
    ObjectNode c = spec.putArray("containers").addObject().put("name", "main").put("image", image);
    c.putArray("command").add("sh").add("-c")
        .add("read greeting < greeting.txt; echo \"$greeting from $HOSTNAME\"; exec sleep 3600");
    c.putObject("resources").putObject("requests").put("cpu", "10m").put("memory", "16Mi");
    return pod;
  }

  private static void create(String name, String restartPolicy) {
    Http.Answer a = api.post("/api/v1/namespaces/" + NS + "/pods", pod(name, restartPolicy));
    assertNotNull(a, "the API answers a create");
    assertEquals(201, a.code(), "create " + name + ": " + a.body());
    names.put(a.body().path("metadata").path("uid").asText(), name);
  }

  /** Every pod of the namespace by name, or an empty map when the list failed (the caller waits). */
  private static Map<String, JsonNode> pods() {
    List<JsonNode> items = api.listAll("/api/v1/namespaces/" + NS + "/pods", 500);
    Map<String, JsonNode> byName = new TreeMap<>();
    if (items != null) {
      items.forEach(p -> byName.put(p.path("metadata").path("name").asText(), p));
    }
    return byName;
  }

  private static String phase(JsonNode pod) {
    return pod.path("status").path("phase").asText();
  }

  private static String node(JsonNode pod) {
    return pod.path("spec").path("nodeName").asText("");
  }

  private static String uid(JsonNode pod) {
    return pod.path("metadata").path("uid").asText();
  }

  private static boolean runningOn(JsonNode pod, String host) {
    return phase(pod).equals("Running") && node(pod).equals(host);
  }

  private static Map<String, List<String>> podsByHost(Map<String, JsonNode> pods) {
    Map<String, List<String>> byHost = new TreeMap<>();
    pods.forEach((name, p) -> {
      if (phase(p).equals("Running")) {
        byHost.computeIfAbsent(node(p), h -> new ArrayList<>()).add(name);
      }
    });
    return byHost;
  }

  private static String nodeReady(String host) {
    Http.Answer a = api.get("/api/v1/nodes/" + host);
    return a != null && a.code() == 200 ? Http.readyStatus(a.body()) : "unanswered";
  }

  /**
   * The operating system agrees with the API: every Running pod has exactly one process, on the
   * host it is bound to, and no other pod of the namespace has any.
   */
  private static void assertProcessesMatchTheApi(String when) throws InterruptedException {
    // Reports reach the API a moment after a process starts or ends: wait for agreement, then check it holds.
    String[] last = {""};
    try {
      await(Duration.ofSeconds(60), "the pod processes match the API " + when, () -> {
        last[0] = processDifference(pods());
        return last[0].isEmpty();
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the last difference: " + last[0], e);
    }
    String again = processDifference(pods());
    assertEquals("", again, "the pod processes match the API " + when);
  }

  private static String processDifference(Map<String, JsonNode> pods) {
    if (pods.isEmpty()) {
      return "no pod list";
    }
    Map<String, List<PodProcesses.Seen>> seen = processes.byPod();
    List<String> differences = new ArrayList<>();
    pods.forEach((name, p) -> {
      List<PodProcesses.Seen> copies = seen.getOrDefault(uid(p), List.of());
      if (phase(p).equals("Running")) {
        if (copies.size() != 1 || !copies.get(0).host().equals(node(p))) {
          differences.add(name + " Running on " + node(p) + " but its processes are " + copies);
        }
      } else if (!copies.isEmpty()) {
        differences.add(name + " " + phase(p) + " on '" + node(p) + "' but its processes are " + copies);
      }
    });
    return String.join("; ", differences);
  }

  private static void signal(MemberSpec m, String signal) throws Exception {
    Process kill = new ProcessBuilder("/usr/bin/kill", "-" + signal, Long.toString(m.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + m.name());
  }

  @Test
  @Order(1)
  void thirtyPodsRunSpreadOverTheThreeHosts() throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < PODS; i++) {
      create("pod-" + i, i % 3 == 0 ? "Never" : "Always");
    }
    long created = (System.nanoTime() - start) / 1_000_000;
    long running = await(Duration.ofSeconds(180), "all " + PODS + " pods are Running",
        () -> pods().values().stream().filter(p -> phase(p).equals("Running")).count() == PODS);
    Map<String, List<String>> byHost = podsByHost(pods());
    System.out.printf("HostsIT: %d pods created in %d ms, all Running %d ms later; per host: %s%n", PODS, created,
        running, byHost.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList());
    assertEquals(HOSTS, byHost.keySet(), "every host runs pods");
    byHost.forEach((host, onIt) -> assertTrue(onIt.size() >= PODS / 3 / 2, host + " has its share: " + byHost));
    assertProcessesMatchTheApi("after the creates");
  }

  @Test
  @Order(2)
  void logsAreReadableThroughTheApi() {
    Map<String, JsonNode> pods = pods();
    for (String host : HOSTS) {
      String name = pods.entrySet().stream().filter(e -> runningOn(e.getValue(), host)).map(Map.Entry::getKey)
          .findFirst().orElseThrow();
      Http.Answer log = api.get("/api/v1/namespaces/" + NS + "/pods/" + name + "/log");
      assertNotNull(log, "the API answers the log of " + name);
      assertEquals(200, log.code(), "log of " + name + " on " + host + ": " + log.body());
      assertEquals("hello from " + name, log.body().asText().strip(), "the log of " + name + " on " + host);
    }
    System.out.println("HostsIT: the log of a pod on each host read through the API: \"hello from POD\"");
    Http.Answer missing = api.get("/api/v1/namespaces/" + NS + "/pods/no-such-pod/log");
    assertEquals(404, missing.code(), "the log of a pod that does not exist");
  }

  @Test
  @Order(3)
  void aKilledHostsAlwaysPodsRunElsewhereAndItsNeverPodsFailWithNodeLost() throws Exception {
    Map<String, JsonNode> before = pods();
    // The host with the most Never pods (each has some: every third pod is Never).
    killed = HOSTS.stream().max(java.util.Comparator.comparingLong(h -> before.values().stream()
        .filter(p -> runningOn(p, h) && p.path("spec").path("restartPolicy").asText().equals("Never")).count()))
        .orElseThrow();
    List<String> always = new ArrayList<>();
    List<String> never = new ArrayList<>();
    before.forEach((name, p) -> {
      if (runningOn(p, killed)) {
        (p.path("spec").path("restartPolicy").asText().equals("Never") ? never : always).add(name);
      }
    });
    assertFalse(always.isEmpty(), killed + " runs Always pods");
    assertFalse(never.isEmpty(), killed + " runs Never pods");

    cluster.launcher.kill(killed);
    long kill = System.nanoTime();
    long gone = await(Duration.ofSeconds(30), "the pod processes of " + killed + " died with it",
        () -> processes.onHost(killed).isEmpty());
    long notReady = await(DEADLINE, killed + " is Ready=False", () -> nodeReady(killed).equals("False"))
        + gone;
    await(DEADLINE, "the " + always.size() + " Always pods of " + killed + " Running on other hosts", () -> {
      Map<String, JsonNode> now = pods();
      return !now.isEmpty() && always.stream().allMatch(n -> phase(now.get(n)).equals("Running")
          && !node(now.get(n)).isEmpty() && !node(now.get(n)).equals(killed));
    });
    long moved = (System.nanoTime() - kill) / 1_000_000;
    await(DEADLINE, "the " + never.size() + " Never pods of " + killed + " Failed with NodeLost", () -> {
      Map<String, JsonNode> now = pods();
      return !now.isEmpty() && never.stream().allMatch(n -> phase(now.get(n)).equals("Failed")
          && now.get(n).path("status").path("reason").asText().equals("NodeLost"));
    });
    long failed = (System.nanoTime() - kill) / 1_000_000;
    System.out.printf("HostsIT: SIGKILL of %s (%d Always, %d Never pods): its processes gone after %d ms, "
        + "Ready=False after %d ms, Always pods Running elsewhere after %d ms (recovery time), Never pods "
        + "Failed/NodeLost after %d ms%n", killed, always.size(), never.size(), gone, notReady, moved, failed);

    Map<String, JsonNode> after = pods();
    for (String name : always) {
      JsonNode p = after.get(name);
      assertEquals(uid(before.get(name)), uid(p), name + " keeps its uid");
      String history = p.path("metadata").path("annotations").path("pacific.dev/node-history").asText();
      assertTrue(List.of(history.split(",")).contains(killed), name + "'s node history names " + killed + ": "
          + history);
    }
    assertProcessesMatchTheApi("after " + killed + " was killed");
  }

  @Test
  @Order(4)
  void theKilledHostComesBackAndNoPodRunsTwice() throws Exception {
    Map<String, JsonNode> before = pods();
    MemberSpec started = cluster.launcher.start(killed, DEADLINE);
    long ready = await(DEADLINE, killed + " is Ready again", () -> nodeReady(killed).equals("True"));
    System.out.printf("HostsIT: %s restarted (pid %d), Ready %d ms after it answered%n", killed, started.pid(),
        ready);
    Thread.sleep(5_000); // a host that wrongly restarted its old pods would have by now
    Map<String, JsonNode> after = pods();
    before.forEach((name, p) -> {
      assertEquals(node(p), node(after.get(name)), name + " stays where it was");
      assertEquals(phase(p), phase(after.get(name)), name + " keeps its phase");
    });
    assertEquals(List.of(), processes.onHost(killed), killed + " runs none of its old pods");
    assertEquals(List.of(), watch.violations(), "no pod ran twice");
    assertProcessesMatchTheApi("after " + killed + " came back");
  }

  @Test
  @Order(5)
  void aHostPausedPastItsLeaseStopsItsPodsBeforeTheyRunElsewhere() throws Exception {
    Map<String, JsonNode> before = pods();
    String host = HOSTS.stream().filter(h -> !h.equals(killed)).max(java.util.Comparator.comparingLong(
        h -> before.values().stream().filter(p -> runningOn(p, h)).count())).orElseThrow();
    List<String> always = new ArrayList<>();
    before.forEach((name, p) -> {
      if (runningOn(p, host) && p.path("spec").path("restartPolicy").asText().equals("Always")) {
        always.add(name);
      }
    });
    assertFalse(always.isEmpty(), host + " runs Always pods");
    paused = member(host);

    signal(paused, "STOP");
    long stop = System.nanoTime();
    long fenced = await(DEADLINE, "the pods of the paused " + host + " are stopped by its watchdog",
        () -> processes.onHost(host).isEmpty());
    await(DEADLINE, "the " + always.size() + " Always pods of the paused " + host + " Running elsewhere", () -> {
      Map<String, JsonNode> now = pods();
      return !now.isEmpty() && always.stream().allMatch(n -> phase(now.get(n)).equals("Running")
          && !node(now.get(n)).isEmpty() && !node(now.get(n)).equals(host));
    });
    long moved = (System.nanoTime() - stop) / 1_000_000;
    signal(paused, "CONT");
    long resumed = System.nanoTime();
    System.out.printf("HostsIT: SIGSTOP of %s (%d Always pods): its pods stopped by the watchdog after %d ms, "
        + "Running elsewhere after %d ms; SIGCONT then%n", host, always.size(), fenced, moved);

    // Resumed, the host learns its lease is gone, or that it was downed (it then exits, as a downed member does).
    Thread.sleep(10_000);
    boolean exited = !Processes.alive(paused);
    if (exited) {
      System.out.printf("HostsIT: %s exited after SIGCONT (downed while paused); starting it again%n", host);
      cluster.launcher.start(host, DEADLINE);
    }
    long ready = await(DEADLINE, host + " is Ready again", () -> nodeReady(host).equals("True"));
    System.out.printf("HostsIT: %s Ready again %d ms after SIGCONT%n", host, (System.nanoTime() - resumed) / 1_000_000);
    paused = null;
    Thread.sleep(5_000);
    assertEquals(List.of(), processes.onHost(host), host + " runs none of the pods moved away while it was paused");
    assertEquals(List.of(), watch.violations(), "no pod ran twice");
    assertProcessesMatchTheApi("after " + host + " was resumed");
  }

  @Test
  @Order(6)
  void maintenanceEmptiesAHostAndKeepsItEmpty() throws Exception {
    Map<String, JsonNode> before = pods();
    String host = HOSTS.stream().max(java.util.Comparator.comparingLong(
        h -> before.values().stream().filter(p -> runningOn(p, h)).count())).orElseThrow();
    List<String> onHost = before.entrySet().stream().filter(e -> runningOn(e.getValue(), host))
        .map(Map.Entry::getKey).toList();
    assertFalse(onHost.isEmpty(), host + " runs pods");
    ObjectNode on = Http.JSON.createObjectNode().put("enabled", true);
    Http.Answer a = api.post("/admin/v1/nodes/" + host + "/maintenance", on);
    assertEquals(200, a.code(), "maintenance on: " + a.body());
    assertTrue(a.body().path("spec").path("unschedulable").asBoolean(), "cordoned: " + a.body());
    assertEquals("true", a.body().path("metadata").path("annotations").path("pacific.dev/maintenance").asText());
    long start = System.nanoTime();

    long emptied = await(DEADLINE, host + " in maintenance runs no pod and its " + onHost.size()
        + " pods Running elsewhere", () -> {
          Map<String, JsonNode> now = pods();
          return !now.isEmpty() && onHost.stream().allMatch(n -> phase(now.get(n)).equals("Running")
              && !node(now.get(n)).isEmpty() && !node(now.get(n)).equals(host))
              && processes.onHost(host).isEmpty();
        });
    System.out.printf("HostsIT: maintenance on %s: its %d pods stopped and Running elsewhere after %d ms%n", host,
        onHost.size(), emptied);

    // New pods while it is in maintenance go elsewhere.
    for (int i = 0; i < 6; i++) {
      create("late-" + i, "Always");
    }
    await(DEADLINE, "the 6 pods created during maintenance are Running", () -> pods().entrySet().stream()
        .filter(e -> e.getKey().startsWith("late-") && phase(e.getValue()).equals("Running")).count() == 6);
    Thread.sleep(3_000);
    Map<String, JsonNode> during = pods();
    during.forEach((name, p) -> assertFalse(node(p).equals(host) && !phase(p).equals("Failed"),
        name + " is not placed on " + host + " in maintenance"));
    assertEquals(List.of(), processes.onHost(host), host + " in maintenance stays empty");
    assertProcessesMatchTheApi("with " + host + " in maintenance");
    System.out.printf("HostsIT: maintenance took %d ms in all; %s stayed empty%n",
        (System.nanoTime() - start) / 1_000_000, host);

    Http.Answer off = api.post("/admin/v1/nodes/" + host + "/maintenance",
        Http.JSON.createObjectNode().put("enabled", false));
    assertEquals(200, off.code(), "maintenance off: " + off.body());
    assertFalse(off.body().path("spec").path("unschedulable").asBoolean(), "back in service: " + off.body());
  }

  @Test
  @Order(7)
  void noPodEverRanTwice() throws Exception {
    assertProcessesMatchTheApi("at the end");
    System.out.printf("HostsIT: %d samples of every pod process, %d double runs%n", watch.samples(),
        watch.violations().size());
    assertTrue(watch.samples() > 100, "the sampler ran: " + watch.samples());
    assertEquals(List.of(), watch.violations(), "no pod ran twice");
    Map<String, Long> phases = pods().values().stream().collect(Collectors.groupingBy(HostsIT::phase,
        TreeMap::new, Collectors.counting()));
    System.out.println("HostsIT: pods by phase at the end: " + phases);
  }
}
