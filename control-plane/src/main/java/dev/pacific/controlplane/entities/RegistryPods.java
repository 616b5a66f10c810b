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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.serialization.Serialization;

/**
 * The {@link PodDirectory} of a control-plane member: pods read straight from the registry (a
 * linearizable range read of {@code registry/pods/…} on the quorum, decoded as the pod entity
 * stored them), deletes sent through the pods' own {@link Mutations}.
 */
public final class RegistryPods implements PodDirectory {

  private final QuorumKv kv;
  private final Serialization serialization;
  private final Supplier<Mutations> podWrites;

  /** @param podWrites the pods' writes; a supplier because they are started after the namespaces that use this */
  public RegistryPods(QuorumKv kv, Serialization serialization, Supplier<Mutations> podWrites) {
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

  private CompletionStage<List<Pod>> read(byte[] prefix) {
    return kv.range(KeyRange.prefix(prefix)).thenApply(range -> {
      List<Pod> pods = new ArrayList<>(range.kvs().size());
      for (KeyValue entry : range.kvs()) {
        if (StoredState.decode(entry.value()).toObject(serialization) instanceof EntityState s
            && s.object() instanceof Pod pod) {
          pods.add(pod);
        }
      }
      return pods;
    });
  }
}
