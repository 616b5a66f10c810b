package dev.pacific.deploy.bench;

import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.LauncherException;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.deploy.launcher.Processes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * {@code pacific bench pods}: pods end to end, each round on a cluster of its own that it starts
 * in {@code D/process} or {@code D/simulated} and destroys afterwards.
 *
 * <ul>
 *   <li><b>latency</b> (process runtime, 3 hosts): pods created one at a time, each timed from its
 *       create request until the watch shows it Running; p50/p90/p99 (Kubernetes' SLO: p99 ≤ 5 s).
 *   <li><b>failover</b> (same cluster): the host with the most pods is SIGKILLed; the time until all
 *       its pods are Running on other hosts (Kubernetes' defaults: about 5 min 50 s; Nomad ≈ 20 s).
 *   <li><b>throughput</b> (simulated runtime, N hosts): every host in maintenance, hosts × pods-per-host
 *       pods created (they wait Pending), maintenance ended on every host at once: pods bound per
 *       second, from that moment until the last bind (Kubernetes' scheduler_perf floors: 680–810/s).
 * </ul>
 * Prints; never judges.
 */
public final class PodBench {

  /** Which rounds to run, and their sizes; {@code heap} null for the defaults ({@link #heapFor}). */
  public record Options(boolean latency, boolean failover, boolean throughput, int latencyPods, int hosts,
                        int podsPerHost, int clients, String heap, Duration timeout, int warmupPods) {}

  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int PROCESS_HOSTS = 3;

  private final Path work;
  private final Options o;
  private final PrintStream out;
  private String image;

  public PodBench(Path work, Options options, PrintStream out) {
    this.work = work.toAbsolutePath().normalize();
    this.o = options;
    this.out = out;
  }

  public void run() throws Exception {
    // The content library (/admin/v1/images) is not built yet: the hosts read the bench image from a directory.
    Path images = work.resolve("images");
    image = ImageDirectory.publish(images, "bench", Map.of("README", "pacific bench pods\n"));
    List<String> common = List.of("pacific.deploy.start-timeout=60s", "pacific.host.spherelet.image-source=" + images);
    if (o.latency() || o.failover()) {
      onCluster("process", PROCESS_HOSTS, common, this::processRounds);
    }
    if (o.throughput()) {
      List<String> settings = new ArrayList<>(common);
      // Room for every pod even if the spread is a little uneven.
      settings.add("pacific.host.max-pods=" + (o.podsPerHost() + o.podsPerHost() / 10 + 10));
      // This round kills nothing, so a member is never really gone; but fourteen JVMs starting and compiling on two
      // cores sent heartbeats 4-9 s late, and the Split Brain Resolver downed the LB and the first wave of hosts
      // (sessions 4 and 5). A longer pause than the default 6 s keeps the cluster whole while it warms up.
      settings.add("pekko.cluster.failure-detector.acceptable-heartbeat-pause=30s");
      onCluster("simulated", o.hosts(), settings, this::throughput);
    }
  }

  private interface Round {
    void run(ClusterFile cluster, Launcher launcher) throws Exception;
  }

  /**
   * The members' heap: {@code --heap}, or 256m, and for the throughput round 64m more per 1,000 pods. Every
   * control-plane member holds each pod several times over (its MVCC store and history, the Raft log, the entities
   * it hosts, the scheduler's and the hosts' views): at 10 x 1,000 pods two members of 256m ran out of heap (session
   * 6), and at 768m they used 280-470m.
   */
  static String heapFor(String given, boolean throughput, int pods) {
    if (given != null) {
      return given;
    }
    return throughput ? (256 + 64 * ((pods + 999) / 1000)) + "m" : "256m";
  }

  private void onCluster(String runtime, int hosts, List<String> settings, Round round) throws Exception {
    Launcher launcher = new Launcher(work.resolve(runtime), dev.pacific.deploy.launcher.Distribution
        .fromSystemProperty(), out);
    if (launcher.cluster().isPresent()) {
      if (launcher.cluster().get().nodes().stream().anyMatch(Processes::alive)) {
        throw new LauncherException("a cluster is running in " + launcher.dir() + " (a bench pods still running?); "
            + "`pacific destroy --dir " + launcher.dir() + "` removes it");
      }
      launcher.destroy();
    }
    out.printf("bench pods: starting 3 control-plane + %d hosts, runtime %s, in %s%n", hosts, runtime, launcher.dir());
    String heap = heapFor(o.heap(), runtime.equals("simulated"), o.hosts() * o.podsPerHost());
    out.printf("bench pods: each member's heap %s%n", heap);
    // A failed up stops what it started and says why; a destroy after it would only answer "no cluster", hiding that.
    ClusterFile cluster = launcher.up(new Launcher.UpOptions(3, hosts, runtime, heap, o.timeout(), settings));
    try {
      round.run(cluster, launcher);
    } finally {
      launcher.destroy();
    }
  }

  private void processRounds(ClusterFile cluster, Launcher launcher) throws Exception {
    URI api = URI.create(cluster.api());
    String ns = namespace(api);
    try (PodWatch watch = new PodWatch(api, ns)) {
      int pods = o.latency() ? latency(api, ns, watch) : 0;
      if (o.failover()) {
        if (pods < 3 * PROCESS_HOSTS) {
          int more = 3 * PROCESS_HOSTS - pods;
          create(api, ns, "pod-", pods, pods + more, 1);
          pods += more;
          int all = pods;
          await("the " + all + " pods Running", watch, () -> watch.count(s -> s.runningAt() != 0) >= all);
        }
        failover(launcher, watch);
      }
    }
  }

  /** Creates pods one at a time, each awaited Running; returns how many. */
  private int latency(URI api, String ns, PodWatch watch) throws Exception {
    long[] took = new long[o.latencyPods()];
    try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
      for (int i = 0; i < o.latencyPods(); i++) {
        String name = "pod-" + i;
        long t0 = System.nanoTime();
        expect(c.send("POST", "/api/v1/namespaces/" + ns + "/pods", "application/json", pod(ns, name)), 201,
            "create " + name);
        await(name + " Running", watch, () -> watch.get(name) != null && watch.get(name).runningAt() != 0);
        took[i] = watch.get(name).runningAt() - t0;
      }
    }
    long[] sorted = took.clone();
    Arrays.sort(sorted);
    KvLoad.Result r = new KvLoad.Result("create -> Running", sorted.length, 0, 0, sorted);
    out.printf("create -> Running, process runtime, %d pods one at a time on %d hosts: p50 %.0f ms   p90 %.0f ms   "
        + "p99 %.0f ms   max %.0f ms   (goal: p99 < 500 ms; Kubernetes' SLO p99 <= 5 s)%n", sorted.length,
        PROCESS_HOSTS, r.percentileMillis(50), r.percentileMillis(90), r.percentileMillis(99),
        sorted[sorted.length - 1] / 1e6);
    return o.latencyPods();
  }

  private void failover(Launcher launcher, PodWatch watch) throws Exception {
    Map<String, PodWatch.Seen> before = watch.all();
    String host = before.values().stream().map(PodWatch.Seen::node).filter(n -> !n.isEmpty())
        .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.stream.Collectors.counting()))
        .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
    Set<String> onHost = new java.util.TreeSet<>();
    before.forEach((name, s) -> {
      if (s.node().equals(host) && s.runningAt() != 0) {
        onHost.add(name);
      }
    });
    launcher.kill(host);
    long killed = System.nanoTime();
    await("the " + onHost.size() + " pods of " + host + " Running elsewhere", watch, () -> onHost.stream().allMatch(
        n -> watch.get(n) != null && watch.get(n).runningAt() != 0 && !watch.get(n).node().equals(host)));
    long first = onHost.stream().mapToLong(n -> watch.get(n).runningAt()).min().orElseThrow() - killed;
    long last = onHost.stream().mapToLong(n -> watch.get(n).runningAt()).max().orElseThrow() - killed;
    out.printf("SIGKILL of %s -> its %d pods Running on other hosts: the first after %.1f s, all after %.1f s   "
        + "(goal: < 10 s; lease TTL + reschedule margin are the floor)%n", host, onHost.size(), first / 1e9,
        last / 1e9);
  }

  private void throughput(ClusterFile cluster, Launcher launcher) throws Exception {
    URI api = URI.create(cluster.api());
    List<String> hosts = cluster.withRole("host").stream().map(MemberSpec::name).toList();
    List<Long> controlPlane = cluster.withRole("control-plane").stream().map(MemberSpec::pid).toList();
    List<Long> all = cluster.nodes().stream().map(MemberSpec::pid).toList();
    if (o.warmupPods() > 0) {
      String ns = bindRound(api, hosts, o.warmupPods(), "warm-", null, null);
      deleteNamespace(api, ns);
    }
    bindRound(api, hosts, o.hosts() * o.podsPerHost(), "pod-", controlPlane, all);
  }

  /**
   * One round: every host in maintenance, {@code total} pods created (they wait Pending), maintenance ended on every
   * host at once, then every pod awaited bound and Running. Measured when {@code controlPlane} is given: pods bound
   * per second, and the CPU the members spent from the end of maintenance until the last pod ran. Otherwise it is
   * the warm-up, the same work unmeasured, so the measured round finds the members' JIT done with these paths
   * (single pods created on hosts in service, the earlier warm-up, left the batch paths cold: C2 compiler threads
   * took 44% of the bind phase's samples in a session-6 profile). Returns the round's namespace.
   */
  private String bindRound(URI api, List<String> hosts, int total, String prefix, List<Long> controlPlane,
                           List<Long> members) throws Exception {
    boolean measured = controlPlane != null;
    String what = measured ? "" : "warm-up (unmeasured): ";
    maintenance(api, hosts, true);
    String ns = namespace(api);
    try (PodWatch watch = new PodWatch(api, ns)) {
      long t0 = System.nanoTime();
      long errors = create(api, ns, prefix, 0, total, o.clients());
      double createSeconds = (System.nanoTime() - t0) / 1e9;
      out.printf("%screated %d pods in %.1f s (%.0f/s, %d failed) with every host in maintenance%n", what,
          total - errors, createSeconds, (total - errors) / createSeconds, errors);
      long expected = total - errors;
      await("the watch sees the " + expected + " pods", watch, () -> watch.count(s -> true) >= expected);
      long boundEarly = watch.count(s -> s.boundAt() != 0);
      if (boundEarly > 0) {
        out.printf("(%d pods were bound while every host was in maintenance)%n", boundEarly);
      }
      CpuMeter cp = measured ? CpuMeter.start(controlPlane) : null;
      CpuMeter everyone = measured ? CpuMeter.start(members) : null;
      long released = System.nanoTime();
      maintenance(api, hosts, false);
      out.printf("%smaintenance ended on every host at %s (to read beside the members' logs)%n", what,
          java.time.LocalTime.now());
      await("the " + expected + " pods bound", watch, () -> watch.count(s -> s.boundAt() != 0) >= expected);
      long[] binds = watch.all().values().stream().mapToLong(PodWatch.Seen::boundAt).filter(b -> b != 0).sorted()
          .toArray();
      double sinceRelease = (binds[binds.length - 1] - released) / 1e9;
      double firstToLast = (binds[binds.length - 1] - binds[0]) / 1e9;
      if (measured) {
        out.printf("simulated runtime, %d hosts x %d pods: %d pods bound in %.1f s after maintenance ended: %.0f pods "
            + "bound/s (first to last bind: %.1f s, %.0f/s)   (goal: >= 1,000/s; Kubernetes' scheduler_perf "
            + "680-810/s)%n", o.hosts(), o.podsPerHost(), binds.length, sinceRelease, binds.length / sinceRelease,
            firstToLast, firstToLast > 0 ? (binds.length - 1) / firstToLast : Double.NaN);
      } else {
        out.printf("%s%d pods bound in %.1f s after maintenance ended (%.0f/s)%n", what, binds.length, sinceRelease,
            binds.length / sinceRelease);
      }
      await("the " + expected + " pods Running", watch, () -> watch.count(s -> s.runningAt() != 0) >= expected);
      long lastRunning = watch.all().values().stream().mapToLong(PodWatch.Seen::runningAt).max().orElseThrow();
      out.printf("%sall %d simulated pods Running %.1f s after maintenance ended%n", what, expected,
          (lastRunning - released) / 1e9);
      if (measured) {
        CpuMeter.Usage c = cp.stop();
        CpuMeter.Usage e = everyone.stop();
        out.printf("CPU from the end of maintenance until the last pod ran, per pod: control plane %.1f ms (of which "
            + "JIT compiler threads %.1f ms), every member %.1f ms (JIT %.1f ms); %s%n", c.serverMillis() / expected,
            c.compilerMillis() / expected, e.serverMillis() / expected, e.compilerMillis() / expected,
            e.per(expected, "pod"));
      }
    }
    return ns;
  }

  private void deleteNamespace(URI api, String ns) throws Exception {
    long t1 = System.nanoTime();
    try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
      expect(c.send("DELETE", "/api/v1/namespaces/" + ns, "application/json", new byte[0]), 200,
          "delete namespace " + ns);
      long deadline = System.nanoTime() + o.timeout().toNanos();
      while (c.send("GET", "/api/v1/namespaces/" + ns, "application/json", new byte[0]).code() != 404) {
        if (System.nanoTime() > deadline) {
          throw new LauncherException("gave up after " + o.timeout().toSeconds() + " s waiting for the warm-up "
              + "namespace " + ns + " to go");
        }
        Thread.sleep(500);
      }
    }
    out.printf("warm-up: namespace %s and its pods deleted in %.1f s%n", ns, (System.nanoTime() - t1) / 1e9);
  }

  /**
   * Maintenance on or off for every host. The call is idempotent, so one that times out under load (the host's drain
   * or return is a quorum write like any other) is sent again on a new connection until the round's timeout.
   */
  private void maintenance(URI api, List<String> hosts, boolean enabled) throws IOException {
    long deadline = System.nanoTime() + o.timeout().toNanos();
    for (String host : hosts) {
      while (true) {
        try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
          expect(c.send("POST", "/admin/v1/nodes/" + host + "/maintenance", "application/json",
              json("{\"enabled\":" + enabled + "}")), 200, "maintenance " + enabled + " on " + host);
          break;
        } catch (SocketTimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          out.printf("maintenance %s on %s: no answer within %d ms; asking again%n", enabled, host, TIMEOUT_MILLIS);
        }
      }
    }
  }

  private String namespace(URI api) throws IOException {
    String ns = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
      expect(c.send("POST", "/api/v1/namespaces", "application/json", json("{\"apiVersion\":\"v1\",\"kind\":"
          + "\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}")), 201, "create namespace " + ns);
    }
    return ns;
  }

  /** Creates pods {@code prefix}{@code from} .. {@code to - 1} with closed-loop clients; returns the failures. */
  private long create(URI api, String ns, String prefix, int from, int to, int clients) throws InterruptedException {
    AtomicInteger next = new AtomicInteger(from);
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      Thread thread = new Thread(() -> {
        try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
          for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
            try {
              if (c.send("POST", "/api/v1/namespaces/" + ns + "/pods", "application/json", pod(ns, prefix + i))
                  .code() != 201) {
                errors.incrementAndGet();
              }
            } catch (IOException e) {
              errors.incrementAndGet();
            }
          }
        }
      }, "pod-bench-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return errors.get();
  }

  private void await(String what, PodWatch watch, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + o.timeout().toNanos();
    while (!done.getAsBoolean()) {
      watch.check();
      if (System.nanoTime() > deadline) {
        throw new LauncherException("gave up after " + o.timeout().toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(watch.size() > 500 ? 50 : 2); // a count over thousands of pods is not free
    }
  }

  /** A pod from the bench image that sleeps; no resource requests, so only max-pods limits a host. */
  private byte[] pod(String ns, String name) {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
        + ns + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"terminationGracePeriodSeconds\":2,\"containers\":"
        + "[{\"name\":\"main\",\"image\":\"" + image + "\",\"command\":[\"sleep\",\"3600\"]}]}}");
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void expect(HttpConnection.Response r, int code, String what) {
    if (r.code() != code) {
      throw new LauncherException(what + ": HTTP " + r.code() + " " + r.text());
    }
  }
}
