package dev.pacific.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kubernetes' {@code ResourceList}: resource name to {@link Quantity} ({@code cpu: 500m},
 * {@code memory: 128Mi}, {@code pods: "10"}). Immutable; keys are kept sorted because Kubernetes
 * prints map keys in order, so two equal lists print the same bytes.
 */
public final class ResourceList extends AbstractMap<String, Quantity> {

  private static final ResourceList EMPTY = new ResourceList(Map.of());

  private final Map<String, Quantity> entries;

  private ResourceList(Map<String, Quantity> entries) {
    this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  // Delegating said outright: with Pekko's ParameterNamesModule a lone argument would otherwise be
  // taken for a property-based creator, and hosts' messages carrying Nodes and Pods would not decode.
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ResourceList of(Map<String, Quantity> entries) {
    if (entries == null || entries.isEmpty()) {
      return EMPTY;
    }
    return entries instanceof ResourceList list ? list : new ResourceList(entries);
  }

  public static ResourceList empty() {
    return EMPTY;
  }

  /** From Kubernetes quantity strings, for callers that hold {@code "2"} and {@code "8Gi"}. */
  public static ResourceList parse(Map<String, String> quantities) {
    if (quantities == null || quantities.isEmpty()) {
      return EMPTY;
    }
    Map<String, Quantity> parsed = new TreeMap<>();
    quantities.forEach((k, v) -> parsed.put(k, Quantity.parse(v)));
    return new ResourceList(parsed);
  }

  /** The same resources as Kubernetes quantity strings. */
  public Map<String, String> asStrings() {
    Map<String, String> out = new TreeMap<>();
    entries.forEach((k, v) -> out.put(k, v.toString()));
    return Collections.unmodifiableMap(out);
  }

  /** The quantity of one resource, zero when absent (Kubernetes treats a missing resource as 0). */
  public Quantity getOrZero(String resource) {
    return entries.getOrDefault(resource, Quantity.ZERO);
  }

  /** A copy with one resource set. */
  public ResourceList with(String resource, Quantity quantity) {
    Map<String, Quantity> copy = new TreeMap<>(entries);
    copy.put(resource, quantity);
    return new ResourceList(copy);
  }

  @Override
  public Set<Entry<String, Quantity>> entrySet() {
    return entries.entrySet();
  }

  @Override
  public Quantity get(Object key) {
    return entries.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }
}
