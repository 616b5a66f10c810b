package dev.pacific.api.codec;

import dev.pacific.api.Namespace;
import dev.pacific.api.NamespaceList;
import dev.pacific.api.Node;
import dev.pacific.api.NodeList;
import dev.pacific.api.Pod;
import dev.pacific.api.PodList;
import dev.pacific.api.ResourceQuota;
import dev.pacific.api.ResourceQuotaList;
import dev.pacific.api.Status;
import java.util.Map;
import java.util.Optional;

/** The kinds of the core v1 group Pacific serves, by their {@code kind} field. */
public final class Kinds {

  public static final String API_VERSION = "v1";

  private static final Map<String, Class<?>> BY_KIND = Map.ofEntries(
      Map.entry("Pod", Pod.class),
      Map.entry("PodList", PodList.class),
      Map.entry("Namespace", Namespace.class),
      Map.entry("NamespaceList", NamespaceList.class),
      Map.entry("Node", Node.class),
      Map.entry("NodeList", NodeList.class),
      Map.entry("ResourceQuota", ResourceQuota.class),
      Map.entry("ResourceQuotaList", ResourceQuotaList.class),
      Map.entry("Status", Status.class));

  private Kinds() {}

  public static Optional<Class<?>> classOf(String kind) {
    return Optional.ofNullable(BY_KIND.get(kind));
  }

  /** The kind a record class is served as: its simple name ({@code Pod}, {@code NodeList}). */
  public static String kindOf(Class<?> type) {
    return type.getSimpleName();
  }
}
