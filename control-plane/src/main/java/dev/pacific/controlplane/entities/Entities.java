package dev.pacific.controlplane.entities;

import com.typesafe.config.Config;
import dev.pacific.controlplane.persistence.RegistryQuorum;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.podcache.PodCache;
import dev.pacific.controlplane.quorum.QuorumKv;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The registry's entities on a control-plane member: what {@code ControlPlane} starts once its
 * quorum client exists.
 *
 * @param mutations the API's writes, routed by kind
 * @param pods      pod writes beyond the API's (bind, rebind, a host's stop confirmation)
 * @param hosts     node writes beyond the API's (registration, maintenance, capacity reservations)
 */
public record Entities(Mutations mutations, PodMutations pods, HostMutations hosts) {

  /** The sharded entity types this member hosts, for {@code /admin/v1/entities}. */
  public java.util.List<org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?>> typeKeys() {
    return java.util.List.of(PodEntity.TYPE_KEY, NamespaceEntity.TYPE_KEY, HostEntity.TYPE_KEY);
  }

  /** Hands the quorum client to the durable-state store, then starts sharding for every kind with an entity. */
  public static Entities start(ActorSystem<?> system, QuorumKv kv, PodCache cache, Config config) {
    RegistryQuorum.get(system).set(kv);
    EntitySettings settings = EntitySettings.fromConfig(config);
    // Namespaces ask pods to delete and hosts read them, but pods are admitted by their namespace: the directory
    // reaches the pods' writes once they exist (entities start lazily, after this method).
    AtomicReference<Mutations> podWrites = new AtomicReference<>();
    PodDirectory directory = new RegistryPods(cache, podWrites::get);
    NamespaceEntity.Settings namespaceSettings = NamespaceEntity.Settings.fromConfig(config);
    NamespaceMutations namespaces = NamespaceMutations.start(system, settings, namespaceSettings, directory);
    HostMutations hosts = HostMutations.start(system, settings, HostEntity.Settings.fromConfig(config), directory);
    PodMutations pods = PodMutations.start(system, settings, namespaces);
    podWrites.set(pods);
    Map<ResourceKind, Mutations> routes = new EnumMap<>(ResourceKind.class);
    routes.put(ResourceKind.PODS, pods);
    routes.put(ResourceKind.NAMESPACES, namespaces);
    routes.put(ResourceKind.RESOURCEQUOTAS, namespaces);
    routes.put(ResourceKind.NODES, hosts);
    namespaceSettings.initial().forEach(name -> namespaces.ensure(system, name));
    RegistryWakeup.start(system, kv, config.getDuration("pacific.entities.wake-interval"));
    return new Entities(new ShardedMutations(routes), pods, hosts);
  }
}
