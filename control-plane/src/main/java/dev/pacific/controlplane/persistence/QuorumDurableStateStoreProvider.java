package dev.pacific.controlplane.persistence;

import com.typesafe.config.Config;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.state.DurableStateStoreProvider;
import org.apache.pekko.persistence.state.scaladsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.state.scaladsl.GetObjectResult;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The plugin class named by {@code pacific.persistence.durable-state.class}: Pekko instantiates it
 * by reflection and asks it for both APIs. {@code DurableStateBehavior} uses the Scala one, which
 * here delegates to the Java {@link QuorumDurableStateStore}.
 */
public final class QuorumDurableStateStoreProvider implements DurableStateStoreProvider {

  private final QuorumDurableStateStore store;

  public QuorumDurableStateStoreProvider(ExtendedActorSystem system, Config config, String configPath) {
    this.store = new QuorumDurableStateStore(system);
  }

  @Override
  public org.apache.pekko.persistence.state.scaladsl.DurableStateStore<Object> scaladslDurableStateStore() {
    return new ScalaStore(store);
  }

  @Override
  public org.apache.pekko.persistence.state.javadsl.DurableStateStore<Object> javadslDurableStateStore() {
    return store;
  }

  private record ScalaStore(QuorumDurableStateStore store) implements DurableStateUpdateStore<Object> {

    @Override
    public Future<GetObjectResult<Object>> getObject(String persistenceId) {
      return FutureConverters.asScala(store.getObject(persistenceId).thenApply(r -> r.toScala()));
    }

    @Override
    public Future<Done> upsertObject(String persistenceId, long revision, Object value, String tag) {
      return FutureConverters.asScala(store.upsertObject(persistenceId, revision, value, tag));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Future<Done> deleteObject(String persistenceId) {
      return FutureConverters.asScala(store.deleteObject(persistenceId));
    }

    @Override
    public Future<Done> deleteObject(String persistenceId, long revision) {
      return FutureConverters.asScala(store.deleteObject(persistenceId, revision));
    }
  }
}
