package dev.pacific.deploy;

import com.typesafe.config.ConfigFactory;
import dev.pacific.host.runtime.HostMarkers;
import dev.pacific.host.spherelet.SphereletSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The pod processes of one cluster as the operating system sees them, found by the markers every
 * pod process carries in its environment ({@link HostMarkers}: cluster, host, pod uid), whatever
 * the control plane believes. Zombies have an empty environment and do not count: they run nothing.
 */
final class PodProcesses {

  /** One live pod process: its pid, the host that started it and its pod's uid. */
  record Seen(long pid, String host, String podUid) {}

  private final String cluster;

  private PodProcesses(String cluster) {
    this.cluster = cluster;
  }

  /**
   * The processes of the cluster whose member data directories are under {@code hostDataDir}'s
   * parent, with the cluster marker a host derives from it (the default {@code cluster-id = auto}).
   */
  static PodProcesses ofClusterOf(Path hostDataDir) {
    SphereletSettings settings = SphereletSettings.fromConfig(ConfigFactory.load());
    return new PodProcesses(settings.clusterId(hostDataDir));
  }

  String cluster() {
    return cluster;
  }

  /** Every live pod process of this cluster now. */
  List<Seen> scan() {
    List<Seen> seen = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        environ(proc).ifPresent(env -> {
          if (cluster.equals(env.get(HostMarkers.CLUSTER)) && env.containsKey(HostMarkers.POD_UID)) {
            seen.add(new Seen(Long.parseLong(proc.getFileName().toString()), env.get(HostMarkers.HOST),
                env.get(HostMarkers.POD_UID)));
          }
        });
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return seen;
  }

  /** The live pod processes of this cluster, by pod uid. */
  Map<String, List<Seen>> byPod() {
    return scan().stream().collect(Collectors.groupingBy(Seen::podUid));
  }

  /** The live pod processes started by {@code host}. */
  List<Seen> onHost(String host) {
    return scan().stream().filter(s -> s.host().equals(host)).toList();
  }

  /** Whether {@code seen} still runs, as the same pod's process (a pid is not reused that fast, but check). */
  boolean stillRunning(Seen seen) {
    return environ(Path.of("/proc", Long.toString(seen.pid())))
        .map(env -> seen.podUid().equals(env.get(HostMarkers.POD_UID))).orElse(false);
  }

  private static Optional<Map<String, String>> environ(Path proc) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(proc.resolve("environ"));
    } catch (IOException | SecurityException e) {
      return Optional.empty(); // gone meanwhile, or another user's
    }
    Map<String, String> env = new java.util.HashMap<>();
    for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0 && entry.startsWith("PACIFIC_")) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env.isEmpty() ? Optional.empty() : Optional.of(env);
  }
}
