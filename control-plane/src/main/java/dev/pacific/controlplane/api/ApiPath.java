package dev.pacific.controlplane.api;

import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A path below {@code /api/v1} that names something the API serves (CONTRACT.md "HTTP"): a
 * collection ({@code name} null; {@code namespace} "" for all namespaces or a cluster-scoped
 * kind), an object, or an object's {@code status} or a pod's {@code log}.
 *
 * <p>A segment that cannot be a name (empty, over 253 characters, or holding a {@code /} once
 * decoded) names nothing, so no path can reach a registry key it does not spell.
 */
record ApiPath(ResourceType<?> type, String namespace, String name, Sub sub) {

  enum Sub { NONE, STATUS, LOG }

  private static final int MAX_NAME = 253;

  boolean isCollection() {
    return name == null;
  }

  /** A collection of a namespaced kind across every namespace ({@code /api/v1/pods}): read-only. */
  boolean isAllNamespaces() {
    return isCollection() && type.kind().namespaced() && namespace.isEmpty();
  }

  ObjectRef ref() {
    return new ObjectRef(type.kind(), namespace, name);
  }

  /** @param rest the encoded path after {@code /api/v1}, such as {@code /namespaces/a/pods/b} */
  static Optional<ApiPath> parse(String rest) {
    List<String> s = new ArrayList<>(Arrays.asList(rest.split("/", -1)));
    if (!s.isEmpty() && s.get(0).isEmpty()) {
      s.remove(0);
    }
    if (!s.isEmpty() && s.get(s.size() - 1).isEmpty()) {
      s.remove(s.size() - 1); // a trailing slash
    }
    List<String> segments = s.stream().map(ApiPath::decode).toList();
    if (segments.isEmpty() || segments.stream().anyMatch(ApiPath::unusable)) {
      return Optional.empty();
    }
    return switch (segments.get(0)) {
      case "namespaces" -> namespaces(segments);
      case "nodes" -> clusterScoped(ResourceKind.NODES, segments);
      case "pods", "resourcequotas" -> segments.size() == 1
          ? Optional.of(new ApiPath(ResourceType.of(kind(segments.get(0))), "", null, Sub.NONE)) : Optional.empty();
      default -> Optional.empty();
    };
  }

  private static Optional<ApiPath> namespaces(List<String> s) {
    if (s.size() <= 3 && (s.size() < 3 || s.get(2).equals("status"))) {
      return clusterScoped(ResourceKind.NAMESPACES, s);
    }
    String resource = s.get(2);
    if (!resource.equals("pods") && !resource.equals("resourcequotas")) {
      return Optional.empty();
    }
    ResourceType<?> type = ResourceType.of(kind(resource));
    String namespace = s.get(1);
    return switch (s.size()) {
      case 3 -> Optional.of(new ApiPath(type, namespace, null, Sub.NONE));
      case 4 -> Optional.of(new ApiPath(type, namespace, s.get(3), Sub.NONE));
      case 5 -> sub(s.get(4), type.kind()).map(sub -> new ApiPath(type, namespace, s.get(3), sub));
      default -> Optional.empty();
    };
  }

  private static Optional<ApiPath> clusterScoped(ResourceKind kind, List<String> s) {
    ResourceType<?> type = ResourceType.of(kind);
    return switch (s.size()) {
      case 1 -> Optional.of(new ApiPath(type, "", null, Sub.NONE));
      case 2 -> Optional.of(new ApiPath(type, "", s.get(1), Sub.NONE));
      case 3 -> sub(s.get(2), kind).map(sub -> new ApiPath(type, "", s.get(1), sub));
      default -> Optional.empty();
    };
  }

  private static Optional<Sub> sub(String segment, ResourceKind kind) {
    if (segment.equals("status")) {
      return Optional.of(Sub.STATUS);
    }
    return segment.equals("log") && kind == ResourceKind.PODS ? Optional.of(Sub.LOG) : Optional.empty();
  }

  private static ResourceKind kind(String resource) {
    return ResourceKind.ofResource(resource).orElseThrow();
  }

  private static boolean unusable(String segment) {
    return segment.isEmpty() || segment.length() > MAX_NAME || segment.contains("/");
  }

  /** Paths are percent-encoded; {@code +} is a plus in a path, not a space. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return "";
    }
  }
}
