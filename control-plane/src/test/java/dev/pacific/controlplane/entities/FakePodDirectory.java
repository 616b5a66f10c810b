package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.persistence.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The pods "in the registry" as a test sets them, and the deletes the entities asked for. A delete
 * marks the pod terminating, as a pod with a grace period would be, and the test removes it when
 * it wants the pod gone.
 */
final class FakePodDirectory implements PodDirectory {

  final Map<String, Pod> pods = new ConcurrentHashMap<>();
  final List<ObjectRef> deletesAsked = new CopyOnWriteArrayList<>();
  volatile boolean failing;

  void put(Pod pod) {
    pods.put(pod.metadata().namespace() + "/" + pod.metadata().name(), pod);
  }

  void remove(Pod pod) {
    pods.remove(pod.metadata().namespace() + "/" + pod.metadata().name());
  }

  @Override
  public CompletionStage<List<Pod>> inNamespace(String namespace) {
    return answer(pods.values().stream().filter(p -> namespace.equals(p.metadata().namespace())).toList());
  }

  @Override
  public CompletionStage<List<Pod>> onNode(String node) {
    return answer(pods.values().stream().filter(p -> node.equals(p.spec().nodeName())).toList());
  }

  @Override
  public CompletionStage<Void> delete(ObjectRef pod) {
    deletesAsked.add(pod);
    pods.computeIfPresent(pod.namespace() + "/" + pod.name(), (k, p) -> p.withMetadata(
        p.metadata().withDeletion("2026-01-01T00:00:00Z", 30L)));
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<List<Pod>> answer(List<Pod> list) {
    return failing ? CompletableFuture.failedFuture(new IllegalStateException("registry unavailable"))
        : CompletableFuture.completedFuture(new ArrayList<>(list));
  }
}
