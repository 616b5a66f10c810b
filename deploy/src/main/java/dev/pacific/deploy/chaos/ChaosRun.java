package dev.pacific.deploy.chaos;

import dev.pacific.deploy.bench.QuorumView;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Distribution;
import dev.pacific.deploy.launcher.Launcher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One chaos run (issue 10), Jepsen's way: launch a real cluster through the launcher, run a
 * key-value and pod workload through the LB while a seeded schedule kills, pauses and restarts
 * members and bursts client retries, heal, then check what the clients were told against what the
 * cluster holds, and report. The cluster is stopped at the end (its data and member logs stay in
 * the run directory).
 */
public final class ChaosRun {

  /**
   * {@code minFaults}: the run goes on past {@code length} until at least this many faults were
   * injected; {@code kinds}: the fault kinds to inject (e.g. {@code KILL_LEADER}), empty for all.
   */
  public record Options(Duration length, long seed, int controlPlanes, int hosts, Path runDir, int minFaults,
      List<String> kinds) {}

  /** The fault kinds a run can inject, by name. */
  public static List<String> faultKinds() {
    return java.util.Arrays.stream(FaultSchedule.Kind.values()).map(Enum::name).toList();
  }

  private static final Duration SETTLE = Duration.ofSeconds(90);
  /** A pause lasts up to past the hosts' 5 s lease TTL and the failure detector's 6 s acceptable pause. */
  private static final long LONGEST_PAUSE_MILLIS = 9000;

  private final Options options;
  private final PrintStream out;
  private final Launcher launcher;
  private final Path clusterDir;
  private final List<String> errors = new ArrayList<>();

  private ChaosRun(Options options, Distribution dist, PrintStream out) {
    this.options = options;
    this.out = out;
    this.clusterDir = options.runDir().resolve("cluster").toAbsolutePath().normalize();
    this.launcher = new Launcher(clusterDir, dist, out);
  }

  /** Runs the whole thing; the report says whether every check held. */
  public static ChaosReport run(Options options, Distribution dist, PrintStream out) throws Exception {
    Files.createDirectories(options.runDir());
    if (Files.exists(options.runDir().resolve("cluster"))) {
      throw new IllegalArgumentException(options.runDir() + " already holds a chaos run; choose another --dir");
    }
    return new ChaosRun(options, dist, out).run();
  }

  private ChaosReport run() throws Exception {
    String image = imageBundle(options.runDir().resolve("images"));
    List<String> settings = List.of("pacific.deploy.start-timeout=60s",
        "pacific.host.spherelet.image-source=" + options.runDir().resolve("images").toAbsolutePath());
    long started = System.nanoTime();
    List<Check> checks = new ArrayList<>();
    Tally tally = new Tally();
    FaultInjector faults = null;
    KvWorkload kv = null;
    PodSampler sampler = null;
    KvWatch watch = null;
    PodWatch podWatch = null;
    try {
      launcher.up(new Launcher.UpOptions(options.controlPlanes(), options.hosts(), "process", "256m",
          Duration.ofSeconds(300), settings));
      String api = launcher.cluster().orElseThrow().api();
      Client client = new Client(api, Duration.ofSeconds(5));
      sampler = new PodSampler(clusterDir, 250);
      long from = firstRevision(client);
      watch = new KvWatch(api, KvWorkload.PREFIX, from);
      podWatch = new PodWatch(api, from);
      kv = new KvWorkload(api, 6, 32, options.seed(), tally);
      PodWorkload pods = new PodWorkload(api, image, 6, options.seed(), tally);
      long workStart = System.nanoTime();
      kv.start();
      pods.start();
      Thread.sleep(5000);
      faults = new FaultInjector(launcher, kv, started, out);
      injectUntilDone(faults);
      Thread.sleep(3000);
      kv.stop();
      long workEnd = System.nanoTime();
      pods.stop();
      faults.heal(Duration.ofSeconds(180)).ifPresent(why -> errors.add("the cluster did not settle at the end: " + why));
      out.println("chaos: faults over, checking");
      KvChecks kvChecks = new KvChecks(client, kv, watch);
      checks.addAll(kvChecks.observed());
      checks.addAll(new PodChecks(client, pods, sampler, podWatch, () -> launcher.cluster().orElseThrow())
          .run(Duration.ofSeconds(180)));
      checks.add(quorumConverged());
      ChaosReport.Outage outage = longestOutage(kv.ackTimes(), workStart, workEnd, started);
      PodSampler.Gap gap = sampler.longestGap(pods.createdAt(), System.nanoTime());
      watch.close();
      podWatch.close();
      sampler.close();
      launcher.down();
      checks.add(nothingLeaked(sampler));
      checks.add(kvChecks.linearizable(Duration.ofSeconds(120)));
      return report(started, faults, tally, outage, new ChaosReport.PodOutage(gap.uid(),
          gap.fromNanos() == 0 ? 0 : (gap.fromNanos() - started) / 1e9, gap.millis()), checks);
    } finally {
      if (watch != null) {
        watch.close();
      }
      if (podWatch != null) {
        podWatch.close();
      }
      if (sampler != null) {
        sampler.close();
      }
      if (kv != null) {
        kv.stop();
      }
      stopEverything();
    }
  }

  private void injectUntilDone(FaultInjector faults) throws InterruptedException {
    FaultSchedule schedule = new FaultSchedule(options.seed(), LONGEST_PAUSE_MILLIS, options.kinds());
    long until = System.nanoTime() + options.length().toNanos();
    while (System.nanoTime() < until || faults.injected().size() < options.minFaults()) {
      FaultSchedule.Planned f = schedule.next();
      faults.run(f, SETTLE);
      Thread.sleep(f.gapMillis());
    }
  }

  /** A revision before any workload key exists, written outside the watched prefix: the watch starts after it. */
  private long firstRevision(Client client) throws InterruptedException {
    for (int i = 0; i < 120; i++) {
      Client.Answer a = client.kvPut("chaos-start", Long.toString(options.seed()));
      if (a != null && a.code() == 200) {
        return a.revision();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no write succeeded through the LB within a minute of up");
  }

  private Check quorumConverged() throws InterruptedException {
    ClusterFile c = launcher.cluster().orElseThrow();
    long start = System.nanoTime();
    while (System.nanoTime() - start < 60_000_000_000L) {
      if (QuorumView.converged(c)) {
        var any = QuorumView.all(c).values().iterator().next();
        return new Check("quorum members agree", true, "every control-plane member at appliedIndex "
            + any.appliedIndex() + ", stateHash " + any.stateHash());
      }
      Thread.sleep(200);
    }
    return new Check("quorum members agree", false, "no single appliedIndex and stateHash within 60 s:"
        + QuorumView.raw(c));
  }

  /** After {@code down}: no pod process carries the cluster's markers, no process names its directory. */
  private Check nothingLeaked(PodSampler sampler) throws InterruptedException {
    List<String> left = List.of();
    for (int i = 0; i < 50; i++) {
      left = new ArrayList<>();
      for (PodSampler.Marked m : sampler.scan()) {
        left.add("pod process " + m.pid() + " of " + m.uid() + " on " + m.host());
      }
      for (ProcessHandle p : strays()) {
        left.add("process " + p.pid() + ": " + p.info().commandLine().orElse("?"));
      }
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(200);
    }
    return new Check("no process leaked", left.isEmpty(), left.isEmpty() ? "nothing of the cluster runs after down"
        : KvChecks.sample(left));
  }

  private List<ProcessHandle> strays() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(clusterDir.toString())).orElse(false))
        .toList();
  }

  /** Whatever happened, nothing of this run keeps running: SIGCONT (a paused member ignores SIGKILL's wait), then down. */
  private void stopEverything() {
    for (ProcessHandle p : strays()) {
      try {
        new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
      } catch (IOException | InterruptedException e) {
        // best effort: SIGKILL below works on a stopped process anyway
      }
    }
    try {
      if (launcher.cluster().isPresent()) {
        launcher.down();
      }
    } catch (RuntimeException | IOException e) {
      out.println("chaos: down failed: " + e.getMessage());
    }
    strays().forEach(ProcessHandle::destroyForcibly);
  }

  private static ChaosReport.Outage longestOutage(List<Long> acks, long from, long to, long started) {
    List<Long> times = new ArrayList<>(acks);
    times.add(from);
    times.add(to);
    times.sort(Long::compare);
    long best = 0;
    long bestFrom = from;
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i) - times.get(i - 1) > best) {
        best = times.get(i) - times.get(i - 1);
        bestFrom = times.get(i - 1);
      }
    }
    return new ChaosReport.Outage((bestFrom - started) / 1e9, best / 1_000_000);
  }

  private ChaosReport report(long started, FaultInjector faults, Tally tally, ChaosReport.Outage outage,
      ChaosReport.PodOutage podOutage, List<Check> checks) throws IOException {
    List<String> allErrors = new ArrayList<>(faults.errors());
    allErrors.addAll(errors);
    Map<String, Long> byKind = faults.injected().stream()
        .collect(Collectors.groupingBy(FaultInjector.Injected::kind, TreeMap::new, Collectors.counting()));
    boolean passed = checks.stream().allMatch(Check::passed);
    ChaosReport r = new ChaosReport(options.seed(), options.controlPlanes(), options.hosts(),
        options.runDir().toAbsolutePath().toString(), (System.nanoTime() - started) / 1e9, faults.injected(), byKind,
        tally.snapshot(), tally.byKind(), allErrors, outage, podOutage, checks, passed);
    r.write(options.runDir().resolve("report.json"));
    r.print(out);
    return r;
  }

  /**
   * A tiny image bundle the hosts fetch from a directory ({@code HEX.tar.gz}, HEX its SHA-256), as
   * the content library would serve it; pods run {@code sleep} from PATH inside it.
   */
  private static String imageBundle(Path images) throws IOException, InterruptedException {
    Path content = images.resolve("content");
    Files.createDirectories(content);
    Files.writeString(content.resolve("README"), "chaos image\n");
    Path tmp = images.resolve("bundle.tar.gz");
    int rc = new ProcessBuilder("tar", "czf", tmp.toString(), "-C", content.toString(), ".").inheritIO().start()
        .waitFor();
    if (rc != 0) {
      throw new IOException("tar exited " + rc + " while packing the chaos image");
    }
    byte[] bytes = Files.readAllBytes(tmp);
    String hex;
    try {
      hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Files.move(tmp, images.resolve(hex + ".tar.gz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return "chaos@sha256:" + hex;
  }
}
