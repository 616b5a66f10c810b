package dev.pacific.deploy.launcher;

import dev.pacific.deploy.bench.QuorumView;
import dev.pacific.membership.MemberCard;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts, stops and inspects a cluster of member JVMs on this machine, as CONTRACT.md's
 * {@code deploy/pacific} describes. The CLI and the integration tests both drive this class, so
 * tests exercise exactly what a person runs.
 */
public final class Launcher {

  /** What {@code up} was asked for; ignored when {@code D} already holds a cluster. */
  public record UpOptions(int controlPlanes, int hosts, String runtime, String heap, Duration timeout,
      List<String> settings) {

    public static UpOptions defaults() {
      return new UpOptions(3, 2, "process", "256m", Duration.ofSeconds(180), List.of());
    }

    void validate() {
      if (controlPlanes < 1 || controlPlanes % 2 == 0 || controlPlanes > 9) {
        throw LauncherException.usage("--control-planes must be odd, from 1 to 9 (a majority must survive): "
            + controlPlanes);
      }
      if (hosts < 0 || hosts > 64) {
        throw LauncherException.usage("--hosts must be from 0 to 64: " + hosts);
      }
      if (!List.of("process", "simulated").contains(runtime)) {
        throw LauncherException.usage("--runtime must be process or simulated: " + runtime);
      }
      if (!HEAP.matcher(heap).matches()) {
        throw LauncherException.usage("--heap must be a JVM size like 256m or 1g: " + heap);
      }
    }
  }

  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]");
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Path dir;
  private final Distribution dist;
  private final PrintStream out;
  private final Endpoints endpoints = new Endpoints();

  public Launcher(Path dir, Distribution dist, PrintStream out) {
    this.dir = dir.toAbsolutePath().normalize();
    this.dist = dist;
    this.out = out;
  }

  public Path dir() {
    return dir;
  }

  public Optional<ClusterFile> cluster() {
    try {
      return ClusterFile.read(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a new cluster in {@code D}, or the stopped one already there with its data and
   * ports, and returns once every control plane is ready and every host is Ready.
   */
  /** Hosts started together; more start in waves of this many (see {@link #waves}). */
  static final int HOST_WAVE = 4;

  public ClusterFile up(UpOptions options) throws IOException {
    Optional<ClusterFile> existing = cluster();
    ClusterFile cluster;
    if (existing.isPresent()) {
      List<String> alive = existing.get().nodes().stream().filter(Processes::alive).map(MemberSpec::name).toList();
      if (!alive.isEmpty()) {
        throw new LauncherException("a cluster is already running in " + dir + " (alive: " + String.join(", ", alive)
            + "); `pacific status` shows it, `pacific down` stops it");
      }
      cluster = existing.get();
      out.println("restarting the stopped cluster in " + dir + " with its data: "
          + cluster.withRole(MemberCard.CONTROL_PLANE).size() + " control-plane, "
          + cluster.withRole(MemberCard.HOST).size() + " hosts");
    } else {
      options.validate();
      cluster = plan(options);
      out.println("starting a new cluster in " + dir + ": " + options.controlPlanes() + " control-plane, "
          + options.hosts() + " hosts, runtime " + options.runtime());
    }
    cluster.write(dir);
    try {
      List<List<String>> waves = waves(cluster);
      for (int i = 0; i < waves.size(); i++) {
        List<String> wave = waves.get(i);
        for (String name : wave) {
          cluster = cluster.with(spawn(cluster, cluster.member(name).orElseThrow()));
          cluster.write(dir);
        }
        ClusterFile now = cluster;
        List<MemberSpec> started = wave.stream().map(n -> now.member(n).orElseThrow()).toList();
        cluster = awaitAnswers(cluster, started, options.timeout());
        if (i > 0 && i < waves.size() - 1) {
          // A host that answers has still to join, register and warm up: the next wave waits for that too.
          awaitHostsReady(cluster, started, options.timeout());
        }
      }
      awaitReady(cluster, options.timeout());
    } catch (RuntimeException e) {
      out.println("stopping what was started");
      Processes.stop(cluster.nodes(), STOP_GRACE);
      throw e;
    }
    out.println("api: " + cluster.api());
    return cluster;
  }

  /**
   * The order members start in. Up to {@link #HOST_WAVE} hosts start with the control plane and the
   * LB, all at once. More hosts start in waves of that many, each once the previous one is Ready:
   * a dozen JVMs starting together on two cores delay each other's heartbeats past the failure
   * detector's pause, and the Split Brain Resolver downs whichever side is smaller (seen with 10
   * hosts: the LB downed during its own start).
   */
  static List<List<String>> waves(ClusterFile cluster) {
    List<String> hosts = cluster.withRole(MemberCard.HOST).stream().map(MemberSpec::name).toList();
    List<String> first = cluster.nodes().stream().map(MemberSpec::name)
        .filter(n -> hosts.size() <= HOST_WAVE || !hosts.contains(n)).toList();
    List<List<String>> waves = new ArrayList<>(List.of(first));
    if (hosts.size() > HOST_WAVE) {
      for (int i = 0; i < hosts.size(); i += HOST_WAVE) {
        waves.add(hosts.subList(i, Math.min(hosts.size(), i + HOST_WAVE)));
      }
    }
    return waves;
  }

  /** Stops every member (SIGTERM, SIGKILL after 10 s) and what they started; keeps the data. */
  public void down() throws IOException {
    ClusterFile cluster = cluster().orElseThrow(() -> new LauncherException("no cluster in " + dir));
    List<MemberSpec> alive = cluster.nodes().stream().filter(Processes::alive).toList();
    Processes.stop(alive, STOP_GRACE);
    out.println(alive.isEmpty() ? "nothing was running in " + dir : "stopped " + alive.size() + " members; data kept in " + dir);
  }

  /** {@code down}, then deletes {@code D}. */
  public void destroy() throws IOException {
    if (cluster().isPresent()) {
      down();
    }
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      out.println("deleted " + dir);
    } else {
      out.println("nothing to destroy: " + dir + " does not exist");
    }
  }

  /** One line per member (name, role, pid, alive or not, HTTP port), then the quorum leader. */
  public List<String> status() {
    ClusterFile cluster = cluster().orElseThrow(() -> new LauncherException("no cluster in " + dir));
    List<String> lines = new ArrayList<>();
    for (MemberSpec m : cluster.nodes()) {
      boolean alive = Processes.alive(m);
      lines.add(String.format("%-8s %-14s pid %-8d %-6s http 127.0.0.1:%d", m.name(), m.role(), m.pid(),
          alive ? "alive" : "dead", m.httpPort()));
    }
    lines.add("leader: " + QuorumView.leader(cluster).orElse("none"));
    return lines;
  }

  /** SIGKILL of one member's JVM. */
  public void kill(String name) {
    MemberSpec m = member(name);
    if (!Processes.alive(m)) {
      throw new LauncherException(name + " is not running");
    }
    Processes.kill(m);
    out.println("killed " + name + " (pid " + m.pid() + ")");
  }

  /** Starts one member again with its flags, ports and data; returns when it answers. */
  public MemberSpec start(String name, Duration timeout) throws IOException {
    ClusterFile cluster = cluster().orElseThrow(() -> new LauncherException("no cluster in " + dir));
    MemberSpec m = member(name);
    if (Processes.alive(m)) {
      throw new LauncherException(name + " is already running (pid " + m.pid() + ")");
    }
    // Into a running cluster, a control-plane member (a seed node) must only join: see Main's --join-existing.
    boolean joinExisting = cluster.withRole(MemberCard.CONTROL_PLANE).stream()
        .anyMatch(cp -> !cp.name().equals(name) && Processes.alive(cp));
    MemberSpec started = spawn(cluster, m, joinExisting);
    cluster = cluster.with(started);
    cluster.write(dir);
    cluster = awaitAnswers(cluster, List.of(started), timeout);
    return cluster.member(name).orElseThrow();
  }

  private MemberSpec member(String name) {
    ClusterFile cluster = cluster().orElseThrow(() -> new LauncherException("no cluster in " + dir));
    return cluster.member(name).orElseThrow(() -> new LauncherException("no member named " + name + " in " + dir
        + " (members: " + String.join(", ", cluster.nodes().stream().map(MemberSpec::name).toList()) + ")"));
  }

  private ClusterFile plan(UpOptions options) {
    int count = options.controlPlanes() + options.hosts() + 1;
    List<Integer> ports = FreePorts.take(count * 2);
    List<MemberSpec> nodes = new ArrayList<>();
    Map<String, String> roles = new LinkedHashMap<>();
    for (int i = 1; i <= options.controlPlanes(); i++) {
      roles.put("cp-" + i, MemberCard.CONTROL_PLANE);
    }
    for (int i = 1; i <= options.hosts(); i++) {
      roles.put("host-" + i, MemberCard.HOST);
    }
    roles.put("lb-1", MemberCard.LB);
    int next = 0;
    for (var e : roles.entrySet()) {
      Path data = dir.resolve(e.getKey());
      nodes.add(new MemberSpec(e.getKey(), e.getValue(), 0, ports.get(next++), ports.get(next++), data.toString(),
          data.resolve("member.log").toString()));
    }
    int lbPort = nodes.get(nodes.size() - 1).httpPort();
    return new ClusterFile("http://127.0.0.1:" + lbPort, options.runtime(), options.heap(), options.settings(), nodes);
  }

  private MemberSpec spawn(ClusterFile cluster, MemberSpec m) throws IOException {
    return spawn(cluster, m, false);
  }

  private MemberSpec spawn(ClusterFile cluster, MemberSpec m, boolean joinExisting) throws IOException {
    Files.createDirectories(Path.of(m.dataDir()));
    Process p = new ProcessBuilder(MemberCommand.of(dist, cluster, m, joinExisting))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(m.log()).toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    return m.withPid(p.pid());
  }

  /** Waits until each member answers {@code /healthz}; records in {@code cluster.json} that it has run. */
  private ClusterFile awaitAnswers(ClusterFile cluster, List<MemberSpec> members, Duration timeout)
      throws IOException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<MemberSpec> waiting = new ArrayList<>(members);
    while (!waiting.isEmpty()) {
      for (MemberSpec m : List.copyOf(waiting)) {
        if (!Processes.starting(m)) {
          throw new LauncherException(m.name() + " exited while starting; the end of " + m.log() + ":\n" + tail(m));
        }
        if (endpoints.status(Endpoints.url(m, "/healthz")) == 200) {
          out.printf("%-8s %-14s pid %-8d http 127.0.0.1:%-6d up after %.1f s%n", m.name(), m.role(), m.pid(),
              m.httpPort(), (System.nanoTime() - start) / 1e9);
          waiting.remove(m);
          if (!m.hasRun()) {
            cluster = cluster.with(m.ran());
            cluster.write(dir);
          }
        }
      }
      if (System.nanoTime() > deadline) {
        MemberSpec late = waiting.get(0);
        throw new LauncherException(late.name() + " did not answer within " + timeout.toSeconds() + " s; the end of "
            + late.log() + ":\n" + tail(late));
      }
      Processes.sleep(200);
    }
    return cluster;
  }

  /**
   * Waits until every control-plane member is ready and reports every host Ready itself: through
   * the load balancer a client may reach any of them, so one member's view is not enough.
   */
  private void awaitReady(ClusterFile cluster, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<MemberSpec> controlPlanes = cluster.withRole(MemberCard.CONTROL_PLANE);
    List<MemberSpec> hosts = cluster.withRole(MemberCard.HOST);
    while (true) {
      List<String> waitingFor = new ArrayList<>();
      for (MemberSpec cp : controlPlanes) {
        if (endpoints.status(Endpoints.url(cp, "/readyz")) != 200) {
          waitingFor.add(cp.name() + " (not ready)");
        } else if (!Endpoints.allReady(endpoints.readyNodes(Endpoints.url(cp, "")), hosts)) {
          waitingFor.add(cp.name() + " (does not see every host Ready yet)");
        }
      }
      if (waitingFor.isEmpty() && Endpoints.allReady(endpoints.readyNodes(cluster.api()), hosts)) {
        out.println("every control plane is ready and every host is Ready");
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new LauncherException("the cluster did not become ready within " + timeout.toSeconds() + " s; waiting for "
            + (waitingFor.isEmpty() ? "the load balancer" : String.join(", ", waitingFor)));
      }
      Processes.sleep(250);
    }
  }

  /** Waits until the API (through the load balancer) reports each of {@code hosts} Ready. */
  private void awaitHostsReady(ClusterFile cluster, List<MemberSpec> hosts, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Endpoints.allReady(endpoints.readyNodes(cluster.api()), hosts)) {
      if (System.nanoTime() > deadline) {
        throw new LauncherException("hosts " + hosts.stream().map(MemberSpec::name).toList() + " were not Ready within "
            + timeout.toSeconds() + " s");
      }
      Processes.sleep(250);
    }
  }

  private static String tail(MemberSpec m) {
    try {
      List<String> lines = Files.readAllLines(Path.of(m.log()));
      // The member's own reason, when it gave one, matters more than the shutdown noise after it.
      String reason = lines.stream().filter(l -> l.startsWith(m.name() + ": cannot start: ")).reduce((a, b) -> b)
          .map(l -> l + "\n...\n").orElse("");
      return reason + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
