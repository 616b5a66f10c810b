package dev.pacific.controlplane.api;

import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The metadata rules of Kubernetes' generic registry ({@code rest.BeforeCreate},
 * {@code rest.BeforeUpdate} and the update handler's name checks): what the server sets on
 * create, what a client may not change on update, and that the object a request carries is the
 * one its URL names.
 */
final class Meta {

  private Meta() {}

  /**
   * A new object: its namespace from the URL (a different one in the body is 400, a cluster-scoped
   * kind has none), a fresh uid and creation time, no deletion fields, no resourceVersion (400),
   * defaulted and prepared as its kind's strategy does.
   */
  static <T> Parsed<T> forCreate(ResourceType<T> type, String namespace, T object, Instant now) {
    ObjectMeta meta = type.metadata(object);
    if (type.kind().namespaced()) {
      if (!isEmpty(meta.namespace()) && !meta.namespace().equals(namespace)) {
        return bad("metadata.namespace", "the namespace of the provided object (" + meta.namespace()
            + ") does not match the namespace sent on the request (" + namespace + ")");
      }
      meta = meta.withNamespace(namespace);
    } else {
      meta = meta.withNamespace(null);
    }
    if (!isEmpty(meta.resourceVersion())) {
      return bad("metadata.resourceVersion", "resourceVersion should not be set on objects to be created");
    }
    meta = meta.withUid(UUID.randomUUID().toString()).withCreationTimestamp(now.toString()).withDeletion(null, null);
    return Parsed.ok(type.preparedForCreate(type.defaulted(type.typed(type.withMetadata(object, meta)))));
  }

  /** The body names the object of the URL; a namespaced body without a namespace takes the URL's. */
  static <T> Parsed<T> matchingPath(ResourceType<T> type, ObjectRef ref, T object) {
    ObjectMeta meta = type.metadata(object);
    if (!ref.name().equals(meta.name())) {
      return bad("metadata.name", "the name of the object (" + (meta.name() == null ? "" : meta.name())
          + ") does not match the name on the URL (" + ref.name() + ")");
    }
    if (type.kind().namespaced() && !isEmpty(meta.namespace()) && !meta.namespace().equals(ref.namespace())) {
      return bad("metadata.namespace", "the namespace of the object (" + meta.namespace()
          + ") does not match the namespace on the URL (" + ref.namespace() + ")");
    }
    return Parsed.ok(type.withMetadata(object, meta.withNamespace(type.kind().namespaced() ? ref.namespace() : null)));
  }

  /**
   * An update of spec and metadata: the status stays the stored one, and so do the fields only the
   * server sets (creation time, deletion; the uid when the body left it out).
   */
  static <T> T specChange(ResourceType<T> type, T object, T current) {
    ObjectMeta was = type.metadata(current);
    ObjectMeta meta = type.metadata(object);
    meta = meta.withUid(isEmpty(meta.uid()) ? was.uid() : meta.uid())
        .withCreationTimestamp(was.creationTimestamp())
        .withDeletion(was.deletionTimestamp(), was.deletionGracePeriodSeconds());
    return type.defaulted(type.typed(type.withStatusOf(type.withMetadata(object, meta), current)));
  }

  /** A {@code /status} update: the stored object with the body's status, on the body's resourceVersion. */
  static <T> T statusChange(ResourceType<T> type, T object, T current) {
    ObjectMeta meta = type.metadata(current).withResourceVersion(type.metadata(object).resourceVersion());
    return type.typed(type.withStatusOf(type.withMetadata(current, meta), object));
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static <T> Parsed<T> bad(String field, String message) {
    return new Parsed.Bad<>(Status.failure(400, "BadRequest", message,
        new Status.Details(null, null, null, List.of(new Status.Cause("FieldValueInvalid", message, field)), null)));
  }
}
