package dev.pacific.controlplane.api;

import dev.pacific.api.ObjectMeta;
import dev.pacific.api.ResourceQuota;
import dev.pacific.controlplane.persistence.RegistryReader.Record;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Registry records as clients see them: the entity's object with {@code metadata.resourceVersion}
 * set to the key's mod revision (the stored object does not carry it), and the kind's
 * {@code apiVersion}/{@code kind}. Resource quotas live in their namespace's record, so each
 * carries that record's mod revision.
 */
final class RegistryObjects {

  private RegistryObjects() {}

  /** The record's object; empty for an entity that holds no object (not created yet, or of another kind). */
  static <T> Optional<T> object(ResourceType<T> type, Record record) {
    Object object = record.state().object();
    if (!type.type().isInstance(object)) {
      return Optional.empty();
    }
    return Optional.of(withRevision(type, type.cast(object), record.modRevision()));
  }

  /** The quotas of a namespace's record, by name, each in that namespace whatever the entity stored. */
  static List<ResourceQuota> quotas(Record namespace) {
    QuotaType type = QuotaType.INSTANCE;
    return namespace.state().quotas().values().stream()
        .map(q -> type.withMetadata(q, type.metadata(q).withNamespace(namespace.ref().name())))
        .map(q -> withRevision(type, q, namespace.modRevision()))
        .sorted(Comparator.comparing(q -> QuotaType.INSTANCE.metadata(q).name(), Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
  }

  static <T> T withRevision(ResourceType<T> type, T object, long revision) {
    ObjectMeta meta = type.metadata(object);
    return type.typed(type.withMetadata(object, meta.withResourceVersion(Long.toString(revision))));
  }
}
