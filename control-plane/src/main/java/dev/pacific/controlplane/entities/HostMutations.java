package dev.pacific.controlplane.entities;

import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations.Outcome;
import dev.pacific.controlplane.persistence.ObjectRef;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Writes to nodes, each sent to its {@link HostEntity} through Cluster Sharding: the API's (create,
 * update, status; a node is never deleted through the API, CONTRACT.md answers 405), and the
 * others': a host's registration, maintenance, and the scheduler's capacity reservations.
 */
public final class HostMutations implements Mutations {

  /** At most this many reservation changes go to a host in one write. */
  private static final int MAX_BATCH = 500;

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final HostChanges changes;

  private HostMutations(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.changes = new HostChanges((node, batch) -> ask(node, r -> new HostEntity.Adjust(batch, r)), MAX_BATCH);
  }

  /** Starts host sharding on this member; host entities never passivate (see {@link HostEntity}). */
  public static HostMutations start(ActorSystem<?> system, EntitySettings common, HostEntity.Settings settings,
                                    PodDirectory pods) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(HostEntity.TYPE_KEY, ctx -> HostEntity.create(ctx.getEntityId(), common, settings, pods,
            Clock.systemUTC()))
        .withRole(PodMutations.ROLE)
        .withSettings(ClusterShardingSettings.create(system).withRole(PodMutations.ROLE).withNoPassivationStrategy()));
    return new HostMutations(sharding, common.askTimeout());
  }

  @Override
  public CompletionStage<Outcome> create(Object object) {
    Node node = (Node) object;
    return ask(node.metadata().name(), r -> new HostEntity.Create(node, r)).thenApply(HostMutations::outcome);
  }

  @Override
  public CompletionStage<Outcome> update(Object object) {
    Node node = (Node) object;
    return ask(node.metadata().name(), r -> new HostEntity.Update(node, r)).thenApply(HostMutations::outcome);
  }

  @Override
  public CompletionStage<Outcome> updateStatus(Object object) {
    Node node = (Node) object;
    return ask(node.metadata().name(), r -> new HostEntity.UpdateStatus(node, r)).thenApply(HostMutations::outcome);
  }

  @Override
  public CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options) {
    return CompletableFuture.completedFuture(new Outcome.Failed(Status.failure(405, "MethodNotAllowed",
        "nodes are not deleted through the API: a host leaves by being stopped, or is drained with maintenance")));
  }

  /** A host announces itself (capacity, addresses, labels, conditions): created if new, else refreshed. */
  public CompletionStage<Outcome> register(Node node) {
    return ask(node.metadata().name(), r -> new HostEntity.Register(node, r)).thenApply(HostMutations::outcome);
  }

  /** Enters or leaves maintenance ({@code /admin/v1/nodes/{name}/maintenance}). */
  public CompletionStage<Outcome> setMaintenance(String node, boolean enabled) {
    return ask(node, r -> new HostEntity.SetMaintenance(enabled, r)).thenApply(HostMutations::outcome);
  }

  /**
   * Reserves the pod's effective requests on the host: {@link HostEntity.Reserved}, or
   * {@link HostEntity.Refused} with the scheduler's reasons, or {@link HostEntity.Failed} (404, 503).
   * Idempotent by pod uid. Reservations of one host that arrive together go in one write
   * ({@link HostChanges}).
   */
  public CompletionStage<HostEntity.Reply> reserve(String node, Pod pod) {
    return changes.submit(node, HostEntity.Change.reserve(pod));
  }

  /** Frees what the pod holds on the host; idempotent; batched with the host's other changes. */
  public CompletionStage<HostEntity.Reply> release(String node, String podUid) {
    return changes.submit(node, HostEntity.Change.release(podUid));
  }

  private CompletionStage<HostEntity.Reply> ask(String node,
                                                Function<ActorRef<HostEntity.Reply>, HostEntity.Command> command) {
    return sharding.entityRefFor(HostEntity.TYPE_KEY, node).ask(command::apply, askTimeout);
  }

  private static Outcome outcome(HostEntity.Reply reply) {
    if (reply instanceof HostEntity.NodeDone d) {
      return new Outcome.Done(d.node());
    } else if (reply instanceof HostEntity.Failed f) {
      return new Outcome.Failed(f.status());
    }
    throw new IllegalStateException("unexpected answer to a node write: " + reply);
  }
}
