package dev.pacific.deploy.bench;

import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Launcher;
import dev.pacific.deploy.launcher.LauncherException;
import dev.pacific.deploy.launcher.MemberSpec;
import dev.pacific.membership.MemberCard;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code pacific bench kv}: put/s and latency through {@code /admin/v1/kv} of a running cluster;
 * optionally the write outage after leader kills, and the same load against a 3-member etcd in
 * the same run (rounds alternate A B A B so machine noise hits both alike). Prints; never judges.
 */
public final class KvBench {

  /**
   * The command's options. {@code failovers} leader kills; {@code againstEtcd} adds the etcd side;
   * {@code viaMembers} spreads Pacific's clients over the control-plane members' own HTTP ports (as
   * etcd's are spread over its members) instead of sending them all through the load balancer.
   * {@code warmupSeconds} of the same load run against each store, unmeasured, before its first round.
   */
  public record Options(int clients, double seconds, int valueBytes, int failovers, boolean againstEtcd,
                        boolean viaMembers, double warmupSeconds) {
    public Options(int clients, double seconds, int valueBytes, int failovers, boolean againstEtcd) {
      this(clients, seconds, valueBytes, failovers, againstEtcd, false, DEFAULT_WARMUP_SECONDS);
    }
  }

  /**
   * A JVM compiles its hot paths while it serves: a member started a minute ago spent a third of its CPU in the
   * JIT compiler threads and did 400-700 put/s where the same member, a minute later, did 1,300-1,500 (session 5,
   * per-thread CPU from /proc). Pacific's members are long-lived servers, so their rounds measure them warm; etcd
   * (compiled ahead of time) gets the same warm-up, so both stores carry the same history into their rounds.
   */
  public static final double DEFAULT_WARMUP_SECONDS = 60;

  /** Kills and restarts a store's leader: the same failover for Pacific and for etcd. */
  interface Failover {
    Optional<String> leader();

    void kill(String name) throws Exception;

    /** Starts it again; returns once it serves. */
    void restart(String name) throws Exception;
  }

  /** Before each round: the clients' connections open and the first puts settle before measuring starts. */
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(5);
  /** The issue's outage measure: a client that gives up on a put after 0.1 s and sends again. */
  private static final Duration FAILOVER_PUT_TIMEOUT = Duration.ofMillis(100);
  private static final int ROUNDS = 2;

  private final Launcher launcher;
  private final Options o;
  private final PrintStream out;
  private List<Long> pacificPids = List.of();
  private List<Long> etcdPids = List.of();

  public KvBench(Launcher launcher, Options options, PrintStream out) {
    this.launcher = launcher;
    this.o = options;
    this.out = out;
  }

  public void run() throws Exception {
    ClusterFile cluster = launcher.cluster().orElseThrow(() -> new LauncherException("no cluster in "
        + launcher.dir() + "; start one with `pacific up`"));
    pacificPids = cluster.nodes().stream()
        .filter(m -> m.role().equals(MemberCard.CONTROL_PLANE) || (!o.viaMembers() && m.role().equals(MemberCard.LB)))
        .map(MemberSpec::pid).toList();
    PutTarget pacific = o.viaMembers()
        ? PutTarget.pacificMembers(
            cluster.withRole(MemberCard.CONTROL_PLANE).stream().map(MemberSpec::httpPort).toList())
        : PutTarget.pacific(cluster.api());
    out.printf("bench kv: %d clients, %d-byte values, %.0f s rounds after a %.0f s warm-up, closed loop, keep-alive "
        + "HTTP/1.1, pacific via %s%n", o.clients(), o.valueBytes(), o.seconds(), o.warmupSeconds(),
        o.viaMembers() ? "its members' own ports" : "the load balancer");
    warmUp(pacific);
    if (o.againstEtcd()) {
      try (EtcdCluster etcd = EtcdCluster.start(out)) {
        etcdPids = etcd.pids();
        warmUp(PutTarget.etcd(etcd.clientPorts()));
        sideBySide(pacific, PutTarget.etcd(etcd.clientPorts()));
        if (o.failovers() > 0) {
          failovers(PutTarget.etcd(etcd.clientPorts()), etcdFailover(etcd));
        }
      }
    } else {
      round(pacific, "pacific");
    }
    if (o.failovers() > 0) {
      failovers(pacific, pacificFailover());
    }
  }

  /** The same load, unmeasured but printed, so a reader sees how far from its warm figures a store started. */
  private void warmUp(PutTarget target) throws InterruptedException {
    if (o.warmupSeconds() <= 0) {
      return;
    }
    KvLoad load = KvLoad.start(target, o.clients(), o.valueBytes(), PUT_TIMEOUT);
    load.measureFromNow();
    Thread.sleep((long) (o.warmupSeconds() * 1000));
    out.println(load.stop(target.name() + " warm-up").line());
  }

  /** A B A B, then the averages and the ratio. */
  private void sideBySide(PutTarget a, PutTarget b) throws InterruptedException {
    List<KvLoad.Result> as = new ArrayList<>();
    List<KvLoad.Result> bs = new ArrayList<>();
    double aCpu = 0;
    double bCpu = 0;
    for (int r = 1; r <= ROUNDS; r++) {
      Round ra = round(a, a.name() + " #" + r);
      Round rb = round(b, b.name() + " #" + r);
      as.add(ra.result());
      bs.add(rb.result());
      aCpu += ra.cpu().serverMillis();
      bCpu += rb.cpu().serverMillis();
    }
    double aRate = as.stream().mapToDouble(KvLoad.Result::perSecond).average().orElse(0);
    double bRate = bs.stream().mapToDouble(KvLoad.Result::perSecond).average().orElse(0);
    double aP99 = as.stream().mapToDouble(x -> x.percentileMillis(99)).average().orElse(Double.NaN);
    double bP99 = bs.stream().mapToDouble(x -> x.percentileMillis(99)).average().orElse(Double.NaN);
    out.printf("%s: %.0f put/s, p99 %.2f ms;  %s: %.0f put/s, p99 %.2f ms%n", a.name(), aRate, aP99, b.name(), bRate,
        bP99);
    out.printf("ratio %s/%s: %.2fx put/s, p99 %.2fx%n", a.name(), b.name(), bRate == 0 ? Double.NaN : aRate / bRate,
        bP99 == 0 ? Double.NaN : aP99 / bP99);
    double aPerPut = aCpu / as.stream().mapToLong(KvLoad.Result::puts).sum();
    double bPerPut = bCpu / bs.stream().mapToLong(KvLoad.Result::puts).sum();
    out.printf("server CPU per put: %s %.2f ms, %s %.2f ms (ratio %.2fx; less noisy than put/s on a shared machine)%n",
        a.name(), aPerPut, b.name(), bPerPut, aPerPut / bPerPut);
  }

  /** One measured round's figures and the CPU the servers and clients spent in it. */
  private record Round(KvLoad.Result result, CpuMeter.Usage cpu) {}

  /** One measured round, printed: its figures, then its CPU per put. */
  private Round round(PutTarget target, String label) throws InterruptedException {
    KvLoad load = KvLoad.start(target, o.clients(), o.valueBytes(), PUT_TIMEOUT);
    Thread.sleep(SETTLE.toMillis());
    load.measureFromNow();
    CpuMeter cpu = CpuMeter.start(target.name().equals("etcd") ? etcdPids : pacificPids);
    Thread.sleep((long) (o.seconds() * 1000));
    CpuMeter.Usage used = cpu.stop();
    KvLoad.Result r = load.stop(label);
    out.println(r.line());
    out.println(String.format("%-28s ", "") + used.per(r.puts(), "put"));
    return new Round(r, used);
  }

  /** Under load with a 0.1 s put time-out, kills the leader N times and prints each write outage. */
  private void failovers(PutTarget target, Failover failover) throws Exception {
    KvLoad load = KvLoad.start(target, o.clients(), o.valueBytes(), FAILOVER_PUT_TIMEOUT);
    List<Long> outages = new ArrayList<>();
    try {
      Thread.sleep(SETTLE.toMillis());
      load.measureFromNow();
      for (int i = 1; i <= o.failovers(); i++) {
        Thread.sleep(2000);
        outages.add(oneFailover(load, failover, i, target.name()));
      }
      Thread.sleep(1000);
    } finally {
      out.println(load.stop(target.name() + " with " + o.failovers() + " failovers").line());
    }
    out.printf("%s write outage after a leader SIGKILL (0.1 s client time-out): %s ms (min %d, max %d)%n",
        target.name(), outages, outages.stream().mapToLong(Long::longValue).min().orElse(-1),
        outages.stream().mapToLong(Long::longValue).max().orElse(-1));
  }

  private long oneFailover(KvLoad load, Failover failover, int i, String store) throws Exception {
    String leader = awaitLeader(failover);
    long errorsBefore = load.errors();
    long killedAt = System.nanoTime();
    LocalTime killedClock = LocalTime.now(); // to read beside the members' logs
    load.watchFrom(killedAt);
    failover.kill(leader);
    long resumed = load.awaitResumed(Duration.ofSeconds(30));
    long failed = load.errors() - errorsBefore;
    long outage = resumed < 0 ? -1 : (resumed - killedAt) / 1_000_000;
    out.printf("%s failover %d: killed leader %s at %s; writes resumed after %s; %d puts failed meanwhile%n", store,
        i, leader, killedClock, outage < 0 ? "NOT within 30 s"
        : outage + " ms", failed);
    long t = System.nanoTime();
    failover.restart(leader);
    out.printf("%s failover %d: %s serves again %.1f s after its restart began%n", store, i, leader,
        (System.nanoTime() - t) / 1e9);
    return outage;
  }

  private static String awaitLeader(Failover failover) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> leader = failover.leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      Thread.sleep(100);
    }
    throw new LauncherException("no leader within 30 s");
  }

  private Failover pacificFailover() {
    return new Failover() {
      @Override
      public Optional<String> leader() {
        return QuorumView.leader(launcher.cluster().orElseThrow());
      }

      @Override
      public void kill(String name) {
        launcher.kill(name);
      }

      @Override
      public void restart(String name) throws IOException, InterruptedException {
        MemberSpec m = launcher.start(name, Duration.ofSeconds(120));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!QuorumView.ready(m) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        // Caught up before the next kill, or that kill would leave a majority with a member still installing
        // a snapshot, and the outage measured would be the catch-up, not the failover.
        long commit = leader().flatMap(l -> launcher.cluster().orElseThrow().member(l)).flatMap(QuorumView::of)
            .map(QuorumView.Member::commitIndex).orElse(0L);
        while (QuorumView.of(m).map(QuorumView.Member::appliedIndex).orElse(-1L) < commit
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
      }
    };
  }

  private static Failover etcdFailover(EtcdCluster etcd) {
    return new Failover() {
      @Override
      public Optional<String> leader() {
        return etcd.leader();
      }

      @Override
      public void kill(String name) throws InterruptedException {
        etcd.kill(name);
      }

      @Override
      public void restart(String name) throws IOException, InterruptedException {
        etcd.restart(name);
      }
    };
  }
}
