package dev.pacific.controlplane.api;

import dev.pacific.api.ObjectMeta;
import java.util.function.Function;

/** A list's or watch's label and field selectors applied to objects of one kind. */
record Selection<T>(ResourceType<T> type, LabelSelector labels, FieldSelector fields) {

  static <T> Selection<T> of(ResourceType<T> type, ListOptions options) {
    return new Selection<>(type, options.labels(), options.fields());
  }

  boolean isEverything() {
    return labels.isEverything() && fields.isEverything();
  }

  boolean matches(T object) {
    ObjectMeta meta = type.metadata(object);
    return labels.matches(meta.labels()) && fields.matches(field(object, meta));
  }

  private Function<String, String> field(T object, ObjectMeta meta) {
    return name -> switch (name) {
      case "metadata.name" -> meta.name();
      case "metadata.namespace" -> meta.namespace();
      default -> type.selectableFields().get(name).apply(object);
    };
  }
}
