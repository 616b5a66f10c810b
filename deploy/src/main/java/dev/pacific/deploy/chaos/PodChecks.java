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
 * converged (Running, bound to a live host, whose processes run there and nowhere else), every
 * acknowledged delete is gone with its processes, no process runs for a pod that does not exist,
 * and no pod was ever sampled on two hosts at once.
 */
final class PodChecks {

  private final Client client;
  private final PodWorkload pods;
  private final PodSampler sampler;
  private final Supplier<ClusterFile> cluster;

  PodChecks(Client client, PodWorkload pods, PodSampler sampler, Supplier<ClusterFile> cluster) {
    this.client = client;
    this.pods = pods;
    this.sampler = sampler;
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
        String.format("%d pods Running on live hosts, %d deletes gone, after %.1f s", pods.live().size(),
            pods.deleted().size(), (System.nanoTime() - start) / 1e9) + KvChecks.sample(wrong)));
    List<String> twice = sampler.twice().stream().map(t -> "pod " + t.uid() + " on " + t.hosts()).distinct().toList();
    checks.add(new Check("no pod ran on two hosts at once", twice.isEmpty() && sampler.seenAny(),
        sampler.samples() + " process samples; " + sampler.moved().size() + " pods moved between hosts"
            + (sampler.seenAny() ? "" : "; no pod process was ever seen") + KvChecks.sample(twice)));
    return checks;
  }

  /** What is not (yet) as it should be; empty once converged. */
  private List<String> converged() {
    List<String> wrong = new ArrayList<>();
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
      if (pod.path("metadata").has("deletionTimestamp")) {
        wrong.add(name + " still terminating");
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
