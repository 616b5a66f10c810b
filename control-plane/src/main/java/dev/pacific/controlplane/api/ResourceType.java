package dev.pacific.controlplane.api;

import dev.pacific.api.ListMeta;
import dev.pacific.api.ObjectMeta;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the REST layer needs to know about one kind it serves: how to reach its metadata and
 * status, Kubernetes' defaulting and create-time preparation ({@code PrepareForCreate} in the
 * kind's registry strategy), the fields a field selector may name, and its list type. The generic
 * routes work on {@code T} through this, so a new kind is one small file.
 */
sealed interface ResourceType<T> permits PodType, NamespaceType, NodeType, QuotaType {

  ResourceKind kind();

  Class<T> type();

  /** The object's metadata; an empty one when the body had none. */
  ObjectMeta metadata(T object);

  T withMetadata(T object, ObjectMeta metadata);

  /** The object with {@code apiVersion: v1} and its {@code kind}, which a body may leave out. */
  T typed(T object);

  /** {@code object} with the status of {@code source}: updates keep the stored status, status updates take only it. */
  T withStatusOf(T object, T source);

  /** Kubernetes' API defaults for absent fields. */
  T defaulted(T object);

  /** What the server sets on create whatever the client sent (a new pod is Pending, a new quota has no usage). */
  T preparedForCreate(T object);

  /** The fields a field selector may name beyond {@code metadata.name} and {@code metadata.namespace}. */
  Map<String, Function<T, String>> selectableFields();

  /** The list kind ({@code PodList}) holding {@code items}. */
  Object list(ListMeta metadata, List<T> items);

  default T cast(Object object) {
    return type().cast(object);
  }

  static ResourceType<?> of(ResourceKind kind) {
    return switch (kind) {
      case PODS -> PodType.INSTANCE;
      case NAMESPACES -> NamespaceType.INSTANCE;
      case NODES -> NodeType.INSTANCE;
      case RESOURCEQUOTAS -> QuotaType.INSTANCE;
    };
  }

  /** Metadata for objects that came without any, so callers never test for null. */
  static ObjectMeta orEmpty(ObjectMeta meta) {
    return meta != null ? meta : new ObjectMeta(null, null, null, null, null, Map.of(), Map.of());
  }
}
