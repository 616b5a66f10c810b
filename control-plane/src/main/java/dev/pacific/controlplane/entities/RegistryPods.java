package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.Mutations.DeleteOptions;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StoredState;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import dev.pacific.controlplane.quorum.store.KvCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.serialization.Serialization;

/**
 * The {@link PodDirectory} of a control-plane member: pods read straight from the registry (a
 * linearizable range read of {@code registry/pods/…} on the quorum, decoded as the pod entity
 * stored them), deletes sent through the pods' own {@link Mutations}.
 */
public final class RegistryPods implements PodDirectory {

  /** Pods per quorum read. */
  static final int PAGE = 500;

  private final int pageSize;
  private final QuorumKv kv;
  private final Serialization serialization;
  private final Supplier<Mutations> podWrites;

  /** @param podWrites the pods' writes; a supplier because they are started after the namespaces that use this */
  public RegistryPods(QuorumKv kv, Serialization serialization, Supplier<Mutations> podWrites) {
    this(kv, serialization, podWrites, PAGE);
  }

  RegistryPods(QuorumKv kv, Serialization serialization, Supplier<Mutations> podWrites, int pageSize) {
    this.pageSize = pageSize;
    this.kv = kv;
    this.serialization = serialization;
    this.podWrites = podWrites;
  }

  @Override
  public CompletionStage<List<Pod>> inNamespace(String namespace) {
    return read(RegistryKeys.prefix(ResourceKind.PODS, namespace));
  }

  /** Reads every pod: hosts reconcile seldom (pacific.entities.host.reconcile-interval), so no index is kept. */
  @Override
  public CompletionStage<List<Pod>> onNode(String node) {
    return read(RegistryKeys.prefix(ResourceKind.PODS))
        .thenApply(all -> all.stream().filter(p -> p.spec() != null && node.equals(p.spec().nodeName())).toList());
  }

  @Override
  public CompletionStage<Void> delete(ObjectRef pod) {
    return podWrites.get().delete(pod, DeleteOptions.defaults()).thenApply(outcome -> null);
  }

  /**
   * Every pod under {@code prefix}, in pages ({@link #PAGE} pods) read at one revision. One range of every pod would be
   * built whole on the quorum member's thread (some 20 MB at 10,000 pods), holding up its heartbeats and every
   * renewal behind it; pages let the member's other work in between.
   */
  private CompletionStage<List<Pod>> read(byte[] prefix) {
    return page(KeyRange.prefix(prefix), KvCommand.LATEST, new ArrayList<>());
  }

  private CompletionStage<List<Pod>> page(KeyRange range, long revision, List<Pod> into) {
    return kv.range(range, revision, pageSize).thenCompose(page -> {
      for (KeyValue entry : page.kvs()) {
        if (StoredState.decode(entry.value()).toObject(serialization) instanceof EntityState s
            && s.object() instanceof Pod pod) {
          into.add(pod);
        }
      }
      if (!page.more() || page.kvs().isEmpty()) {
        return CompletableFuture.completedFuture(into);
      }
      return page(range.after(page.kvs().get(page.kvs().size() - 1).key()), page.revision(), into);
    });
  }
}
