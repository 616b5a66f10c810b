package dev.pacific.controlplane.entities;

import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.store.KeyRange;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Keeps every namespace and host entity running. They never passivate, but when the member that ran
 * them is lost, sharding starts them elsewhere only on their next message, and until then nothing
 * reconciles their reservations and a terminating namespace stops draining. So every control-plane
 * member, every {@code pacific.entities.wake-interval}, sends a {@code Wake} to each namespace and
 * node the registry holds (a no-op for a running entity; a fresh one recovers, reconciles and
 * resumes). Without Pekko's remember-entities, which would need a journal or durable ddata.
 */
final class RegistryWakeup {

  private RegistryWakeup() {}

  static void start(ActorSystem<?> system, QuorumKv kv, Duration interval) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Cancellable waking = system.scheduler().scheduleWithFixedDelay(interval, interval, () -> {
      wake(kv, ResourceKind.NAMESPACES, ref -> sharding.entityRefFor(NamespaceEntity.TYPE_KEY, ref.entityId())
          .tell(new NamespaceEntity.Wake()));
      wake(kv, ResourceKind.NODES, ref -> sharding.entityRefFor(HostEntity.TYPE_KEY, ref.entityId())
          .tell(new HostEntity.Wake()));
    }, system.executionContext());
    // Stops before sharding hands its shards off: messages sent during the hand-off would hold it up.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "registry-wakeup-stop",
        () -> {
          waking.cancel();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  private static void wake(QuorumKv kv, ResourceKind kind, java.util.function.Consumer<ObjectRef> wake) {
    // A failed read (no quorum now) is simply tried again at the next interval.
    kv.range(KeyRange.prefix(RegistryKeys.prefix(kind))).thenAccept(range -> {
      for (KeyValue entry : range.kvs()) {
        wake.accept(RegistryKeys.ofKey(entry.key()));
      }
    });
  }
}
