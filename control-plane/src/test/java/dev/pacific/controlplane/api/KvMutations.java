package dev.pacific.controlplane.api;

import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.entities.Mutations;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StoredState;
import dev.pacific.controlplane.quorum.QuorumKv;
import dev.pacific.controlplane.quorum.store.KeyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.serialization.Serialization;

/**
 * A test-only {@link Mutations}: writes {@link StoredState} envelopes of {@link TestEntityState}
 * straight to the quorum with compare-and-swap on the key's mod revision, as the durable-state
 * plugin will. It does what the API relies on the entities for: existence (404, 409
 * AlreadyExists), optimistic concurrency on {@code resourceVersion} (409 Conflict), keeping status
 * on updates and taking only status on status updates, delete preconditions, and quotas inside
 * their namespace's record. Deletion is immediate (no grace period).
 */
final class KvMutations implements Mutations {

  private record Stored(TestEntityState state, long modRevision) {}

  private final QuorumKv kv;
  private final Serialization serialization;

  KvMutations(QuorumKv kv, Serialization serialization) {
    this.kv = kv;
    this.serialization = serialization;
  }

  @Override
  public CompletionStage<Outcome> create(Object object) {
    if (object instanceof ResourceQuota quota) {
      return inNamespace(quota, (quotas, existing) -> existing != null ? alreadyExists(ref(quota))
          : quota);
    }
    ObjectRef ref = ref(object);
    CompletionStage<Boolean> namespaceExists = ref.kind().namespaced()
        ? read(ObjectRef.cluster(ResourceKind.NAMESPACES, ref.namespace())).thenApply(Optional::isPresent)
        : CompletableFuture.completedFuture(true);
    return namespaceExists.thenCompose(exists -> {
      if (!exists) {
        return done(new Outcome.Failed(Status.notFound("namespaces", ref.namespace())));
      }
      Object stored = withRevision(object, null);
      return kv.put(RegistryKeys.key(ref), encode(TestEntityState.of(stored, Map.of())), OptionalLong.of(0))
          .thenApply(o -> o instanceof QuorumKv.Outcome.Written w ? new Outcome.Done(withRevision(stored, w.revision()))
              : alreadyExistsOutcome(ref));
    });
  }

  @Override
  public CompletionStage<Outcome> update(Object object) {
    return replace(object, false);
  }

  @Override
  public CompletionStage<Outcome> updateStatus(Object object) {
    return replace(object, true);
  }

  private CompletionStage<Outcome> replace(Object object, boolean status) {
    if (object instanceof ResourceQuota quota) {
      return inNamespace(quota, (quotas, existing) -> {
        if (existing == null) {
          return Status.notFound("resourcequotas", ref(quota).name());
        }
        return status ? QuotaType.INSTANCE.withStatusOf(existing, quota) : QuotaType.INSTANCE.withStatusOf(quota,
            existing);
      });
    }
    ObjectRef ref = ref(object);
    return read(ref).thenCompose(found -> {
      if (found.isEmpty()) {
        return done(new Outcome.Failed(Status.notFound(ref.kind().resource(), ref.name())));
      }
      Stored current = found.get();
      if (stale(object, current.modRevision())) {
        return done(conflict(ref));
      }
      ResourceType<Object> type = type(object);
      Object before = current.state().object();
      Object next = withRevision(status ? type.withStatusOf(before, object) : type.withStatusOf(object, before), null);
      if (status) {
        next = type.withMetadata(next, type.metadata(before).withResourceVersion(null));
      }
      Object written = next;
      return kv.put(RegistryKeys.key(ref), encode(TestEntityState.of(written, current.state().quotas())),
          OptionalLong.of(current.modRevision())).thenApply(o -> o instanceof QuorumKv.Outcome.Written w
              ? new Outcome.Done(withRevision(written, w.revision())) : conflict(ref));
    });
  }

  @Override
  public CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options) {
    if (ref.kind() == ResourceKind.RESOURCEQUOTAS) {
      ResourceQuota probe = new ResourceQuota(dev.pacific.api.ObjectMeta.named(ref.namespace(), ref.name()), null,
          null);
      return inNamespace(probe, (quotas, existing) -> existing == null
          ? Status.notFound("resourcequotas", ref.name()) : precondition(existing, options, ref).orElse(null));
    }
    return read(ref).thenCompose(found -> {
      if (found.isEmpty()) {
        return done(new Outcome.Failed(Status.notFound(ref.kind().resource(), ref.name())));
      }
      Object last = withRevision(found.get().state().object(), found.get().modRevision());
      Optional<Status> refused = precondition(last, options, ref);
      if (refused.isPresent()) {
        return done(new Outcome.Failed(refused.get()));
      }
      return kv.delete(RegistryKeys.key(ref), OptionalLong.of(found.get().modRevision()))
          .thenApply(o -> o instanceof QuorumKv.Outcome.Written ? new Outcome.Done(last) : conflict(ref));
    });
  }

  /**
   * A change to one quota inside its namespace's record. {@code change} gets the quotas and the
   * existing quota (or null) and answers the quota to store, null to remove it, or a Status.
   */
  private CompletionStage<Outcome> inNamespace(ResourceQuota quota,
      BiFunction<Map<String, ResourceQuota>, ResourceQuota, Object> change) {
    ObjectRef ref = ref(quota);
    ObjectRef namespace = ObjectRef.cluster(ResourceKind.NAMESPACES, ref.namespace());
    return read(namespace).thenCompose(found -> {
      if (found.isEmpty()) {
        return done(new Outcome.Failed(Status.notFound("namespaces", ref.namespace())));
      }
      Map<String, ResourceQuota> quotas = new LinkedHashMap<>(found.get().state().quotas());
      ResourceQuota existing = quotas.get(ref.name());
      if (existing != null && stale(quota, found.get().modRevision())) {
        return done(conflict(ref));
      }
      Object result = change.apply(quotas, existing);
      if (result instanceof Status status) {
        return done(new Outcome.Failed(status));
      }
      if (result == null) {
        quotas.remove(ref.name());
      } else {
        quotas.put(ref.name(), (ResourceQuota) withRevision(result, null));
      }
      return kv.put(RegistryKeys.key(namespace), encode(TestEntityState.of(found.get().state().object(), quotas)),
          OptionalLong.of(found.get().modRevision())).thenApply(o -> o instanceof QuorumKv.Outcome.Written w
              ? new Outcome.Done(withRevision(result == null ? existing : result, w.revision())) : conflict(ref));
    });
  }

  private static boolean stale(Object object, long modRevision) {
    String rv = type(object).metadata(object).resourceVersion();
    return rv != null && !rv.isEmpty() && !rv.equals(Long.toString(modRevision));
  }

  private static Optional<Status> precondition(Object last, DeleteOptions options, ObjectRef ref) {
    var meta = type(last).metadata(last);
    if (options.uid() != null && !options.uid().equals(meta.uid())) {
      return Optional.of(Status.failure(409, "Conflict", "Precondition failed: UID in precondition: " + options.uid()
          + ", UID in object meta: " + meta.uid()));
    }
    if (options.resourceVersion() != null && !options.resourceVersion().equals(meta.resourceVersion())) {
      return Optional.of(Status.failure(409, "Conflict", "Precondition failed: ResourceVersion in precondition: "
          + options.resourceVersion() + ", ResourceVersion in object meta: " + meta.resourceVersion()));
    }
    return Optional.empty();
  }

  private CompletionStage<Optional<Stored>> read(ObjectRef ref) {
    return kv.get(RegistryKeys.key(ref)).thenApply(found -> found.map(this::decode));
  }

  private Stored decode(KeyValue stored) {
    return new Stored((TestEntityState) StoredState.decode(stored.value()).toObject(serialization),
        stored.modRevision());
  }

  private byte[] encode(TestEntityState state) {
    return StoredState.of(serialization, state).encode();
  }

  @SuppressWarnings("unchecked")
  private static ResourceType<Object> type(Object object) {
    return (ResourceType<Object>) ResourceType.of(ResourceKind.ofType(object.getClass()).orElseThrow());
  }

  private static ObjectRef ref(Object object) {
    var meta = type(object).metadata(object);
    return new ObjectRef(ResourceKind.ofType(object.getClass()).orElseThrow(), meta.namespace(), meta.name());
  }

  private static Object withRevision(Object object, Long revision) {
    ResourceType<Object> type = type(object);
    return type.withMetadata(object, type.metadata(object).withResourceVersion(revision == null ? null
        : revision.toString()));
  }

  private static Status alreadyExists(ObjectRef ref) {
    return Status.failure(409, "AlreadyExists", ref.kind().resource() + " \"" + ref.name() + "\" already exists",
        new Status.Details(ref.name(), null, ref.kind().resource(), List.of(), null));
  }

  private static Outcome alreadyExistsOutcome(ObjectRef ref) {
    return new Outcome.Failed(alreadyExists(ref));
  }

  private static Outcome conflict(ObjectRef ref) {
    return new Outcome.Failed(Status.failure(409, "Conflict", "Operation cannot be fulfilled on "
        + ref.kind().resource() + " \"" + ref.name() + "\": the object has been modified; please apply your changes"
        + " to the latest version and try again"));
  }

  private static CompletionStage<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }
}
