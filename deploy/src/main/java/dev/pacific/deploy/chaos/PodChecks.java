package dev.pacific.deploy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.deploy.launcher.ClusterFile;
import dev.pacific.deploy.launcher.Processes;
import dev.pacific.membership.MemberCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The pod checks after the cluster healed: every acknowledged pod exists with its uid and has
 * converged (Running, bound to a live host, whose processes run there and nowhere else; or, for a
 * {@code restartPolicy: Never} pod whose host was lost, {@code Failed} for {@code NodeLost} with no
 * process left), every acknowledged delete is gone with its processes, no process runs for a pod
 * that does not exist, no pod was ever sampled on two hosts at once, no Never pod ever ran on a
 * second host, and the pod watch saw every acknowledged create and delete in resourceVersion order,
 * ending at each pod's current state.
 */
final class PodChecks {

  private final Client client;
  private final PodWorkload pods;
  private final PodSampler sampler;
  private final Supplier<ClusterFile> cluster;
  private final PodWatch watch;
  private int failedNodeLost;

  PodChecks(Client client, PodWorkload pods, PodSampler sampler, PodWatch watch, Supplier<ClusterFile> cluster) {
    this.client = client;
    this.pods = pods;
    this.sampler = sampler;
    this.watch = watch;
    this.cluster = cluster;
  }

  List<Check> run(Duration convergeLimit) throws InterruptedException {
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("pod workload saw no anomaly", pods.anomalies().isEmpty(),
        pods.live().size() + " pods acknowledged and kept, " + pods.deleted().size() + " deleted"
            + KvChecks.sample(pods.anomalies())));
    long start = System.nanoTime();
    List<String> wrong = converged();
    while (!wrong.isEmpty() && System.nanoTime() - start < convergeLimit.toNanos()) {
      Thread.sleep(1000);
      wrong = converged();
    }
    checks.add(new Check("every acknowledged pod exists and converged", wrong.isEmpty() && !pods.live().isEmpty(),
        String.format("%d pods kept: %d Running on live hosts, %d Never pods Failed for NodeLost; %d deletes gone;"
                + " after %.1f s", pods.live().size(), pods.live().size() - failedNodeLost, failedNodeLost,
            pods.deleted().size(), (System.nanoTime() - start) / 1e9) + KvChecks.sample(wrong)));
    List<String> twice = sampler.twice().stream().map(t -> "pod " + t.uid() + " on " + t.hosts()).distinct().toList();
    checks.add(new Check("no pod ran on two hosts at once", twice.isEmpty() && sampler.seenAny(),
        sampler.samples() + " process samples; " + sampler.moved().size() + " pods moved between hosts"
            + (sampler.seenAny() ? "" : "; no pod process was ever seen") + KvChecks.sample(twice)));
    checks.add(neverPodsNeverMoved());
    checks.add(watchComplete());
    return checks;
  }

  /** A Never pod runs where it was first placed or nowhere: sampled on a second host, it was restarted. */
  private Check neverPodsNeverMoved() {
    Map<String, String> never = new HashMap<>();
    pods.live().forEach((name, uid) -> {
      if (name.startsWith(PodWorkload.NEVER)) {
        never.put(uid, name);
      }
    });
    pods.deleted().forEach((name, uid) -> {
      if (name.startsWith(PodWorkload.NEVER) && !uid.isEmpty()) {
        never.put(uid, name);
      }
    });
    List<String> wrong = new ArrayList<>();
    sampler.moved().forEach((uid, hosts) -> {
      if (never.containsKey(uid)) {
        wrong.add(never.get(uid) + " (restartPolicy Never) ran on " + hosts);
      }
    });
    return new Check("no restartPolicy Never pod ran on a second host", wrong.isEmpty() && !never.isEmpty(),
        never.size() + " Never pods" + KvChecks.sample(wrong));
  }

  /**
   * The pod watch, once it caught up with the final list: resourceVersions strictly increasing; every
   * acknowledged pod ADDED with its uid and its last event at its current resourceVersion; every
   * acknowledged delete DELETED.
   */
  private Check watchComplete() throws InterruptedException {
    Client.Answer list = client.get("/api/v1/namespaces/" + PodWorkload.NAMESPACE + "/pods");
    if (list == null || list.code() != 200) {
      return new Check("pod watch saw every acknowledged change, in order", false,
          "the final pod list answered " + (list == null ? "nothing" : list.code()));
    }
    // The list's resourceVersion is the quorum's revision, which the key-value workload moved past the last pod
    // change: wait for the newest listed pod's change instead, and for every acknowledged delete's event.
    long newest = 0;
    for (JsonNode pod : list.body().path("items")) {
      newest = Math.max(newest, Long.parseLong(pod.path("metadata").path("resourceVersion").asText("0")));
    }
    Set<String> deletedUids = new HashSet<>(pods.deleted().values());
    deletedUids.remove("");
    long waitStart = System.nanoTime();
    while ((watch.lastRevision() < newest || !deletesWatched(deletedUids))
        && System.nanoTime() - waitStart < 60_000_000_000L) {
      Thread.sleep(200);
    }
    List<PodWatch.Event> events = watch.events();
    List<String> wrong = new ArrayList<>(watch.errors());
    Map<String, List<PodWatch.Event>> byUid = new HashMap<>();
    long previous = -1;
    for (PodWatch.Event e : events) {
      if (e.resourceVersion() <= previous) {
        wrong.add(e.type() + " " + e.name() + " at " + e.resourceVersion() + " after " + previous
            + ": out of order or a duplicate");
      }
      previous = Math.max(previous, e.resourceVersion());
      byUid.computeIfAbsent(e.uid(), u -> new ArrayList<>()).add(e);
    }
    Map<String, Long> current = new HashMap<>();
    for (JsonNode pod : list.body().path("items")) {
      current.put(pod.path("metadata").path("uid").asText(),
          Long.parseLong(pod.path("metadata").path("resourceVersion").asText("0")));
    }
    pods.live().forEach((name, uid) -> {
      List<PodWatch.Event> seen = byUid.getOrDefault(uid, List.of());
      if (seen.isEmpty() || !seen.get(0).type().equals("ADDED")) {
        wrong.add(name + " (uid " + uid + "): first watched " + (seen.isEmpty() ? "never" : seen.get(0)));
      } else if (current.containsKey(uid) && seen.get(seen.size() - 1).resourceVersion() != current.get(uid)) {
        wrong.add(name + ": last watched at " + seen.get(seen.size() - 1).resourceVersion() + ", now at "
            + current.get(uid));
      }
    });
    pods.deleted().forEach((name, uid) -> {
      List<PodWatch.Event> seen = byUid.getOrDefault(uid, List.of());
      if (!uid.isEmpty() && (seen.isEmpty() || !seen.get(seen.size() - 1).type().equals("DELETED"))) {
        wrong.add(name + " (uid " + uid + "): deleted, last watched " + (seen.isEmpty() ? "never" : seen.get(
            seen.size() - 1)));
      }
    });
    return new Check("pod watch saw every acknowledged change, in order", wrong.isEmpty() && !events.isEmpty(),
        events.size() + " events, " + watch.resumes() + " resumes" + KvChecks.sample(wrong));
  }

  private boolean deletesWatched(Set<String> uids) {
    Set<String> seen = new HashSet<>();
    watch.events().stream().filter(e -> e.type().equals("DELETED")).forEach(e -> seen.add(e.uid()));
    return seen.containsAll(uids);
  }

  /** What is not (yet) as it should be; empty once converged. */
  private List<String> converged() {
    List<String> wrong = new ArrayList<>();
    failedNodeLost = 0;
    Client.Answer list = client.get("/api/v1/namespaces/" + PodWorkload.NAMESPACE + "/pods");
    if (list == null || list.code() != 200) {
      return List.of("the pod list answered " + (list == null ? "nothing" : list.code()));
    }
    Set<String> liveHosts = new HashSet<>();
    for (var m : cluster.get().withRole(MemberCard.HOST)) {
      if (Processes.alive(m)) {
        liveHosts.add(m.name());
      }
    }
    Map<String, Set<String>> running = new HashMap<>();
    sampler.scan().forEach(p -> running.computeIfAbsent(p.uid(), u -> new HashSet<>()).add(p.host()));
    Map<String, JsonNode> byName = new HashMap<>();
    Set<String> listedUids = new HashSet<>();
    for (JsonNode pod : list.body().path("items")) {
      String name = pod.path("metadata").path("name").asText();
      String uid = pod.path("metadata").path("uid").asText();
      byName.put(name, pod);
      listedUids.add(uid);
      String node = pod.path("spec").path("nodeName").asText("");
      String phase = pod.path("status").path("phase").asText("");
      String reason = pod.path("status").path("reason").asText("");
      if (pod.path("metadata").has("deletionTimestamp")) {
        wrong.add(name + " still terminating");
      } else if (phase.equals("Failed") && name.startsWith(PodWorkload.NEVER) && reason.equals("NodeLost")) {
        failedNodeLost++;
        if (running.containsKey(uid)) {
          wrong.add(name + " Failed for NodeLost, its processes still run on " + running.get(uid));
        }
      } else if (!phase.equals("Running")) {
        wrong.add(name + " is " + phase + " on '" + node + "' (" + pod.path("status").path("reason").asText("")
            + " " + pod.path("status").path("message").asText("") + ")");
      } else if (!liveHosts.contains(node)) {
        wrong.add(name + " Running on " + node + ", which is not a live host");
      } else if (!Set.of(node).equals(running.getOrDefault(uid, Set.of()))) {
        wrong.add(name + " bound to " + node + ", its processes run on " + running.getOrDefault(uid, Set.of()));
      }
    }
    pods.live().forEach((name, uid) -> {
      JsonNode pod = byName.get(name);
      if (pod == null) {
        wrong.add("acknowledged pod " + name + " is missing");
      } else if (!uid.equals(pod.path("metadata").path("uid").asText())) {
        wrong.add("acknowledged pod " + name + " has uid " + pod.path("metadata").path("uid").asText() + ", not " + uid);
      }
    });
    pods.deleted().forEach((name, uid) -> {
      if (byName.containsKey(name) && uid.equals(byName.get(name).path("metadata").path("uid").asText())) {
        wrong.add("deleted pod " + name + " still listed");
      }
    });
    running.forEach((uid, hosts) -> {
      if (!listedUids.contains(uid)) {
        wrong.add("processes of pod uid " + uid + " (no such pod) run on " + hosts);
      }
    });
    return wrong;
  }
}
