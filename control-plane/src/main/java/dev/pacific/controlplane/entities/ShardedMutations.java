package dev.pacific.controlplane.entities;

import dev.pacific.api.Namespace;
import dev.pacific.api.Node;
import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The API's one {@link Mutations}: each write goes to the {@code Mutations} of its kind (pods to
 * {@link PodMutations}; namespaces, quotas and nodes to theirs once their entities exist). Every
 * failure comes back as a {@link Outcome.Failed} Status, never as an exception: no answer in time
 * is 504, no quorum 503, a kind without an entity 405.
 */
public final class ShardedMutations implements Mutations {

  private final Map<ResourceKind, Mutations> byKind;

  public ShardedMutations(Map<ResourceKind, Mutations> byKind) {
    this.byKind = Collections.unmodifiableMap(new EnumMap<>(byKind));
  }

  @Override
  public CompletionStage<Outcome> create(Object object) {
    return route(object, m -> m.create(object));
  }

  @Override
  public CompletionStage<Outcome> update(Object object) {
    return route(object, m -> m.update(object));
  }

  @Override
  public CompletionStage<Outcome> updateStatus(Object object) {
    return route(object, m -> m.updateStatus(object));
  }

  @Override
  public CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options) {
    return route(ref.kind(), ref.toString(), m -> m.delete(ref, options));
  }

  private CompletionStage<Outcome> route(Object object, Function<Mutations, CompletionStage<Outcome>> write) {
    Optional<ResourceKind> kind = ResourceKind.ofType(object.getClass());
    if (kind.isEmpty()) {
      return failed(Status.failure(400, "BadRequest", "no such kind: " + object.getClass().getSimpleName()));
    }
    ObjectMeta meta = metadataOf(object);
    String what = kind.get().resource() + "/" + (meta == null ? "" : meta.namespace() == null ? meta.name()
        : meta.namespace() + "/" + meta.name());
    return route(kind.get(), what, write);
  }

  private CompletionStage<Outcome> route(ResourceKind kind, String what,
                                         Function<Mutations, CompletionStage<Outcome>> write) {
    Mutations target = byKind.get(kind);
    if (target == null) {
      return failed(Refusals.notServed(kind));
    }
    try {
      return write.apply(target).exceptionally(failure -> new Outcome.Failed(statusOf(what, failure)));
    } catch (RuntimeException e) {
      return failed(statusOf(what, e));
    }
  }

  private static Status statusOf(String what, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return Refusals.timeout("the write to " + what);
    } else if (cause instanceof QuorumUnavailable) {
      return Refusals.unavailable("the registry is unavailable: " + cause.getMessage());
    } else if (cause instanceof IllegalArgumentException || cause instanceof ClassCastException
        || cause instanceof NullPointerException) {
      // The API validates first; an object that still cannot be routed is the client's mistake, not a 5xx.
      return Status.failure(400, "BadRequest", "cannot write " + what + ": " + cause.getMessage());
    }
    return Refusals.internal(cause);
  }

  private static ObjectMeta metadataOf(Object object) {
    if (object instanceof Pod p) {
      return p.metadata();
    } else if (object instanceof Namespace n) {
      return n.metadata();
    } else if (object instanceof Node n) {
      return n.metadata();
    } else if (object instanceof ResourceQuota q) {
      return q.metadata();
    }
    return null;
  }

  private static CompletionStage<Outcome> failed(Status status) {
    return CompletableFuture.completedFuture(new Outcome.Failed(status));
  }
}
