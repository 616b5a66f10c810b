package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.podcache.PodCache;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The {@link PodDirectory} of a control-plane member: pods read from the member's {@link PodCache} (consistent reads:
 * the cache answers once it has seen the quorum's current revision, so a reconcile never counts from a stale view),
 * deletes sent through the pods' own {@link Mutations}.
 */
public final class RegistryPods implements PodDirectory {

  private final PodCache cache;
  private final Supplier<Mutations> podWrites;

  /** @param podWrites the pods' writes; a supplier because they are started after the namespaces that use this */
  public RegistryPods(PodCache cache, Supplier<Mutations> podWrites) {
    this.cache = cache;
    this.podWrites = podWrites;
  }

  @Override
  public CompletionStage<List<Pod>> inNamespace(String namespace) {
    return cache.inNamespace(namespace);
  }

  @Override
  public CompletionStage<List<Pod>> onNode(String node) {
    return cache.onNode(node);
  }

  @Override
  public CompletionStage<Void> delete(ObjectRef pod) {
    return podWrites.get().delete(pod, DeleteOptions.defaults()).thenApply(outcome -> null);
  }
}
