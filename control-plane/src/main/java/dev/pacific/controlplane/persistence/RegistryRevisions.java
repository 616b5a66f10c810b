package dev.pacific.controlplane.persistence;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * What Pekko's durable-state API cannot carry between the store and an entity on this member.
 *
 * <p>{@code upsertObject} answers only {@code Done}, yet the entity must answer with the object's
 * new {@code metadata.resourceVersion} (the key's quorum mod revision). So the store records the
 * mod revision per persistence id after every successful read and write, before it completes its
 * future; the entity reads it in its reply side effect, which Pekko runs only after that future.
 *
 * <p>A failed write makes Pekko throw inside the entity (it then restarts with back-off and reads
 * the fresh state): its reply would never be sent and the caller's ask would time out. So before
 * persisting, the entity registers a listener here; the store calls it with the failure
 * ({@link StaleWrite}, the quorum unavailable, …) before failing its future, and the entity's
 * listener answers the caller (409, 503).
 */
public final class RegistryRevisions implements Extension {

  private static final Id ID = new Id();

  private final ConcurrentHashMap<String, Long> modRevisions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Consumer<Throwable>> onFailure = new ConcurrentHashMap<>();

  private RegistryRevisions() {}

  public static RegistryRevisions get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /** The key's mod revision as the store last read or wrote it for this entity (0: it does not exist). */
  public OptionalLong modRevision(String persistenceId) {
    Long r = modRevisions.get(persistenceId);
    return r == null ? OptionalLong.empty() : OptionalLong.of(r);
  }

  /**
   * {@code listener} hears of the failure of this entity's next write or delete (and is dropped
   * when it succeeds). One write at a time per entity, as Pekko persists them.
   */
  public void expectWrite(String persistenceId, Consumer<Throwable> listener) {
    onFailure.put(persistenceId, listener);
  }

  /** Drops what is kept for an entity that stopped. */
  public void forget(String persistenceId) {
    modRevisions.remove(persistenceId);
    onFailure.remove(persistenceId);
  }

  void read(String persistenceId, long modRevision) {
    modRevisions.put(persistenceId, modRevision);
  }

  void written(String persistenceId, long modRevision) {
    modRevisions.put(persistenceId, modRevision);
    onFailure.remove(persistenceId);
  }

  void failed(String persistenceId, Throwable cause) {
    Consumer<Throwable> listener = onFailure.remove(persistenceId);
    if (listener != null) {
      listener.accept(cause);
    }
  }

  private static final class Id extends AbstractExtensionId<RegistryRevisions> {
    @Override
    public RegistryRevisions createExtension(ExtendedActorSystem system) {
      return new RegistryRevisions();
    }
  }
}
