package dev.pacific.deploy.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Samples the machine's processes a few times a second for the markers every pod process carries
 * in its environment (host-node's {@code HostMarkers}: cluster, host, pod uid), without asking any
 * member: a pod seen on two hosts in one sample ran on two hosts at once, whatever the control
 * plane believes. It also measures how long each pod went unseen between two sightings (its time
 * without a host after a host died or was fenced).
 */
final class PodSampler implements AutoCloseable {

  static final String CLUSTER = "PACIFIC_CLUSTER";
  static final String HOST = "PACIFIC_HOST";
  static final String POD_UID = "PACIFIC_POD_UID";

  /** One pod process: its pid, host and pod uid. */
  record Marked(long pid, String host, String uid) {}

  /** A pod seen on more than one host in one sample. */
  record Twice(long atNanos, String uid, Set<String> hosts) {}

  /** The longest time one pod went unseen between two sightings. */
  record Gap(String uid, long fromNanos, long millis) {}

  private final String clusterId;
  private final long intervalMillis;
  private final Thread thread;
  private final List<Twice> twice = new ArrayList<>();
  private final Map<String, Long> lastSeen = new HashMap<>();
  private final Map<String, Long> firstSeen = new HashMap<>();
  private final Map<String, Set<String>> hostsSeen = new HashMap<>();
  private Gap longest = new Gap("none", 0, 0);
  private long samples;
  private volatile boolean stopped;

  PodSampler(Path clusterDir, long intervalMillis) {
    this.clusterId = clusterId(clusterDir);
    this.intervalMillis = intervalMillis;
    this.thread = new Thread(this::run, "chaos-pod-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** As the spherelet derives it with {@code cluster-id = auto}: from the directory holding the member data directories. */
  static String clusterId(Path clusterDir) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(clusterDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "pacific-" + java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Every live process carrying this cluster's pod markers, now. */
  List<Marked> scan() {
    List<Marked> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        Map<String, String> env = environ(proc.resolve("environ"));
        if (clusterId.equals(env.get(CLUSTER)) && env.containsKey(POD_UID)) {
          found.add(new Marked(Long.parseLong(proc.getFileName().toString()), env.get(HOST), env.get(POD_UID)));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return found;
  }

  private static Map<String, String> environ(Path file) {
    Map<String, String> env = new HashMap<>();
    try {
      for (String entry : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0")) {
        int eq = entry.indexOf('=');
        if (eq > 0 && entry.startsWith("PACIFIC_")) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
    } catch (IOException | SecurityException e) {
      // gone meanwhile, a zombie, or another user's: runs nothing of ours
    }
    return env;
  }

  private void run() {
    while (!stopped) {
      sample();
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    long now = System.nanoTime();
    Map<String, Set<String>> hostsOf = new HashMap<>();
    for (Marked m : scan()) {
      hostsOf.computeIfAbsent(m.uid(), u -> new TreeSet<>()).add(m.host());
    }
    synchronized (this) {
      samples++;
      hostsOf.forEach((uid, hosts) -> {
        if (hosts.size() > 1) {
          twice.add(new Twice(now, uid, hosts));
        }
        hostsSeen.computeIfAbsent(uid, u -> new TreeSet<>()).addAll(hosts);
        firstSeen.putIfAbsent(uid, now);
        Long last = lastSeen.put(uid, now);
        if (last != null && (now - last) / 1_000_000 > longest.millis()) {
          longest = new Gap(uid, last, (now - last) / 1_000_000);
        }
      });
    }
  }

  synchronized List<Twice> twice() {
    return List.copyOf(twice);
  }

  /**
   * The longest time a pod went without a host: between two sightings, or from its acknowledged
   * creation ({@code created}: uid to nanoTime) to its first sighting, or to {@code end} if never seen.
   */
  synchronized Gap longestGap(Map<String, Long> created, long end) {
    Gap worst = longest;
    for (var e : created.entrySet()) {
      long until = firstSeen.getOrDefault(e.getKey(), end);
      long millis = (until - e.getValue()) / 1_000_000;
      if (millis > worst.millis()) {
        worst = new Gap(e.getKey() + (firstSeen.containsKey(e.getKey()) ? " (before it first ran)" : " (never ran)"),
            e.getValue(), millis);
      }
    }
    return worst;
  }

  /** True once any pod process was seen: a sampler that never saw one proves nothing. */
  synchronized boolean seenAny() {
    return !lastSeen.isEmpty();
  }

  synchronized long samples() {
    return samples;
  }

  /** Pods seen on more than one host over the run (moved after a host was lost), by uid. */
  synchronized Map<String, Set<String>> moved() {
    Map<String, Set<String>> out = new HashMap<>();
    hostsSeen.forEach((uid, hosts) -> {
      if (hosts.size() > 1) {
        out.put(uid, new HashSet<>(hosts));
      }
    });
    return out;
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
