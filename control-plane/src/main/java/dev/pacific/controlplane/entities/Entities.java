package dev.pacific.controlplane.entities;

import com.typesafe.config.Config;
import dev.pacific.controlplane.persistence.RegistryQuorum;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.QuorumKv;
import java.util.EnumMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The registry's entities on a control-plane member: what {@code ControlPlane} starts once its
 * quorum client exists.
 *
 * @param mutations the API's writes, routed by kind
 * @param pods      pod writes beyond the API's (bind, rebind, a host's stop confirmation)
 */
public record Entities(Mutations mutations, PodMutations pods) {

  /** Hands the quorum client to the durable-state store, then starts sharding for every kind with an entity. */
  public static Entities start(ActorSystem<?> system, QuorumKv kv, Config config) {
    RegistryQuorum.get(system).set(kv);
    EntitySettings settings = EntitySettings.fromConfig(config);
    // NamespaceEntity (namespaces and their resource quotas) and HostEntity (nodes) put their routes here, and the
    // namespace's Admission replaces ADMIT_ALL for pods.
    Admission admission = Admission.ADMIT_ALL;
    PodMutations pods = PodMutations.start(system, settings, admission);
    Map<ResourceKind, Mutations> routes = new EnumMap<>(ResourceKind.class);
    routes.put(ResourceKind.PODS, pods);
    return new Entities(new ShardedMutations(routes), pods);
  }
}
