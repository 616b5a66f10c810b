package dev.pacific.controlplane.controllers;

import dev.pacific.api.Pod;
import dev.pacific.api.PodStatus;
import dev.pacific.controlplane.entities.HostMutations;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.entities.PodMutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What becomes of one pod taken off its host, once its old copy can no longer run (fenced by the
 * lost lease, or stopped for maintenance):
 *
 * <ul>
 *   <li>terminating: its host will never confirm the stop, so it is confirmed here and the pod goes;
 *   <li>lost host, {@code restartPolicy: Never}: {@code Failed}, reason {@code NodeLost} (Kubernetes'
 *       pod GC does the same for pods of a lost node);
 *   <li>otherwise: handed back to the scheduler under its own name ({@code PodEntity.Unbind}: node
 *       history annotated, Pending), and its reservation on the old host freed.
 * </ul>
 */
final class Evacuation {

  public static final String NODE_LOST = "NodeLost";

  private final PodMutations pods;
  private final HostMutations hosts;

  Evacuation(PodMutations pods, HostMutations hosts) {
    this.pods = pods;
    this.hosts = hosts;
  }

  /** Completes with true when every pod was dealt with (a failure is retried by the next sweep). */
  CompletionStage<Boolean> evacuate(String host, List<Pod> onHost, boolean hostLost) {
    List<CompletableFuture<Boolean>> all = new ArrayList<>();
    for (Pod pod : onHost) {
      all.add(one(host, pod, hostLost).toCompletableFuture().exceptionally(e -> false));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> all.stream().allMatch(CompletableFuture::join));
  }

  /** Maintenance: each pod marked evicting; its host stops it and confirms, which unbinds it (PodEntity.Evict). */
  CompletionStage<Boolean> evict(String host, List<Pod> onHost) {
    List<CompletableFuture<Boolean>> all = new ArrayList<>();
    for (Pod pod : onHost) {
      ObjectRef ref = new ObjectRef(ResourceKind.PODS, pod.metadata().namespace(), pod.metadata().name());
      all.add(pods.evict(ref, host).thenApply(Evacuation::done).toCompletableFuture().exceptionally(e -> false));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> all.stream().allMatch(CompletableFuture::join));
  }

  private CompletionStage<Boolean> one(String host, Pod pod, boolean hostLost) {
    ObjectRef ref = new ObjectRef(ResourceKind.PODS, pod.metadata().namespace(), pod.metadata().name());
    if (pod.metadata().isTerminating()) {
      return pods.confirmStopped(ref, pod.metadata().uid()).thenApply(Evacuation::done);
    }
    if (hostLost && "Never".equals(pod.spec().restartPolicy())) {
      return pods.updateStatus(nodeLost(pod, host)).thenApply(Evacuation::done);
    }
    return pods.unbind(ref, host).thenCompose(o -> hosts.release(host, pod.metadata().uid())
        .handle((r, e) -> done(o))); // the host's reconciler frees a reservation left behind anyway
  }

  private static Pod nodeLost(Pod pod, String host) {
    PodStatus s = pod.status() == null ? PodStatus.phase("Pending") : pod.status();
    PodStatus failed = new PodStatus("Failed", s.conditions(), "node " + host + " was lost while the pod was on it",
        NODE_LOST, s.hostIP(), s.podIP(), s.startTime(), s.containerStatuses());
    return pod.withMetadata(pod.metadata().withResourceVersion(null)).withStatus(failed);
  }

  private static boolean done(Outcome o) {
    return o instanceof Outcome.Done;
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
