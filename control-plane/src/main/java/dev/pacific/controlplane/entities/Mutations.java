package dev.pacific.controlplane.entities;

import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import java.util.concurrent.CompletionStage;

/**
 * The writes the API sends to the sharded entities. The API decodes, defaults and validates an
 * object first (and generates names for {@code generateName}); the entity owns what needs its
 * state: existence, legal transitions, quota admission, capacity, and optimistic concurrency on
 * {@code metadata.resourceVersion}. Reads do not come here: they go straight to the registry.
 */
public interface Mutations {

  /** How a write ended: the object as stored (with its new resourceVersion), or a Status to answer. */
  sealed interface Outcome {
    record Done(Object object) implements Outcome {}

    /** 403 quota, 404, 409 AlreadyExists/Conflict, 422 illegal transition, 503 no quorum, … */
    record Failed(Status status) implements Outcome {}
  }

  /** Preconditions and grace for a delete, as Kubernetes' DeleteOptions carries them. */
  record DeleteOptions(Long gracePeriodSeconds, String uid, String resourceVersion) {
    public static DeleteOptions defaults() {
      return new DeleteOptions(null, null, null);
    }
  }

  /** A Namespace, Pod, Node or ResourceQuota; 409 AlreadyExists if the name is taken. */
  CompletionStage<Outcome> create(Object object);

  /** Replaces spec and metadata (not status); a set resourceVersion that is not current → 409. */
  CompletionStage<Outcome> update(Object object);

  /** Replaces status only (the {@code /status} subresource); resourceVersion as for update. */
  CompletionStage<Outcome> updateStatus(Object object);

  /** Deletes, gracefully where the kind has a grace period (pods, namespaces). */
  CompletionStage<Outcome> delete(ObjectRef ref, DeleteOptions options);
}
