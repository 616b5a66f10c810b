package dev.pacific.deploy.bench;

import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.LauncherException;
import dev.pacific.deploy.launcher.MemberSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pacific bench api}: the Kubernetes-shaped API of a running cluster, through the load
 * balancer. Pod creates per second and their p50/p90/p99 at N closed-loop clients (Kubernetes'
 * SLO: p99 ≤ 1 s for a mutating call); the latency of listing every pod once they are all there;
 * and the control-plane heap per 1,000 pods (after a full GC on each member, before and after).
 * Prints; never judges.
 */
public final class ApiBench {

  /** {@code pods} to create with {@code clients} closed-loop clients; {@code keep} leaves them behind. */
  public record Options(int clients, int pods, boolean keep) {}

  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int LISTS = 5;
  /** Each space's line ("def new generation total 78656K, used 53295K", "tenured …", "garbage-first heap …"). */
  private static final Pattern USED_HEAP = Pattern.compile("total \\d+K, used (\\d+)K");

  private final Launcher launcher;
  private final Options o;
  private final PrintStream out;

  public ApiBench(Launcher launcher, Options options, PrintStream out) {
    this.launcher = launcher;
    this.o = options;
    this.out = out;
  }

  public void run() throws Exception {
    ClusterFile cluster = launcher.cluster().orElseThrow(() -> new LauncherException("no cluster in "
        + launcher.dir() + "; start one with `pacific up`"));
    URI api = URI.create(cluster.api());
    String ns = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
      expect(c.send("POST", "/api/v1/namespaces", "application/json", json("{\"apiVersion\":\"v1\",\"kind\":"
          + "\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}")), 201, "create namespace " + ns);
    }
    out.printf("bench api: %d pods in namespace %s, %d clients, closed loop, keep-alive HTTP/1.1 through the LB%n",
        o.pods(), ns, o.clients());
    long heapBefore = controlPlaneHeapKiB(cluster);
    KvLoad.Result creates = creates(api, ns);
    out.println(creates.line("create/s"));
    long heapAfter = controlPlaneHeapKiB(cluster);
    if (heapBefore >= 0 && heapAfter >= 0) {
      out.printf("control-plane heap after full GC: %.1f MB before, %.1f MB after: %.1f MB per 1,000 pods "
          + "(all members together)%n", heapBefore / 1024.0, heapAfter / 1024.0,
          (heapAfter - heapBefore) / 1024.0 * 1000 / o.pods());
    }
    lists(api, ns);
    if (!o.keep()) {
      try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
        c.send("DELETE", "/api/v1/namespaces/" + ns, "application/json", new byte[0]);
        out.printf("deleted namespace %s (its pods go with it)%n", ns);
      }
    }
  }

  private KvLoad.Result creates(URI api, String ns) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    long[][] latencies = new long[o.clients()][];
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < o.clients(); t++) {
      int client = t;
      Thread thread = new Thread(() -> latencies[client] = createLoop(api, ns, next, errors), "api-bench-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new KvLoad.Result("pod creates", all.length, errors.get(), seconds, all);
  }

  /** Creates pods until {@code o.pods()} have been taken; a failed create is counted and not retried. */
  private long[] createLoop(URI api, String ns, AtomicInteger next, AtomicLong errors) {
    long[] mine = new long[o.pods() / o.clients() + 16];
    int n = 0;
    try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), TIMEOUT_MILLIS)) {
      for (int i = next.getAndIncrement(); i < o.pods(); i = next.getAndIncrement()) {
        long t0 = System.nanoTime();
        try {
          HttpConnection.Response r = c.send("POST", "/api/v1/namespaces/" + ns + "/pods", "application/json",
              pod(ns, "pod-" + i));
          if (r.code() != 201) {
            errors.incrementAndGet();
            continue;
          }
        } catch (IOException e) {
          errors.incrementAndGet();
          continue;
        }
        if (n == mine.length) {
          mine = Arrays.copyOf(mine, n * 2);
        }
        mine[n++] = System.nanoTime() - t0;
      }
    }
    return Arrays.copyOf(mine, n);
  }

  /** Lists the namespace's pods whole, {@link #LISTS} times; prints p50 and the slowest. */
  private void lists(URI api, String ns) throws IOException {
    long[] took = new long[LISTS];
    int bytes = 0;
    try (HttpConnection c = new HttpConnection(api.getHost(), api.getPort(), 60_000)) {
      for (int i = 0; i < LISTS; i++) {
        long t0 = System.nanoTime();
        HttpConnection.Response r = c.send("GET", "/api/v1/namespaces/" + ns + "/pods", "application/json",
            new byte[0]);
        took[i] = System.nanoTime() - t0;
        expect(r, 200, "list pods");
        bytes = r.body().length;
      }
    }
    Arrays.sort(took);
    out.printf("list of %d pods (%.1f MB of JSON): p50 %.0f ms, slowest %.0f ms over %d lists%n", o.pods(),
        bytes / 1e6, took[LISTS / 2] / 1e6, took[LISTS - 1] / 1e6, LISTS);
  }

  /** The heap every control-plane member uses after a full GC, summed, in KiB; -1 if jcmd cannot tell. */
  private long controlPlaneHeapKiB(ClusterFile cluster) {
    long sum = 0;
    for (MemberSpec m : cluster.nodes()) {
      if (m.role().equals("control-plane")) {
        long used = heapAfterGc(m.pid());
        if (used < 0) {
          out.printf("(no heap figure: jcmd could not read %s)%n", m.name());
          return -1;
        }
        sum += used;
      }
    }
    return sum;
  }

  private static long heapAfterGc(long pid) {
    try {
      jcmd(pid, "GC.run");
      Matcher m = USED_HEAP.matcher(jcmd(pid, "GC.heap_info"));
      long used = -1;
      while (m.find()) {
        used = Math.max(used, 0) + Long.parseLong(m.group(1));
      }
      return used;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return text;
  }

  private static byte[] pod(String ns, String name) {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
        + ns + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\","
        + "\"command\":[\"sleep\",\"3600\"],\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}");
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
