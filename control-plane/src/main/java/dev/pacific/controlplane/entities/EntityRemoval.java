package dev.pacific.controlplane.entities;

import dev.pacific.controlplane.persistence.QuorumDurableStateStore;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;

/**
 * How a registry entity removes its object. Pekko's {@code Effect.delete} neither waits for the
 * store nor resets the entity's revision (an object created again under the name would then be
 * behind its key's version), so the entity deletes its key itself — compared with its revision, as
 * every write — waits, answers, and stops; its next incarnation reads the key afresh and starts
 * from revision 0. The entity stashes commands while the delete is in flight; afterwards they
 * go to the next incarnation: under sharding, the shard buffers them while this one passivates.
 *
 * <p>Not durable state: a removal ends with the entity stopping, or (the quorum unavailable) it is
 * simply tried again.
 */
final class EntityRemoval<C> {

  private final ActorContext<C> ctx;
  private final String persistenceId;
  private final EntityTypeKey<C> typeKey;
  private final String entityId;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private boolean deleting;
  private boolean over;

  EntityRemoval(ActorContext<C> ctx, String persistenceId, EntityTypeKey<C> typeKey, String entityId,
                Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    this.ctx = ctx;
    this.persistenceId = persistenceId;
    this.typeKey = typeKey;
    this.entityId = entityId;
    this.shard = shard;
  }

  /** Deletes the key, expected at {@code revision}; the outcome (null = deleted) comes back as {@code done}'s message. */
  @SuppressWarnings("unchecked")
  void start(long revision, Function<Throwable, C> done) {
    deleting = true;
    DurableStateUpdateStore<Object> store = DurableStateStoreRegistry.get(ctx.getSystem())
        .getDurableStateStoreFor(DurableStateUpdateStore.class, QuorumDurableStateStore.PLUGIN_ID);
    // Pekko passes revision + 1 to a delete, as to a write; the store compares the key's version with one less.
    ctx.pipeToSelf(store.deleteObject(persistenceId, revision + 1), (ok, failure) -> done.apply(failure));
  }

  /** The delete is in flight: the entity stashes what comes. */
  boolean deleting() {
    return deleting;
  }

  /** The key is gone (or another copy changed it) and this incarnation is stopping. */
  boolean over() {
    return over;
  }

  /** The delete failed and the entity stays as it was (the quorum was unavailable): it may try again. */
  void abandon() {
    deleting = false;
  }

  /** This incarnation is done: asks its shard to stop it; false when spawned without sharding (it must stop itself). */
  boolean end() {
    deleting = false;
    over = true;
    return passivate();
  }

  /** Asks the shard to stop this entity (messages for it wait in the shard); false when there is no shard. */
  boolean passivate() {
    shard.ifPresent(s -> s.tell(new ClusterSharding.Passivate<>(ctx.getSelf())));
    return shard.isPresent();
  }

  /** Hands a command that came after the end to the next incarnation; false when there is none (no sharding). */
  boolean forward(C command) {
    if (shard.isPresent()) {
      ClusterSharding.get(ctx.getSystem()).entityRefFor(typeKey, entityId).tell(command);
    }
    return shard.isPresent();
  }
}
