package dev.pacific.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable copies for record components, so that a record never shares a mutable collection
 * with its caller and accessors never return null (absent and empty mean the same in Kubernetes'
 * {@code omitempty} fields).
 */
final class Frozen {

  private Frozen() {}

  static <T> List<T> list(List<T> items) {
    return items == null || items.isEmpty() ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(items));
  }

  /** Sorted, as Kubernetes prints map keys in order. */
  static <V> Map<String, V> map(Map<String, V> entries) {
    return entries == null || entries.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  static ResourceList resources(ResourceList resources) {
    return resources == null ? ResourceList.empty() : resources;
  }
}
