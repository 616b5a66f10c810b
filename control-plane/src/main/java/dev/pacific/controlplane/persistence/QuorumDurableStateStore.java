package dev.pacific.controlplane.persistence;

import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.QuorumKv.Outcome;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Pekko Persistence durable state on the quorum. An entity with persistence id
 * {@code <resource>|<entityId>} lives under its {@link RegistryKeys registry key}, as a
 * {@link StoredState} (Pekko serialization of the state).
 *
 * <p>Pekko's revision of an entity is the key's quorum <em>version</em> (etcd's count of changes
 * since the key was created, reset when it is deleted). Every write is a quorum transaction that
 * compares the version with the writer's revision minus one, so a writer that is behind (another
 * copy of the entity wrote since it read) fails with {@link StaleWrite} and never overwrites.
 * Reads are linearizable. Mod revisions and failures reach the entity through
 * {@link RegistryRevisions}; the quorum client comes from {@link RegistryQuorum}.
 */
public final class QuorumDurableStateStore implements DurableStateUpdateStore<Object> {

  /**
   * The plugin's configuration path. Entities name it themselves rather than rely on
   * {@code pekko.persistence.state.plugin}: which of several {@code reference.conf} files wins for a
   * key set in two of them depends on the order of jars on the class path.
   */
  public static final String PLUGIN_ID = "pacific.persistence.durable-state";

  private final ExtendedActorSystem system;
  private final Serialization serialization;
  private final RegistryRevisions revisions;

  public QuorumDurableStateStore(ExtendedActorSystem system) {
    this.system = system;
    this.serialization = SerializationExtension.get(system);
    this.revisions = RegistryRevisions.get(system);
  }

  @Override
  public CompletionStage<GetObjectResult<Object>> getObject(String persistenceId) {
    byte[] key = key(persistenceId);
    return withKv(kv -> kv.get(key)).thenApply(found -> {
      revisions.read(persistenceId, found.map(KeyValue::modRevision).orElse(0L));
      return found.map(kv -> new GetObjectResult<>(Optional.of(decode(kv)), kv.version()))
          .orElseGet(() -> new GetObjectResult<>(Optional.empty(), 0L));
    });
  }

  /** Writes revision {@code revision}: applied only if the key is at version {@code revision - 1}. */
  @Override
  public CompletionStage<Done> upsertObject(String persistenceId, long revision, Object value, String tag) {
    byte[] key = key(persistenceId);
    return reported(persistenceId, withKv(kv -> kv.putIfVersion(key, StoredState.of(serialization, value).encode(),
        revision - 1)).thenApply(outcome -> done(persistenceId, revision - 1, outcome)));
  }

  /**
   * Pekko passes the revision the delete would have (the entity's current revision plus one, as
   * for an upsert), so the key must be at version {@code revision - 1}.
   */
  @Override
  public CompletionStage<Done> deleteObject(String persistenceId, long revision) {
    byte[] key = key(persistenceId);
    return reported(persistenceId, withKv(kv -> kv.deleteIfVersion(key, revision - 1))
        .thenApply(outcome -> done(persistenceId, revision - 1, outcome)));
  }

  /** Deletes whatever is stored, without a compare (Pekko's deprecated form). */
  @Override
  @SuppressWarnings("deprecation")
  public CompletionStage<Done> deleteObject(String persistenceId) {
    byte[] key = key(persistenceId);
    return reported(persistenceId, withKv(kv -> kv.delete(key, java.util.OptionalLong.empty()))
        .thenApply(outcome -> done(persistenceId, 0, outcome)));
  }

  private Done done(String persistenceId, long expectedVersion, Outcome outcome) {
    if (outcome instanceof Outcome.Conflict c) {
      throw new StaleWrite(persistenceId, expectedVersion, c.modRevision());
    }
    revisions.written(persistenceId, outcome instanceof Outcome.Written w ? w.revision() : 0);
    return Done.getInstance();
  }

  /** Tells the entity's failure listener before the future fails (see {@link RegistryRevisions}). */
  private CompletionStage<Done> reported(String persistenceId, CompletionStage<Done> write) {
    return write.whenComplete((done, failure) -> {
      if (failure != null) {
        revisions.failed(persistenceId, unwrap(failure));
      }
    }).exceptionallyCompose(failure -> CompletableFuture.failedFuture(unwrap(failure)));
  }

  private <T> CompletionStage<T> withKv(Function<QuorumKv, CompletionStage<T>> call) {
    try {
      return call.apply(RegistryQuorum.get(system).kv());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Object decode(KeyValue kv) {
    return StoredState.decode(kv.value()).toObject(serialization);
  }

  private static byte[] key(String persistenceId) {
    return RegistryKeys.key(RegistryKeys.ofPersistenceId(persistenceId));
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
