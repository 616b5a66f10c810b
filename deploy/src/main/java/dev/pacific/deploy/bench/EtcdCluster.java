package dev.pacific.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pacific.deploy.launcher.FreePorts;
import dev.pacific.deploy.launcher.LauncherException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A 3-member etcd on loopback for the side-by-side benchmark: Debian's {@code etcd-server}
 * (installed on first use), data in a temporary directory, free ports, etcd's default timings
 * (heartbeat 100 ms, election 1 s). {@link #close} kills every member and deletes the data.
 */
public final class EtcdCluster implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NAMES = {"etcd-1", "etcd-2", "etcd-3"};

  private final Path dir;
  private final PrintStream out;
  private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
  private final Map<String, Integer> peerPorts = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();

  private EtcdCluster(Path dir, PrintStream out) {
    this.dir = dir;
    this.out = out;
    List<Integer> ports = FreePorts.take(NAMES.length * 2);
    for (int i = 0; i < NAMES.length; i++) {
      clientPorts.put(NAMES[i], ports.get(2 * i));
      peerPorts.put(NAMES[i], ports.get(2 * i + 1));
    }
  }

  /** Starts the three members and returns once each answers {@code /health} healthy. */
  public static EtcdCluster start(PrintStream out) throws IOException, InterruptedException {
    String binary = ensureInstalled(out);
    EtcdCluster etcd = new EtcdCluster(Files.createTempDirectory("pacific-bench-etcd-"), out);
    try {
      for (String name : NAMES) {
        etcd.spawn(binary, name);
      }
      for (String name : NAMES) {
        etcd.awaitHealthy(name);
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      etcd.close();
      throw e;
    }
    out.println("etcd: 3 members on 127.0.0.1, client ports " + etcd.clientPorts.values() + ", data in " + etcd.dir);
    return etcd;
  }

  /** The members' processes, for CPU accounting. */
  public List<Long> pids() {
    return processes.values().stream().map(Process::pid).toList();
  }

  public List<Integer> clientPorts() {
    return List.copyOf(clientPorts.values());
  }

  /** The leader's name, from each member's {@code /v3/maintenance/status}, or empty while there is none. */
  public Optional<String> leader() {
    for (String name : NAMES) {
      if (!alive(name)) {
        continue;
      }
      try (HttpConnection c = new HttpConnection("127.0.0.1", clientPorts.get(name), 1000)) {
        JsonNode s = JSON.readTree(c.send("POST", "/v3/maintenance/status", "{}".getBytes(StandardCharsets.UTF_8)).body());
        String self = s.path("header").path("member_id").asText();
        if (!self.isEmpty() && self.equals(s.path("leader").asText())) {
          return Optional.of(name);
        }
      } catch (IOException e) {
        // not answering: try the next
      }
    }
    return Optional.empty();
  }

  /** SIGKILL of one member, as the Pacific failover does to its leader. */
  public void kill(String name) throws InterruptedException {
    Process p = processes.get(name);
    p.destroyForcibly();
    p.waitFor();
    out.println("killed " + name + " (pid " + p.pid() + ")");
  }

  /** Starts a killed member again on its data; returns once it is healthy. */
  public void restart(String name) throws IOException, InterruptedException {
    spawn(ensureInstalled(out), name);
    awaitHealthy(name);
  }

  private boolean alive(String name) {
    Process p = processes.get(name);
    return p != null && p.isAlive();
  }

  private void spawn(String binary, String name) throws IOException {
    StringBuilder initial = new StringBuilder();
    for (String n : NAMES) {
      initial.append(initial.length() == 0 ? "" : ",").append(n).append("=http://127.0.0.1:").append(peerPorts.get(n));
    }
    String client = "http://127.0.0.1:" + clientPorts.get(name);
    String peer = "http://127.0.0.1:" + peerPorts.get(name);
    List<String> cmd = new ArrayList<>(List.of(binary, "--name", name, "--data-dir", dir.resolve(name).toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", initial.toString(),
        "--initial-cluster-state", "new", "--initial-cluster-token", "pacific-bench", "--logger", "zap",
        "--log-level", "warn"));
    File log = dir.resolve(name + ".log").toFile();
    processes.put(name, new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start());
  }

  private void awaitHealthy(String name) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!alive(name)) {
        throw new LauncherException(name + " exited while starting; see " + dir.resolve(name + ".log"));
      }
      try (HttpConnection c = new HttpConnection("127.0.0.1", clientPorts.get(name), 1000)) {
        HttpConnection.Response r = c.send("GET", "/health", new byte[0]);
        if (r.code() == 200 && r.text().contains("true")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new LauncherException(name + " was not healthy within 60 s; see " + dir.resolve(name + ".log"));
  }

  /** The etcd binary; installs Debian's etcd-server first when there is none. */
  private static String ensureInstalled(PrintStream out) throws IOException, InterruptedException {
    for (String candidate : List.of("/usr/bin/etcd", "/usr/local/bin/etcd")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    out.println("etcd: not installed; running apt-get install -y etcd-server etcd-client");
    Process p = new ProcessBuilder("apt-get", "install", "-y", "etcd-server", "etcd-client")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0 || !Files.isExecutable(Path.of("/usr/bin/etcd"))) {
      throw new LauncherException("could not install etcd (apt-get install -y etcd-server etcd-client failed); "
          + "install it and run again");
    }
    return "/usr/bin/etcd";
  }

  @Override
  public void close() {
    for (Process p : processes.values()) {
      p.destroyForcibly();
    }
    for (Process p : processes.values()) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      out.println("etcd: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
